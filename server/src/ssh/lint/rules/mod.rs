//! The rule catalogue, one file per family of rules.

mod keywords;

use crate::ssh::lint::Rule;

/// Every rule, in code order.
pub fn catalogue() -> Vec<&'static dyn Rule> {
    vec![&keywords::UnknownKeyword]
}

//! Hostile input: trust. See main.rs.

#[allow(unused_imports)]
use super::common;

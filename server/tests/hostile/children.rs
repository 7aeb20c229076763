//! Hostile input: children. See main.rs.

#[allow(unused_imports)]
use super::common;

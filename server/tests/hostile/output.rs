//! Hostile input: output. See main.rs.

#[allow(unused_imports)]
use super::common;

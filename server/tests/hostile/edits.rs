//! Hostile input: edits. See main.rs.

#[allow(unused_imports)]
use super::common;

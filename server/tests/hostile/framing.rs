//! Hostile input: framing. See main.rs.

#[allow(unused_imports)]
use super::common;

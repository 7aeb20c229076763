//! The ssh_config(5) engine: lossless syntax, OpenSSH's resolution rules,
//! and the effective configuration as `ssh -G` prints it.

pub mod blocks;
pub mod cidr;
pub mod effective;
pub mod keywords;
pub mod lexer;
pub mod local;
pub mod options;
pub mod pattern;
pub mod platform;
pub mod rekey;
pub mod resolve;
pub mod source;
pub mod special;
pub mod tokens;

//! The /proc and /etc text gord parses (status, stat, passwd, cmdline,
//! ptrace_scope, `dlv version`, the dlv listening line): never a panic.
#![no_main]

use gord::debug::dlv::parse_dlv_version;
use gord::debug::launch::parse_listening_line;
use gord::debug::procfs::{
    parse_boot_time, parse_cmdline, parse_passwd, parse_ptrace_scope, parse_stat, parse_status,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let status = parse_status(text);
    let _ = status.has_capability(19);
    if let Some(stat) = parse_stat(text) {
        assert!(!stat.comm.contains('\0') || text.contains('\0'));
    }
    let _ = parse_boot_time(text);
    let _ = parse_passwd(text);
    let _ = parse_cmdline(text.as_bytes());
    let _ = parse_ptrace_scope(text);
    let _ = parse_dlv_version(text);
    let _ = parse_listening_line(text);
});

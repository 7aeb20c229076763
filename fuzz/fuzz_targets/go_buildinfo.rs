//! ELF headers, sections, notes, Go build info and core-dump notes from
//! arbitrary bytes: never a panic.
#![no_main]

use gord::debug::buildinfo::{parse_buildinfo, read_binary};
use gord::debug::core::{core_process, match_core, parse_nt_file};
use gord::debug::elf::{parse_notes, Elf, Layout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = read_binary(bytes);
    let _ = parse_buildinfo(bytes);
    if let Ok(elf) = Elf::parse(bytes) {
        if let Ok(notes) = elf.notes(bytes) {
            let _ = core_process(elf.layout, &notes);
        }
        let _ = elf.read_vaddr(bytes, 0x400000, 64);
    }
    for layout in [
        Layout { is_64: true, big_endian: false },
        Layout { is_64: false, big_endian: true },
    ] {
        let _ = parse_notes(layout, bytes);
        let _ = parse_nt_file(layout, bytes);
    }
    // The same bytes as program and core.
    let _ = match_core("bin", bytes, "core", bytes);
});

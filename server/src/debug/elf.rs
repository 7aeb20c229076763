//! A small ELF reader: the header, section headers, program headers and notes,
//! read through [`ByteSource`] so a 100 MB binary is never loaded whole. The
//! ELF structures themselves are decoded by the `object` crate (its header,
//! program and section header types and its note iterator) from the few
//! pieces gord reads; this module only decides what to read and caps it. It
//! must never panic on malformed input (it is fuzzed): every offset and length
//! is checked, and sizes are capped.

use std::fs::File;

use object::elf::{FileHeader32, FileHeader64};
use object::read::elf::{FileHeader, NoteIterator, ProgramHeader as _, SectionHeader as _};
use object::Endianness;

/// Largest section or segment gord reads into memory (build info, notes).
pub const MAX_READ: u64 = 16 * 1024 * 1024;
/// More section or program headers than this is not a file worth trusting.
const MAX_HEADERS: u64 = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    #[error("not an ELF file (no \\x7fELF magic)")]
    NotElf,
    #[error("{0}")]
    Malformed(&'static str),
    #[error("reading the file failed: {0}")]
    Io(String),
}

/// Random access to bytes: a slice in tests and fuzzing, a file in real use.
pub trait ByteSource {
    /// Exactly `len` bytes at `offset`, or `None` when they are not all there.
    fn read_at(&self, offset: u64, len: u64) -> Result<Option<Vec<u8>>, ElfError>;
}

impl ByteSource for [u8] {
    fn read_at(&self, offset: u64, len: u64) -> Result<Option<Vec<u8>>, ElfError> {
        let start = usize::try_from(offset).ok();
        let end = offset
            .checked_add(len)
            .and_then(|e| usize::try_from(e).ok());
        Ok(match (start, end) {
            (Some(s), Some(e)) => self.get(s..e).map(<[u8]>::to_vec),
            _ => None,
        })
    }
}

impl ByteSource for File {
    fn read_at(&self, offset: u64, len: u64) -> Result<Option<Vec<u8>>, ElfError> {
        if len > MAX_READ {
            return Ok(None);
        }
        let mut buf = vec![0u8; len as usize];
        match crate::platform::fs::read_exact_at(self, &mut buf, offset) {
            Ok(()) => Ok(Some(buf)),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(ElfError::Io(e.to_string())),
        }
    }
}

/// Reads integers in the file's byte order and word size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub is_64: bool,
    pub big_endian: bool,
}

impl Layout {
    /// The `N` bytes at `at` as an integer in the file's byte order.
    fn int<const N: usize, T>(
        &self,
        b: &[u8],
        at: usize,
        from_be: fn([u8; N]) -> T,
        from_le: fn([u8; N]) -> T,
    ) -> Option<T> {
        let bytes: [u8; N] = b.get(at..at.checked_add(N)?)?.try_into().ok()?;
        Some(if self.big_endian {
            from_be(bytes)
        } else {
            from_le(bytes)
        })
    }

    pub fn u16(&self, b: &[u8], at: usize) -> Option<u16> {
        self.int(b, at, u16::from_be_bytes, u16::from_le_bytes)
    }

    pub fn u32(&self, b: &[u8], at: usize) -> Option<u32> {
        self.int(b, at, u32::from_be_bytes, u32::from_le_bytes)
    }

    pub fn u64(&self, b: &[u8], at: usize) -> Option<u64> {
        self.int(b, at, u64::from_be_bytes, u64::from_le_bytes)
    }

    /// A word: 8 bytes in ELF64, 4 in ELF32.
    pub fn word(&self, b: &[u8], at: usize) -> Option<u64> {
        if self.is_64 {
            self.u64(b, at)
        } else {
            self.u32(b, at).map(u64::from)
        }
    }

    /// The byte order as `object` names it.
    pub fn endian(&self) -> Endianness {
        if self.big_endian {
            Endianness::Big
        } else {
            Endianness::Little
        }
    }

    pub fn word_size(&self) -> usize {
        if self.is_64 {
            8
        } else {
            4
        }
    }
}

/// ELF file types gord tells apart.
pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;
pub const ET_CORE: u16 = 4;
pub const PT_LOAD: u32 = 1;
pub const PT_NOTE: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub kind: u32,
    pub addr: u64,
    pub offset: u64,
    pub size: u64,
}

/// SHT_NOBITS: the section takes no room in the file (.bss).
const SHT_NOBITS: u32 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub kind: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub file_size: u64,
    pub mem_size: u64,
}

/// The parts of an ELF file gord looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elf {
    pub layout: Layout,
    pub file_type: u16,
    pub sections: Vec<Section>,
    pub segments: Vec<Segment>,
}

impl Elf {
    /// Reads the header, the section headers with their names, and the program headers.
    pub fn parse<S: ByteSource + ?Sized>(source: &S) -> Result<Elf, ElfError> {
        let ident = source.read_at(0, 16)?.ok_or(ElfError::NotElf)?;
        if ident.get(..4) != Some(b"\x7fELF".as_slice()) {
            return Err(ElfError::NotElf);
        }
        let layout = Layout {
            is_64: match ident[4] {
                1 => false,
                2 => true,
                _ => return Err(ElfError::Malformed("unknown ELF class")),
            },
            big_endian: match ident[5] {
                1 => false,
                2 => true,
                _ => return Err(ElfError::Malformed("unknown ELF byte order")),
            },
        };
        if layout.is_64 {
            parse_as::<FileHeader64<Endianness>, S>(source, layout)
        } else {
            parse_as::<FileHeader32<Endianness>, S>(source, layout)
        }
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// A section's bytes, when it has any in the file and is not too large.
    pub fn section_data<S: ByteSource + ?Sized>(
        &self,
        source: &S,
        name: &str,
    ) -> Result<Option<Vec<u8>>, ElfError> {
        match self.section(name) {
            Some(s) if s.kind != SHT_NOBITS && s.size <= MAX_READ => {
                source.read_at(s.offset, s.size)
            }
            _ => Ok(None),
        }
    }

    /// The bytes of the file that hold virtual addresses `addr..addr+len`, from
    /// a PT_LOAD segment that has them in the file (used on core dumps).
    pub fn read_vaddr<S: ByteSource + ?Sized>(
        &self,
        source: &S,
        addr: u64,
        len: u64,
    ) -> Result<Option<Vec<u8>>, ElfError> {
        let end = match addr.checked_add(len) {
            Some(end) => end,
            None => return Ok(None),
        };
        for seg in self.segments.iter().filter(|s| s.kind == PT_LOAD) {
            let seg_end = seg.vaddr.saturating_add(seg.file_size);
            if addr >= seg.vaddr && end <= seg_end {
                return source.read_at(seg.offset.saturating_add(addr - seg.vaddr), len);
            }
        }
        Ok(None)
    }

    /// Every note of the PT_NOTE segments (cores) or SHT_NOTE sections (executables).
    pub fn notes<S: ByteSource + ?Sized>(&self, source: &S) -> Result<Vec<Note>, ElfError> {
        let mut notes = Vec::new();
        for seg in self.segments.iter().filter(|s| s.kind == PT_NOTE) {
            if seg.file_size > MAX_READ {
                continue;
            }
            if let Some(bytes) = source.read_at(seg.offset, seg.file_size)? {
                notes.extend(parse_notes(self.layout, &bytes));
            }
        }
        Ok(notes)
    }
}

/// The header, tables and section names, decoded by `object` as ELF32 or
/// ELF64 (`H`) from the bytes [`ByteSource`] gives.
fn parse_as<H, S>(source: &S, layout: Layout) -> Result<Elf, ElfError>
where
    H: FileHeader<Endian = Endianness>,
    S: ByteSource + ?Sized,
{
    let header_bytes = source
        .read_at(0, std::mem::size_of::<H>() as u64)?
        .ok_or(ElfError::Malformed("truncated ELF header"))?;
    // Magic, class and byte order were checked already; what `object` adds
    // is the ident's version, which must be 1 (EV_CURRENT), as Go requires.
    let header = H::parse(header_bytes.as_slice())
        .map_err(|_| ElfError::Malformed("unknown ELF version"))?;
    let endian = layout.endian();
    let segments = read_table(
        source,
        header.e_phoff(endian).into(),
        header.e_phentsize(endian),
        header.e_phnum(endian),
        |entry| {
            let (ph, _) = object::pod::from_bytes::<H::ProgramHeader>(entry).ok()?;
            Some(Segment {
                kind: ph.p_type(endian).0,
                offset: ph.p_offset(endian).into(),
                vaddr: ph.p_vaddr(endian).into(),
                file_size: ph.p_filesz(endian).into(),
                mem_size: ph.p_memsz(endian).into(),
            })
        },
    )?;
    let raw_sections = read_table(
        source,
        header.e_shoff(endian).into(),
        header.e_shentsize(endian),
        header.e_shnum(endian),
        |entry| {
            let (sh, _) = object::pod::from_bytes::<H::SectionHeader>(entry).ok()?;
            Some((
                sh.sh_name(endian),
                Section {
                    name: String::new(),
                    kind: sh.sh_type(endian).0,
                    addr: sh.sh_addr(endian).into(),
                    offset: sh.sh_offset(endian).into(),
                    size: sh.sh_size(endian).into(),
                },
            ))
        },
    )?;
    let names = raw_sections
        .get(usize::from(header.e_shstrndx(endian).0))
        .filter(|s| s.1.kind != SHT_NOBITS && s.1.size <= MAX_READ)
        .map(|s| source.read_at(s.1.offset, s.1.size))
        .transpose()?
        .flatten()
        .unwrap_or_default();
    let sections = raw_sections
        .into_iter()
        .map(|(name_at, mut section)| {
            section.name = c_string_at(&names, name_at as usize);
            section
        })
        .collect();
    Ok(Elf {
        layout,
        file_type: header.e_type(endian).0,
        sections,
        segments,
    })
}

/// `count` entries of `entry_size` bytes at `offset`, each decoded by
/// `parse` (which sees the whole entry and reads its prefix).
fn read_table<S: ByteSource + ?Sized, T>(
    source: &S,
    offset: u64,
    entry_size: u16,
    count: u16,
    parse: impl Fn(&[u8]) -> Option<T>,
) -> Result<Vec<T>, ElfError> {
    if count == 0 || offset == 0 {
        return Ok(Vec::new());
    }
    if u64::from(count) > MAX_HEADERS || entry_size == 0 {
        return Err(ElfError::Malformed("implausible header table"));
    }
    let total = u64::from(entry_size) * u64::from(count);
    let table = source
        .read_at(offset, total)?
        .ok_or(ElfError::Malformed("header table past the end of the file"))?;
    table
        .chunks(usize::from(entry_size))
        .map(|entry| parse(entry).ok_or(ElfError::Malformed("header table entry too short")))
        .collect()
}

fn c_string_at(table: &[u8], at: usize) -> String {
    let tail = table.get(at..).unwrap_or_default();
    let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
    String::from_utf8_lossy(&tail[..end]).into_owned()
}

/// One ELF note: owner name, type and descriptor bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub name: String,
    pub kind: u32,
    pub desc: Vec<u8>,
}

/// Notes are name and descriptor, each padded to 4 bytes (Go and Linux both
/// use 4-byte alignment for the notes gord reads), decoded by `object`'s
/// note iterator; the notes before a truncated one are kept. A note header
/// is three 32-bit words in ELF32 and ELF64 alike.
pub fn parse_notes(l: Layout, bytes: &[u8]) -> Vec<Note> {
    let Ok(iterator) = NoteIterator::<FileHeader64<Endianness>>::new(l.endian(), 4, bytes) else {
        return Vec::new();
    };
    iterator
        .map_while(Result::ok)
        .map(|note| Note {
            name: c_string_at(note.name(), 0),
            kind: note.n_type(l.endian()).0,
            desc: note.desc().to_vec(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bytes_that_are_not_elf() {
        assert_eq!(Elf::parse(b"#!/bin/sh\n".as_slice()), Err(ElfError::NotElf));
        assert_eq!(Elf::parse(b"".as_slice()), Err(ElfError::NotElf));
    }

    #[test]
    fn a_truncated_header_is_malformed_not_a_panic() {
        let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
        bytes.resize(20, 0);
        assert!(matches!(
            Elf::parse(bytes.as_slice()),
            Err(ElfError::Malformed(_))
        ));
    }

    #[test]
    fn an_unknown_ident_version_is_malformed() {
        let mut bytes = vec![0u8; 64];
        bytes[..7].copy_from_slice(b"\x7fELF\x02\x01\x02");
        assert_eq!(
            Elf::parse(bytes.as_slice()),
            Err(ElfError::Malformed("unknown ELF version"))
        );
        bytes[6] = 1;
        let elf = Elf::parse(bytes.as_slice()).unwrap();
        assert_eq!((elf.sections.len(), elf.segments.len()), (0, 0));
    }

    #[test]
    fn the_running_test_binary_has_named_sections_and_load_segments() {
        let file = File::open("/proc/self/exe").unwrap();
        let elf = Elf::parse(&file).unwrap();
        assert!(elf.layout.is_64 && !elf.layout.big_endian);
        assert!(matches!(elf.file_type, ET_DYN | ET_EXEC));
        assert!(elf.section(".text").is_some_and(|s| s.size > 0));
        assert!(
            elf.section(".debug_info").is_some(),
            "a debug build has DWARF"
        );
        assert!(elf.segments.iter().any(|s| s.kind == PT_LOAD));
        let interp = elf.section_data(&file, ".interp").unwrap().unwrap();
        assert!(interp.starts_with(b"/lib"), "{interp:?}");
    }

    #[test]
    fn header_tables_past_the_end_of_the_file_are_malformed() {
        let mut bytes = vec![0u8; 64];
        bytes[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
        bytes[40..48].copy_from_slice(&1_000_000u64.to_le_bytes()); // e_shoff
        bytes[58..60].copy_from_slice(&64u16.to_le_bytes()); // e_shentsize
        bytes[60..62].copy_from_slice(&3u16.to_le_bytes()); // e_shnum
        assert!(matches!(
            Elf::parse(bytes.as_slice()),
            Err(ElfError::Malformed(_))
        ));
    }

    #[test]
    fn notes_are_read_with_their_padding_and_a_truncated_one_is_dropped() {
        let l = Layout {
            is_64: true,
            big_endian: false,
        };
        let mut bytes = Vec::new();
        for v in [4u32, 3, 3] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        bytes.extend_from_slice(b"GNU\0\xaa\xbb\xcc\0");
        bytes.extend_from_slice(&[9, 0, 0, 0, 200, 0, 0, 0, 1, 0]);
        let notes = parse_notes(l, &bytes);
        assert_eq!(
            notes,
            [Note {
                name: "GNU".into(),
                kind: 3,
                desc: vec![0xaa, 0xbb, 0xcc]
            }]
        );
    }
}

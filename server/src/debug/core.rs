//! Does a core dump belong to a binary? Compares the build ID note the binary
//! carries with the same addresses in the core's memory, else the executable
//! named in the core's NT_PRPSINFO / NT_FILE notes.

use std::path::Path;

use serde::Serialize;

use crate::debug::buildinfo::{binary_info, NOTE_GNU_BUILD_ID, NOTE_GO_BUILD_ID};
use crate::debug::elf::{parse_notes, ByteSource, Elf, ElfError, Layout, ET_CORE, ET_DYN, PT_LOAD};
use crate::finding::{Finding, Severity, Subject};

const NT_PRPSINFO: u32 = 3;
const NT_FILE: u32 = 0x4649_4c45;

/// A file mapping listed in NT_FILE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappedFile {
    pub start: u64,
    pub end: u64,
    /// In pages.
    pub file_offset: u64,
    pub path: String,
}

/// What the core says about the process it came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoreProcess {
    /// `pr_fname`: the command name, at most 15 bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    pub files: Vec<MappedFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CoreVerdict {
    /// The build IDs agree.
    Match,
    /// The build IDs, or the executable names, differ.
    Mismatch,
    /// No build ID in the core: only the executable's name could be compared.
    NameOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoreMatch {
    pub verdict: CoreVerdict,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary_build_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core_build_id: Option<String>,
    pub process: CoreProcess,
}

impl CoreMatch {
    /// The verdict as findings about the core file: none for a match,
    /// `DBG010` (an error: dlv would show nonsense) or
    /// `DBG011` (a warning: only the executable's name agreed).
    pub fn findings(&self, core: &Path) -> Vec<Finding> {
        let (code, severity) = match self.verdict {
            CoreVerdict::Match => return Vec::new(),
            CoreVerdict::Mismatch => ("DBG010", Severity::Error),
            CoreVerdict::NameOnly => ("DBG011", Severity::Warning),
        };
        let subject = Subject::Artifact {
            path: core.to_path_buf(),
        };
        vec![Finding::new(code, severity, self.message.clone(), subject).with_rule_page()]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}: {1}")]
    Elf(String, ElfError),
    #[error("{0} is not a core dump (ELF type {1}, expected 4)")]
    NotCore(String, u16),
    #[error("{0} is a core dump, not a program")]
    ProgramIsCore(String),
}

/// Reads NT_PRPSINFO and NT_FILE (64-bit layouts; other layouts give nothing).
pub fn core_process(layout: Layout, notes: &[crate::debug::elf::Note]) -> CoreProcess {
    let mut process = CoreProcess::default();
    for note in notes.iter().filter(|n| n.name == "CORE") {
        match note.kind {
            // struct elf_prpsinfo on 64-bit: pr_fname at 40 (16 bytes), pr_psargs at 56 (80).
            NT_PRPSINFO if layout.is_64 => {
                process.command_name = note.desc.get(40..56).map(c_text);
                process.arguments = note.desc.get(56..136).map(c_text);
            }
            NT_FILE => process.files = parse_nt_file(layout, &note.desc),
            _ => {}
        }
    }
    process
}

fn c_text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).trim().to_string()
}

/// NT_FILE: count, page size, count × (start, end, offset), then the names.
pub fn parse_nt_file(l: Layout, desc: &[u8]) -> Vec<MappedFile> {
    let w = l.word_size();
    let Some(count) = l.word(desc, 0) else {
        return Vec::new();
    };
    let Some(names_at) = usize::try_from(count)
        .ok()
        .and_then(|c| c.checked_mul(3 * w))
        .and_then(|n| n.checked_add(2 * w))
    else {
        return Vec::new();
    };
    let mut names = desc
        .get(names_at..)
        .unwrap_or_default()
        .split(|&b| b == 0)
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let mut files = Vec::new();
    for i in 0..count as usize {
        let at = 2 * w + i * 3 * w;
        let (Some(start), Some(end), Some(file_offset), Some(path)) = (
            l.word(desc, at),
            l.word(desc, at + w),
            l.word(desc, at + 2 * w),
            names.next(),
        ) else {
            break;
        };
        files.push(MappedFile {
            start,
            end,
            file_offset,
            path,
        });
    }
    files
}

/// Compares a binary and a core. `binary_path` is used for messages and the
/// name comparison.
pub fn match_core<B: ByteSource + ?Sized, C: ByteSource + ?Sized>(
    binary_path: &str,
    binary: &B,
    core_path: &str,
    core: &C,
) -> Result<CoreMatch, CoreError> {
    let bin_elf = Elf::parse(binary).map_err(|e| CoreError::Elf(binary_path.into(), e))?;
    if bin_elf.file_type == ET_CORE {
        return Err(CoreError::ProgramIsCore(binary_path.into()));
    }
    let core_elf = Elf::parse(core).map_err(|e| CoreError::Elf(core_path.into(), e))?;
    if core_elf.file_type != ET_CORE {
        return Err(CoreError::NotCore(core_path.into(), core_elf.file_type));
    }
    let elf_err = |path: &str| {
        let path = path.to_string();
        move |e| CoreError::Elf(path.clone(), e)
    };
    let info = binary_info(&bin_elf, binary).map_err(elf_err(binary_path))?;
    let notes = core_elf.notes(core).map_err(elf_err(core_path))?;
    let process = core_process(core_elf.layout, &notes);
    let file_name = std::path::Path::new(binary_path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // Where the binary's first page landed: fixed for ET_EXEC; for PIE, the
    // NT_FILE mapping at offset 0 of a file with the binary's name.
    let first_load = bin_elf
        .segments
        .iter()
        .filter(|s| s.kind == PT_LOAD)
        .map(|s| s.vaddr & !0xfff)
        .min()
        .unwrap_or(0);
    let load_bias = if bin_elf.file_type == ET_DYN {
        process
            .files
            .iter()
            .find(|f| f.file_offset == 0 && f.path.rsplit('/').next() == Some(file_name.as_str()))
            .map(|f| f.start.wrapping_sub(first_load))
    } else {
        Some(0)
    };

    let mut compared = None;
    for (section, kind, is_go) in [
        (".note.go.buildid", NOTE_GO_BUILD_ID, true),
        (".note.gnu.build-id", NOTE_GNU_BUILD_ID, false),
    ] {
        let (Some(s), Some(bias)) = (bin_elf.section(section), load_bias) else {
            continue;
        };
        let in_binary = if is_go {
            info.go_build_id.clone()
        } else {
            info.gnu_build_id.clone()
        };
        let Some(in_binary) = in_binary else { continue };
        let in_core = core_elf
            .read_vaddr(core, s.addr.wrapping_add(bias), s.size)
            .map_err(elf_err(core_path))?
            .and_then(|bytes| {
                parse_notes(core_elf.layout, &bytes)
                    .into_iter()
                    .find(|n| n.kind == kind)
            })
            .map(|n| {
                if is_go {
                    String::from_utf8_lossy(&n.desc)
                        .trim_end_matches('\0')
                        .to_string()
                } else {
                    crate::debug::buildinfo::hex(&n.desc)
                }
            });
        if let Some(in_core) = in_core {
            compared = Some((section, in_binary, in_core));
            break;
        }
    }

    Ok(match compared {
        Some((section, ours, theirs)) if ours == theirs => CoreMatch {
            verdict: CoreVerdict::Match,
            message: format!("{core_path} belongs to {binary_path}: the build ID ({section}) in the core's memory is the binary's, {ours}"),
            binary_build_id: Some(ours),
            core_build_id: Some(theirs),
            process,
        },
        Some((section, ours, theirs)) => CoreMatch {
            verdict: CoreVerdict::Mismatch,
            message: format!("{core_path} does not belong to {binary_path}: the core's build ID ({section}) is {theirs}, the binary's is {ours}; Delve would show wrong stacks and variables"),
            binary_build_id: Some(ours),
            core_build_id: Some(theirs),
            process,
        },
        None => {
            let mapped = process
                .files
                .iter()
                .any(|f| f.path.rsplit('/').next() == Some(file_name.as_str()));
            // pr_fname holds the first 15 bytes of the command name.
            let short: String = file_name.chars().take(15).collect();
            let named = process.command_name.as_deref() == Some(short.as_str());
            let same = mapped || named;
            let exe = process
                .files
                .first()
                .map(|f| f.path.clone())
                .or_else(|| process.command_name.clone())
                .unwrap_or_else(|| "an unknown program".into());
            CoreMatch {
                verdict: if same { CoreVerdict::NameOnly } else { CoreVerdict::Mismatch },
                message: if same {
                    format!("{core_path} holds no build ID to compare; it was written by {exe}, which has the binary's name, so they probably belong together (a rebuilt binary would not be noticed)")
                } else {
                    format!("{core_path} holds no build ID to compare, and it was written by {exe}, not {binary_path}")
                },
                binary_build_id: info.go_build_id.or(info.gnu_build_id),
                core_build_id: None,
                process,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_has_no_finding_a_mismatch_an_error_a_name_only_match_a_warning() {
        let verdict = |verdict| CoreMatch {
            verdict,
            message: "core of /bin/x".into(),
            binary_build_id: None,
            core_build_id: None,
            process: CoreProcess::default(),
        };
        let core = Path::new("/tmp/core.1");
        assert!(verdict(CoreVerdict::Match).findings(core).is_empty());
        let mismatch = verdict(CoreVerdict::Mismatch).findings(core);
        assert_eq!(
            (
                mismatch[0].code.as_str(),
                mismatch[0].severity,
                &mismatch[0].subject
            ),
            (
                "DBG010",
                Severity::Error,
                &Subject::Artifact { path: core.into() }
            )
        );
        let name_only = verdict(CoreVerdict::NameOnly).findings(core);
        assert_eq!(
            (name_only[0].code.as_str(), name_only[0].severity),
            ("DBG011", Severity::Warning)
        );
    }

    const L64: Layout = Layout {
        is_64: true,
        big_endian: false,
    };

    #[test]
    fn nt_file_lists_mappings_with_their_paths() {
        let mut desc = Vec::new();
        for v in [2u64, 4096, 0x400000, 0x401000, 0, 0x7f0000, 0x7f1000, 3] {
            desc.extend_from_slice(&v.to_le_bytes());
        }
        desc.extend_from_slice(b"/srv/app\0/lib/libc.so.6\0");
        let files = parse_nt_file(L64, &desc);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path, "/srv/app");
        assert_eq!(files[1].file_offset, 3);
        // Truncated or absurd counts give what is there, never a panic.
        assert!(parse_nt_file(L64, &desc[..20]).is_empty());
        let mut huge = u64::MAX.to_le_bytes().to_vec();
        huge.extend_from_slice(&[0; 40]);
        assert!(parse_nt_file(L64, &huge).is_empty());
    }

    #[test]
    fn a_program_that_is_not_elf_is_an_error() {
        let err = match_core("a.sh", b"#!/bin/sh".as_slice(), "core", b"".as_slice()).unwrap_err();
        assert!(err.to_string().contains("not an ELF file"), "{err}");
    }
}

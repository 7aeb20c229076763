//! What a binary says about itself: Go build info (the `.go.buildinfo`
//! section), DWARF presence and build IDs. Pure over [`ByteSource`]; the only
//! I/O is the caller's file.

use serde::Serialize;

use crate::debug::elf::{parse_notes, ByteSource, Elf, ElfError};
use crate::goenv::version::GoVersion;

/// The 14 bytes that open Go's build info blob.
const BUILDINFO_MAGIC: &[u8] = b"\xff Go buildinf:";
/// Flag bit: version and modinfo are inline varint-prefixed strings (Go ≥ 1.18).
const FLAG_INLINE_STRINGS: u8 = 0x2;
/// The Go linker's note type for the Go build ID in `.note.go.buildid`.
pub const NOTE_GO_BUILD_ID: u32 = 4;
/// NT_GNU_BUILD_ID.
pub const NOTE_GNU_BUILD_ID: u32 = 3;

/// One module line of the build info (`mod`, `dep`, possibly replaced by `=>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    pub path: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

/// Go's build info, as `go version -m` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoBuild {
    /// e.g. `go1.26.8`; `unknown (before Go 1.18)` for the old pointer format.
    pub go_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_module: Option<Module>,
    pub deps: Vec<Module>,
    /// `build` lines, key and (unquoted) value, in order.
    pub settings: Vec<(String, String)>,
}

impl GoBuild {
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn version(&self) -> Option<GoVersion> {
        GoVersion::find_in(&self.go_version)
    }

    /// Optimised unless `-gcflags` turns off both optimisations (`-N`) and
    /// inlining (`-l`), which is what Delve needs to show every variable.
    pub fn optimised(&self) -> bool {
        let flags = self.setting("-gcflags").unwrap_or("");
        let words: Vec<&str> = flags
            .split_whitespace()
            // `all=-N` applies -N to a package pattern; the flag is after `=`.
            .map(|w| w.rsplit_once('=').map_or(w, |(_, flag)| flag))
            .collect();
        !(words.contains(&"-N") && words.contains(&"-l"))
    }

    pub fn trimpath(&self) -> bool {
        self.setting("-trimpath") == Some("true")
    }
}

/// Everything gord reads from one executable (or core's executable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BinaryInfo {
    /// None: not a Go program (no build info).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go: Option<GoBuild>,
    /// `.debug_info` (or the old compressed `.zdebug_info`) is present.
    pub dwarf: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_build_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gnu_build_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildInfoError {
    #[error("the build info is truncated")]
    Truncated,
    #[error("the build info does not start with Go's magic bytes")]
    NoMagic,
}

/// Reads a binary's Go build info, DWARF presence and build IDs.
pub fn read_binary<S: ByteSource + ?Sized>(source: &S) -> Result<BinaryInfo, ElfError> {
    let elf = Elf::parse(source)?;
    binary_info(&elf, source)
}

pub fn binary_info<S: ByteSource + ?Sized>(elf: &Elf, source: &S) -> Result<BinaryInfo, ElfError> {
    let go = elf
        .section_data(source, ".go.buildinfo")?
        .and_then(|bytes| parse_buildinfo(&bytes).ok());
    let dwarf = elf.section(".debug_info").is_some() || elf.section(".zdebug_info").is_some();
    let note = |section: &str, kind: u32| -> Result<Option<Vec<u8>>, ElfError> {
        Ok(elf.section_data(source, section)?.and_then(|bytes| {
            parse_notes(elf.layout, &bytes)
                .into_iter()
                .find(|n| n.kind == kind)
                .map(|n| n.desc)
        }))
    };
    let go_build_id = note(".note.go.buildid", NOTE_GO_BUILD_ID)?.map(|d| {
        String::from_utf8_lossy(&d)
            .trim_end_matches('\0')
            .to_string()
    });
    let gnu_build_id = note(".note.gnu.build-id", NOTE_GNU_BUILD_ID)?.map(|d| hex(&d));
    Ok(BinaryInfo {
        go,
        dwarf,
        go_build_id,
        gnu_build_id,
    })
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses the contents of `.go.buildinfo`.
pub fn parse_buildinfo(bytes: &[u8]) -> Result<GoBuild, BuildInfoError> {
    if !bytes.starts_with(BUILDINFO_MAGIC) {
        return Err(BuildInfoError::NoMagic);
    }
    let flags = *bytes.get(15).ok_or(BuildInfoError::Truncated)?;
    if flags & FLAG_INLINE_STRINGS == 0 {
        // Before Go 1.18 the header held pointers into the data segment; a Go
        // program all the same, but gord does not chase them.
        return Ok(GoBuild {
            go_version: "unknown (before Go 1.18)".into(),
            path: None,
            main_module: None,
            deps: Vec::new(),
            settings: Vec::new(),
        });
    }
    let mut rest = bytes.get(32..).ok_or(BuildInfoError::Truncated)?;
    let version = read_varint_string(&mut rest).ok_or(BuildInfoError::Truncated)?;
    let modinfo = read_varint_string(&mut rest).ok_or(BuildInfoError::Truncated)?;
    let mut build = parse_modinfo(&strip_sentinels(modinfo));
    build.go_version = String::from_utf8_lossy(version).into_owned();
    Ok(build)
}

fn read_varint_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let mut len: u64 = 0;
    let mut used = 0;
    for (i, &byte) in rest.iter().enumerate().take(10) {
        len |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            used = i + 1;
            break;
        }
    }
    if used == 0 {
        return None;
    }
    let len = usize::try_from(len).ok()?;
    let body = rest.get(used..used.checked_add(len)?)?;
    *rest = &rest[used + len..];
    Some(body)
}

/// The linker wraps modinfo in 16-byte sentinels; `go version -m` strips
/// them when the text ends with a newline just before the closing one.
fn strip_sentinels(modinfo: &[u8]) -> String {
    let n = modinfo.len();
    let inner = if n >= 33 && modinfo[n - 17] == b'\n' {
        &modinfo[16..n - 16]
    } else {
        modinfo
    };
    String::from_utf8_lossy(inner).into_owned()
}

/// Parses modinfo lines: `path`, `mod`, `dep`, `=>`, `build key=value`.
pub fn parse_modinfo(text: &str) -> GoBuild {
    let mut build = GoBuild {
        go_version: String::new(),
        path: None,
        main_module: None,
        deps: Vec::new(),
        settings: Vec::new(),
    };
    let module = |fields: &[&str]| Module {
        path: fields.first().copied().unwrap_or_default().to_string(),
        version: fields.get(1).copied().unwrap_or_default().to_string(),
        replaced_by: None,
    };
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["path", path, ..] => build.path = Some(path.to_string()),
            ["mod", rest @ ..] => build.main_module = Some(module(rest)),
            ["dep", rest @ ..] => build.deps.push(module(rest)),
            ["=>", rest @ ..] => {
                let target = rest
                    .iter()
                    .take(2)
                    .copied()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Some(last) = build.deps.last_mut() {
                    last.replaced_by = Some(target);
                } else if let Some(main) = build.main_module.as_mut() {
                    main.replaced_by = Some(target);
                }
            }
            ["build", setting, ..] => {
                let (key, value) = setting.split_once('=').unwrap_or((setting, ""));
                build.settings.push((unquote(key), unquote(value)));
            }
            _ => {}
        }
    }
    build
}

/// Go quotes a key or value (strconv.Quote) when it has spaces, quotes or `=`.
fn unquote(text: &str) -> String {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(version: &str, modinfo: &str) -> Vec<u8> {
        let mut bytes = BUILDINFO_MAGIC.to_vec();
        bytes.extend_from_slice(&[8, FLAG_INLINE_STRINGS]);
        bytes.resize(32, 0);
        for s in [version, modinfo] {
            let mut len = s.len();
            while len >= 0x80 {
                bytes.push((len as u8) | 0x80);
                len >>= 7;
            }
            bytes.push(len as u8);
            bytes.extend_from_slice(s.as_bytes());
        }
        bytes
    }

    #[test]
    fn reads_version_path_modules_and_quoted_build_settings() {
        let modinfo = "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/sys\tv0.1.0\th1:x=\n=>\t../sys\t\t\nbuild\t-gcflags=\"all=-N -l\"\nbuild\t-trimpath=true\nbuild\tvcs.revision=abc\n";
        let build = parse_buildinfo(&blob("go1.26.8", modinfo)).unwrap();
        assert_eq!(build.go_version, "go1.26.8");
        assert_eq!(build.path.as_deref(), Some("example.com/app"));
        assert_eq!(build.main_module.as_ref().unwrap().version, "(devel)");
        assert_eq!(build.deps[0].replaced_by.as_deref(), Some("../sys"));
        assert_eq!(build.setting("-gcflags"), Some("all=-N -l"));
        assert_eq!(build.setting("vcs.revision"), Some("abc"));
        assert!(build.trimpath());
        assert!(!build.optimised());
    }

    #[test]
    fn optimisation_is_off_only_with_both_n_and_l() {
        let with = |flags: &str| parse_modinfo(&format!("build\t-gcflags=\"{flags}\"\n"));
        assert!(!with("all=-N -l").optimised());
        assert!(!with("-l -N").optimised());
        assert!(with("all=-N").optimised());
        assert!(parse_modinfo("").optimised());
    }

    #[test]
    fn truncated_or_foreign_bytes_are_errors_not_panics() {
        let full = blob("go1.26.8", "path\tx\n");
        for cut in 0..full.len() {
            let _ = parse_buildinfo(&full[..cut]);
        }
        assert_eq!(parse_buildinfo(&full[..34]), Err(BuildInfoError::Truncated));
        assert_eq!(parse_buildinfo(b"hello"), Err(BuildInfoError::NoMagic));
        let mut huge = blob("", "");
        huge.truncate(32);
        huge.extend_from_slice(&[0xff; 12]);
        assert_eq!(parse_buildinfo(&huge), Err(BuildInfoError::Truncated));
    }

    #[test]
    fn the_old_pointer_format_is_still_a_go_program() {
        let mut bytes = BUILDINFO_MAGIC.to_vec();
        bytes.extend_from_slice(&[8, 0]);
        bytes.resize(32, 0);
        assert!(parse_buildinfo(&bytes)
            .unwrap()
            .go_version
            .contains("before Go 1.18"));
    }
}

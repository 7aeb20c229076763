//! Any bytes as a file's security descriptor (owner and DACL entries) and
//! as a config read by Win32-OpenSSH: judging never panics, a config ssh
//! refuses is refused as a private key too, what it accepts keeps every
//! writer trusted, and linting the config on the Windows platform with
//! that security on every file never panics and points into loaded files.
#![no_main]

#[path = "common/memfs.rs"]
mod memfs;

use std::path::{Path, PathBuf};

use gord::ssh::config::platform::Platform;
use gord::ssh::lint::{lint, LintContext};
use gord::ssh::windows::acl::{self, Ace, AceKind, FileSecurity, Principal, Refusal, Use};
use gord::ssh::windows::{SecurityError, SecurityReader};
use libfuzzer_sys::fuzz_target;

const USER: &str = "S-1-5-21-1-2-3-1001";
const SIDS: &[&str] = &[
    USER,
    acl::SYSTEM,
    acl::ADMINISTRATORS,
    acl::TRUSTED_INSTALLER,
    acl::EVERYONE,
    acl::AUTHENTICATED_USERS,
    acl::USERS,
    "S-1-5-21-1-2-3-1002",
];

fn principal(byte: u8) -> Principal {
    let sid = SIDS[usize::from(byte) % SIDS.len()];
    if byte & 0x80 != 0 {
        // An account name that may collide with the user's (SID history).
        Principal::named(sid, "PC", if byte & 0x40 != 0 { "me" } else { "x" }, u32::from(byte & 1) + 1)
    } else {
        Principal::new(sid)
    }
}

/// The security the first bytes describe, and the rest of the input.
fn security(data: &[u8]) -> (FileSecurity, &[u8]) {
    let Some((&owner, mut rest)) = data.split_first() else {
        return (
            FileSecurity {
                owner: principal(0),
                dacl: None,
            },
            data,
        );
    };
    let mut entries = Vec::new();
    let no_dacl = owner & 0x20 != 0;
    while let [kind, who, m0, m1, m2, m3, more @ ..] = rest {
        entries.push(Ace {
            kind: AceKind::from_type(kind & 0x0f),
            trustee: principal(*who),
            mask: u32::from_le_bytes([*m0, *m1, *m2, *m3]),
            inherited: kind & 0x10 != 0,
        });
        rest = more;
        if kind & 0x80 != 0 || entries.len() >= 32 {
            break;
        }
    }
    let security = FileSecurity {
        owner: principal(owner),
        dacl: (!no_dacl).then_some(entries),
    };
    (security, rest)
}

struct Fixed(FileSecurity, Principal);

impl SecurityReader for Fixed {
    fn user(&self) -> Result<Principal, SecurityError> {
        Ok(self.1.clone())
    }
    fn program_data(&self) -> Option<PathBuf> {
        Some(PathBuf::from("C:/ProgramData"))
    }
    fn read(&self, _: &Path) -> Result<FileSecurity, SecurityError> {
        Ok(self.0.clone())
    }
}

fuzz_target!(|data: &[u8]| {
    let (security, config) = security(data);
    let user = Principal::named(USER, "PC", "me", 1);
    let as_config = acl::judge(&security, &user, Use::Config);
    let as_key = acl::judge(&security, &user, Use::PrivateKey);
    if as_config.is_some() {
        assert!(as_key.is_some(), "a refused config is an accepted key");
    }
    if let Some(Refusal::Entries(aces)) = &as_config {
        assert!(aces.iter().all(|a| a.kind == AceKind::Allow));
    }
    let reader = Fixed(security, user);
    let fs = memfs::FuzzFs::new(config, 1_500);
    let local = memfs::facts();
    let Ok(ctx) = LintContext::load_on(Path::new(memfs::CONFIG), &fs, &local, false, Platform::Windows)
    else {
        return;
    };
    let ctx = ctx.with_security(&reader);
    for finding in lint(&ctx) {
        let (path, range) = finding
            .file_range()
            .unwrap_or_else(|| panic!("{} is about no file", finding.code));
        let file = ctx
            .file(path)
            .unwrap_or_else(|| panic!("{} is not a loaded file", path.display()));
        assert!((range.start.line, range.start.character) <= (range.end.line, range.end.character));
        assert!((range.end.line as usize) <= file.lines.len());
    }
});

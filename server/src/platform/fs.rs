//! File modes and owners. Unix has permission bits and a numeric owner;
//! Windows has ACLs (which gord does not edit here) and a read-only flag,
//! so there a mode reads as 0o444 or 0o666 from that flag, setting one sets
//! only the flag, and owners are not kept or reported.

use std::fs::{DirBuilder, File, Metadata, OpenOptions};
use std::path::Path;

/// The permission bits of `meta` (with set-id and sticky bits: `& 0o7777`).
#[cfg(unix)]
pub fn mode(meta: &Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

/// Windows: 0o444 for a read-only file, else 0o666.
#[cfg(windows)]
pub fn mode(meta: &Metadata) -> u32 {
    mode_from_read_only(meta.permissions().readonly())
}

/// The mode a file with only a read-only flag has.
pub fn mode_from_read_only(read_only: bool) -> u32 {
    if read_only {
        0o444
    } else {
        0o666
    }
}

/// `(mode, owner uid)` of `meta`, for the checks OpenSSH makes on its
/// files; None on Windows, whose ACLs are another check's business.
#[cfg(unix)]
pub fn mode_and_owner(meta: &Metadata) -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.mode(), meta.uid()))
}

/// `(mode, owner uid)`: Windows has neither.
#[cfg(windows)]
pub fn mode_and_owner(_meta: &Metadata) -> Option<(u32, u32)> {
    None
}

/// How many names the file has (1 on Windows, where std does not say).
#[cfg(unix)]
pub fn links(meta: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

/// How many names the file has (1 on Windows, where std does not say).
#[cfg(windows)]
pub fn links(_meta: &Metadata) -> u64 {
    1
}

/// Sets `path`'s mode (Windows: the read-only flag, from the write bits).
pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    let permissions = permissions_for(std::fs::metadata(path)?, mode);
    std::fs::set_permissions(path, permissions)
}

/// [`set_mode`] on an open file.
pub fn set_file_mode(file: &File, mode: u32) -> std::io::Result<()> {
    let permissions = permissions_for(file.metadata()?, mode);
    file.set_permissions(permissions)
}

#[cfg(unix)]
fn permissions_for(_meta: Metadata, mode: u32) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(mode)
}

#[cfg(windows)]
fn permissions_for(meta: Metadata, mode: u32) -> std::fs::Permissions {
    let mut permissions = meta.permissions();
    permissions.set_readonly(mode & 0o222 == 0);
    permissions
}

/// Files `options` creates get `mode` (Unix; Windows ignores it).
#[cfg(unix)]
pub fn create_with_mode(options: &mut OpenOptions, mode: u32) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(mode)
}

/// A temporary file `builder` makes is created as any new file is: mode
/// 0666 less the umask (Unix; tempfile's own default is 0600).
#[cfg(unix)]
pub fn as_a_new_file<'a, 'b, 'c>(
    builder: &'c mut tempfile::Builder<'a, 'b>,
) -> &'c mut tempfile::Builder<'a, 'b> {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666))
}

/// A temporary file `builder` makes is created as any new file is (Windows:
/// tempfile's default, which is that).
#[cfg(windows)]
pub fn as_a_new_file<'a, 'b, 'c>(
    builder: &'c mut tempfile::Builder<'a, 'b>,
) -> &'c mut tempfile::Builder<'a, 'b> {
    builder
}

/// Files `options` creates get `mode` (Unix; Windows ignores it).
#[cfg(windows)]
pub fn create_with_mode(options: &mut OpenOptions, _mode: u32) -> &mut OpenOptions {
    options
}

/// `options` refuses to open a symlink (Unix `O_NOFOLLOW`; on Windows a plain
/// open, which follows it).
#[cfg(unix)]
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
}

/// `options` refuses to open a symlink (Unix `O_NOFOLLOW`; on Windows a plain
/// open, which follows it).
#[cfg(windows)]
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

/// Directories `builder` creates get `mode` (Unix; Windows ignores it).
#[cfg(unix)]
pub fn dirs_with_mode(builder: &mut DirBuilder, mode: u32) -> &mut DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    builder.mode(mode)
}

/// Directories `builder` creates get `mode` (Unix; Windows ignores it).
#[cfg(windows)]
pub fn dirs_with_mode(builder: &mut DirBuilder, _mode: u32) -> &mut DirBuilder {
    builder
}

/// Gives `file` (just created) the owner and group of `original`, as an
/// edit that replaces a file must. Err(uid) with the error when the owner
/// cannot be kept; the group is only tried. Nothing to do on Windows.
#[cfg(unix)]
pub fn keep_owner(
    file: &File,
    created: &Metadata,
    original: &Metadata,
) -> Result<(), (u32, std::io::Error)> {
    use std::os::unix::fs::MetadataExt;
    if created.uid() != original.uid() {
        std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid()))
            .map_err(|e| (original.uid(), e))
    } else {
        if created.gid() != original.gid() {
            // Keeping the group is worth a try; ssh does not check it.
            let _ = std::os::unix::fs::fchown(file, None, Some(original.gid()));
        }
        Ok(())
    }
}

/// Gives `file` the owner of `original`: nothing to do on Windows.
#[cfg(windows)]
pub fn keep_owner(
    _file: &File,
    _created: &Metadata,
    _original: &Metadata,
) -> Result<(), (u32, std::io::Error)> {
    Ok(())
}

/// Which file this is (device and inode), to recognise one seen before;
/// None on Windows, where std does not say.
#[cfg(unix)]
pub fn identity(meta: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Which file this is: std does not say on Windows.
#[cfg(windows)]
pub fn identity(_meta: &Metadata) -> Option<(u64, u64)> {
    None
}

/// Fills `buf` from `file` at `offset`, without moving a shared cursor
/// (Unix `pread`; Windows `seek_read`, which does move it).
#[cfg(unix)]
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

/// Fills `buf` from `file` at `offset` (`seek_read` until full).
#[cfg(windows)]
pub fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_mode_comes_from_the_read_only_flag() {
        assert_eq!(mode_from_read_only(true) & 0o222, 0);
        assert_eq!(mode_from_read_only(false), 0o666);
    }

    #[test]
    fn a_mode_set_is_the_mode_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "x").unwrap();
        set_mode(&path, 0o400).unwrap();
        let read_only = mode(&std::fs::metadata(&path).unwrap());
        assert_eq!(read_only & 0o222, 0);
        set_mode(&path, 0o644).unwrap();
        let writable = mode(&std::fs::metadata(&path).unwrap());
        assert_ne!(writable & 0o200, 0);
        if cfg!(unix) {
            assert_eq!((read_only, writable), (0o400, 0o644));
        }
    }
}

//! The one way gord reads a file that came from a workspace, a config or a
//! report: regular files only, opened without blocking, at most a size cap
//! per kind of file, and (for go.mod/go.work the workspace walk found) never
//! through a symlink leading out of the workspace.
//!
//! A hostile repository can point `go.mod` at `/dev/zero`, a FIFO or
//! `/proc/self/fd/0` (the sidecar's JSON-RPC stream); a `std::fs::read` of
//! any of those eats memory without end or blocks forever. Here the open
//! cannot block (`O_NONBLOCK | O_NOCTTY`), the type is checked on the opened
//! descriptor (after symlinks, so a swap between check and read changes
//! nothing), and at most `cap + 1` bytes are read whatever size the file
//! claims (`/proc` files say 0 and files can grow).
//!
//! Reads block the calling thread: async callers use [`read_async`] (or wrap
//! their own walk in `spawn_blocking`) so per-check timeouts still fire.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a file is for; each kind has its own size cap ([`Kind::cap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One ssh config file, the main one or one an Include names: 4 MiB
    /// (real configs are kilobytes; 2,000 hosts are about 100 KiB).
    SshConfig,
    /// A go.mod or go.work: 2 MiB (the largest real ones are some 100 KiB).
    GoModule,
    /// A golangci-lint JSON report given to `gord lint --from-json`: 64 MiB
    /// (tens of thousands of issues).
    LintReport,
    /// A source file a lint report names (to place its issues): 8 MiB
    /// (generated Go files run to a few MiB).
    ReportedSource,
    /// A settings or other small JSON/YAML file: 1 MiB.
    Settings,
    /// A private key, a .netrc or another small credential file the user's
    /// config names: 1 MiB.
    Credentials,
}

impl Kind {
    /// The largest file of this kind gord reads, in bytes.
    pub const fn cap(self) -> u64 {
        const MIB: u64 = 1024 * 1024;
        match self {
            Kind::SshConfig => 4 * MIB,
            Kind::GoModule => 2 * MIB,
            Kind::LintReport => 64 * MIB,
            Kind::ReportedSource => 8 * MIB,
            Kind::Settings | Kind::Credentials => MIB,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::SshConfig => "SSH config",
            Kind::GoModule => "go.mod/go.work",
            Kind::LintReport => "lint report",
            Kind::ReportedSource => "source file",
            Kind::Settings => "settings file",
            Kind::Credentials => "credential file",
        }
    }
}

/// The most an ssh config and all the files it includes may hold together:
/// 16 MiB and 256 files. ssh itself has no such bound, but no real set comes
/// near it, and a hostile one (a fan-out of includes) must not exhaust memory.
pub const SSH_INCLUDE_SET_BYTES: u64 = 16 * 1024 * 1024;
/// See [`SSH_INCLUDE_SET_BYTES`].
pub const SSH_INCLUDE_SET_FILES: usize = 256;

/// Why a file was not read. Each message names the path.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot open {}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {what}, not a regular file; gord reads only regular files", path.display())]
    NotRegular { path: PathBuf, what: FileWhat },
    #[error("{} is larger than {}: gord checks {}s of up to {} (is it the right file?)", path.display(), Size(*cap), kind.noun(), Size(*cap))]
    TooLarge { path: PathBuf, kind: Kind, cap: u64 },
    #[error("{} leads out of the workspace {} (to {}); gord does not follow it", path.display(), root.display(), target.display())]
    OutsideWorkspace {
        path: PathBuf,
        root: PathBuf,
        target: PathBuf,
    },
    #[error("{} is not UTF-8 text", path.display())]
    NotText { path: PathBuf },
}

impl ReadError {
    /// The I/O error kind, so callers can still tell a missing file apart.
    pub fn io_kind(&self) -> std::io::ErrorKind {
        match self {
            ReadError::Open { source, .. } | ReadError::Read { source, .. } => source.kind(),
            _ => std::io::ErrorKind::InvalidData,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.io_kind() == std::io::ErrorKind::NotFound
    }
}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Open { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                source
            }
            other => std::io::Error::new(other.io_kind(), other.to_string()),
        }
    }
}

/// What a non-regular file is, for the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileWhat {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl fmt::Display for FileWhat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileWhat::Directory => "a directory",
            FileWhat::Fifo => "a FIFO or pipe",
            FileWhat::CharDevice => "a character device",
            FileWhat::BlockDevice => "a block device",
            FileWhat::Socket => "a socket",
            FileWhat::Other => "not a regular file",
        })
    }
}

#[cfg(unix)]
fn what(kind: std::fs::FileType) -> Option<FileWhat> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some(FileWhat::Directory)
    } else if kind.is_fifo() {
        Some(FileWhat::Fifo)
    } else if kind.is_char_device() {
        Some(FileWhat::CharDevice)
    } else if kind.is_block_device() {
        Some(FileWhat::BlockDevice)
    } else if kind.is_socket() {
        Some(FileWhat::Socket)
    } else {
        Some(FileWhat::Other)
    }
}

/// Windows knows files, directories and the rest (devices such as `NUL`).
#[cfg(windows)]
fn what(kind: std::fs::FileType) -> Option<FileWhat> {
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some(FileWhat::Directory)
    } else {
        Some(FileWhat::Other)
    }
}

/// Opens `path` for reading without blocking on a FIFO or taking a tty
/// (Unix: `O_NONBLOCK | O_NOCTTY`; std adds `O_CLOEXEC` itself).
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32)
        .open(path)
}

/// Windows has no FIFO in the file system to block on: a plain open.
#[cfg(windows)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// A size in words ("4 MiB").
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1024 * 1024;
        if self.0 >= MIB && self.0 % MIB == 0 {
            write!(f, "{} MiB", self.0 / MIB)
        } else if self.0 >= 1024 && self.0 % 1024 == 0 {
            write!(f, "{} KiB", self.0 / 1024)
        } else {
            write!(f, "{} bytes", self.0)
        }
    }
}

/// Reads `path` (a regular file, after symlinks) of at most `kind`'s cap.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, ReadError> {
    read_capped(path, kind, kind.cap())
}

/// [`read`] with a smaller cap (what is left of an include set's budget);
/// the error still names `kind`.
pub fn read_capped(path: &Path, kind: Kind, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_without_blocking(path).map_err(|source| ReadError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let meta = file.metadata().map_err(|source| ReadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(what) = what(meta.file_type()) {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            what,
        });
    }
    // The size fstat gives is only a hint (a /proc file says 0, a file can
    // grow): refuse early when it is already too big, and bound the read.
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        kind,
        cap,
    };
    if meta.len() > cap {
        return Err(too_large());
    }
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    match read_limited(file, cap, capacity) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(too_large()),
        Err(source) => Err(ReadError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads at most `cap + 1` bytes from `reader`: the bytes, or None when there
/// were more than `cap`. `capacity` is a first guess at the size.
pub fn read_limited(
    reader: impl Read,
    cap: u64,
    capacity: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(capacity.min(usize::try_from(cap).unwrap_or(usize::MAX)));
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// [`read`] as UTF-8 text.
pub fn read_to_string(path: &Path, kind: Kind) -> Result<String, ReadError> {
    String::from_utf8(read(path, kind)?).map_err(|_| ReadError::NotText {
        path: path.to_path_buf(),
    })
}

/// Reads a go.mod or go.work the workspace walk found under `root`. When the
/// path lies inside the workspace, the file it leads to must too: a symlink
/// out of the workspace (to `/dev/zero`, to another user's tree) is refused.
/// A path outside `root` (a go.work's `use ../elsewhere`) is read as it is.
pub fn read_module_file(path: &Path, root: &Path) -> Result<String, ReadError> {
    if path.starts_with(root) {
        let canonical_root = std::fs::canonicalize(root).map_err(|source| ReadError::Open {
            path: root.to_path_buf(),
            source,
        })?;
        let target = match std::fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) => return Err(unresolvable(path, root, e)),
        };
        if !target.starts_with(&canonical_root) {
            return Err(ReadError::OutsideWorkspace {
                path: path.to_path_buf(),
                root: root.to_path_buf(),
                target,
            });
        }
    }
    read_to_string(path, Kind::GoModule)
}

/// Why a path that does not canonicalise is refused: `/proc/self/fd/0` of a
/// pipe leads to `pipe:[N]`, which is no path at all.
fn unresolvable(path: &Path, root: &Path, error: std::io::Error) -> ReadError {
    match std::fs::metadata(path) {
        Ok(meta) => match what(meta.file_type()) {
            Some(what) => ReadError::NotRegular {
                path: path.to_path_buf(),
                what,
            },
            None => ReadError::OutsideWorkspace {
                path: path.to_path_buf(),
                root: root.to_path_buf(),
                target: PathBuf::from("a place that is not a path"),
            },
        },
        Err(_) => ReadError::Open {
            path: path.to_path_buf(),
            source: error,
        },
    }
}

/// [`read`] on a blocking thread, for async callers.
pub async fn read_async(path: PathBuf, kind: Kind) -> Result<Vec<u8>, ReadError> {
    let shown = path.clone();
    tokio::task::spawn_blocking(move || read(&path, kind))
        .await
        .unwrap_or_else(|e| {
            Err(ReadError::Read {
                path: shown,
                source: std::io::Error::other(e.to_string()),
            })
        })
}

/// [`read_to_string`] on a blocking thread, for async callers.
pub async fn read_to_string_async(path: PathBuf, kind: Kind) -> Result<String, ReadError> {
    let shown = path.clone();
    let bytes = read_async(path, kind).await?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotText { path: shown })
}

/// For tests that lay out a workspace on disk.
#[cfg(test)]
pub(crate) mod testing {
    /// A temporary directory holding `files` (path below it, text), with the
    /// directories on the way.
    pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("a temporary directory");
        for (rel, text) in files {
            let path = root.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("a path below root has a parent"))
                .expect("create the directories");
            std::fs::write(path, text).expect("write the file");
        }
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("go.mod");
        std::fs::write(&path, "module m\n").unwrap();
        assert_eq!(read_to_string(&path, Kind::GoModule).unwrap(), "module m\n");
    }

    #[test]
    fn refuses_devices_fifos_and_directories_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        mkfifo(&fifo);
        for (path, what) in [
            (Path::new("/dev/zero"), FileWhat::CharDevice),
            (fifo.as_path(), FileWhat::Fifo),
            (dir.path(), FileWhat::Directory),
        ] {
            match read(path, Kind::GoModule) {
                Err(ReadError::NotRegular { what: w, .. }) => assert_eq!(w, what, "{path:?}"),
                other => panic!("{path:?}: {other:?}"),
            }
        }
        let message = read(Path::new("/dev/zero"), Kind::SshConfig)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("/dev/zero is a character device"),
            "{message}"
        );
    }

    fn mkfifo(path: &Path) {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
    }

    #[test]
    fn refuses_a_file_over_the_cap_even_when_its_size_lies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        let err = read_capped(&path, Kind::SshConfig, 1024).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { cap: 1024, .. }));
        assert!(err.to_string().contains("larger than 1 KiB"), "{err}");
        // A reader that claims nothing and gives more is cut at cap + 1.
        let got = read_limited(std::io::repeat(b'x'), 10, 0).unwrap();
        assert_eq!(got, None);
        let got = read_limited(&b"0123456789"[..], 10, 0).unwrap();
        assert_eq!(got.unwrap().len(), 10);
        // /proc files report size 0 but have content.
        let text = read_to_string(Path::new("/proc/self/status"), Kind::Settings).unwrap();
        assert!(text.contains("VmHWM"));
    }

    #[test]
    fn refuses_a_module_file_leading_out_of_the_workspace() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("go.mod"), "module secret\n").unwrap();
        let ws = tempfile::tempdir().unwrap();
        std::fs::create_dir(ws.path().join("sub")).unwrap();
        let link = ws.path().join("sub/go.mod");
        std::os::unix::fs::symlink(outside.path().join("go.mod"), &link).unwrap();
        let err = read_module_file(&link, ws.path()).unwrap_err();
        assert!(matches!(err, ReadError::OutsideWorkspace { .. }), "{err}");
        assert!(err.to_string().contains("leads out of the workspace"));
        // Inside the workspace, a symlink is fine.
        std::fs::write(ws.path().join("real.mod"), "module in\n").unwrap();
        let inner = ws.path().join("go.mod");
        std::os::unix::fs::symlink(ws.path().join("real.mod"), &inner).unwrap();
        assert_eq!(read_module_file(&inner, ws.path()).unwrap(), "module in\n");
        // A go.work `use` outside the workspace is read as it is.
        let used = outside.path().join("go.mod");
        assert_eq!(
            read_module_file(&used, ws.path()).unwrap(),
            "module secret\n"
        );
    }

    #[test]
    fn a_missing_file_is_still_not_found() {
        let err = read(Path::new("/nonexistent/gord/x"), Kind::SshConfig).unwrap_err();
        assert!(err.is_not_found());
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    }
}

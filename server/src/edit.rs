//! The one place gord changes a user's file.
//!
//! The pure part turns LSP edits into new text ([`apply_edits`]) and shows
//! the change as a unified diff ([`unified_diff`]). The side-effect part
//! ([`write_file_atomically`]) replaces a file on disk only if it still holds
//! the bytes the edits were computed from, keeps a backup of them in a
//! private directory (never next to the file, where an ssh `Include` glob
//! would read it), refuses read-only files unless forced, and swaps the new
//! content in with one `rename`, so the file is never seen half-written and
//! keeps its mode (ssh refuses configs that others can write). A file with
//! other hard links is rewritten in place instead, so the links stay one file.

use crate::platform::fs as pfs;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::finding::{Position, Range};
use crate::text::LineIndex;

/// Lines of unchanged context around each change in a diff.
const CONTEXT: usize = 3;
/// How long the diff may look for the shortest edit script.
const DIFF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);
/// How many backups of one file may share one second's timestamp.
const MAX_BACKUPS: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("an edit at {} is past the end of the text, which has {lines} lines", show_position(.position))]
    PastEnd { position: Position, lines: usize },
    #[error("an edit at {} falls inside a character (between the halves of a UTF-16 surrogate pair)", show_position(.position))]
    InsideCharacter { position: Position },
    #[error("the edit range {} ends before it starts", show_range(.range))]
    Reversed { range: Range },
    #[error("the edits at {} and {} overlap", show_range(.first), show_range(.second))]
    Overlapping { first: Range, second: Range },
    #[error("{} changed on disk since gord read it; nothing was written", .path.display())]
    ChangedOnDisk { path: PathBuf },
    #[error("{} is read-only (mode {mode:04o}); nothing was written. Make it writable, or run again with --force to replace it anyway (its mode is kept)", .path.display())]
    ReadOnly { path: PathBuf, mode: u32 },
    #[error("no backup directory: neither XDG_STATE_HOME nor HOME is an absolute path; nothing was written")]
    NoBackupDir,
    #[error("cannot keep backups in {}: {why}; nothing was written", .path.display())]
    BackupDir { path: PathBuf, why: &'static str },
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot give the new version of {} its owner (uid {uid}): {source}; nothing was written", .path.display())]
    Owner {
        path: PathBuf,
        uid: u32,
        #[source]
        source: std::io::Error,
    },
}

/// 1-based line and UTF-16 column, as an editor shows them.
fn show_position(p: &Position) -> String {
    format!(
        "line {} column {}",
        u64::from(p.line) + 1,
        u64::from(p.character) + 1
    )
}

fn show_range(r: &Range) -> String {
    format!("{} to {}", show_position(&r.start), show_position(&r.end))
}

fn io_error<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> EditError + 'a {
    move |source| EditError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The byte offset of an LSP position in `index`'s text. A column past the
/// end of its line means the end of the line, as the LSP specification says.
fn offset(index: &LineIndex<'_>, position: Position) -> Result<usize, EditError> {
    let line = position.line as usize;
    let Some(start) = index.line_start(line) else {
        return Err(EditError::PastEnd {
            position,
            lines: index.line_count(),
        });
    };
    let end = index.content_end(line);
    let mut units: u32 = 0;
    for (at, ch) in index.text()[start..end].char_indices() {
        if units == position.character {
            return Ok(start + at);
        }
        // len_utf16 is 1 or 2.
        units += ch.len_utf16() as u32;
        if units > position.character {
            return Err(EditError::InsideCharacter { position });
        }
    }
    Ok(end)
}
/// Applies LSP edits (0-based lines, UTF-16 columns) to `text`. Every range
/// refers to `text` as given; overlapping ranges are refused, and inserts at
/// the same position appear in the order given. Bytes outside the ranges,
/// line endings included, are kept as they are.
pub fn apply_edits(text: &str, edits: &[(Range, String)]) -> Result<String, EditError> {
    let index = LineIndex::new(text);
    let mut spans = Vec::with_capacity(edits.len());
    for (order, (range, _)) in edits.iter().enumerate() {
        let start = offset(&index, range.start)?;
        let end = offset(&index, range.end)?;
        if (range.start.line, range.start.character) > (range.end.line, range.end.character)
            || start > end
        {
            return Err(EditError::Reversed { range: *range });
        }
        spans.push((start, end, order));
    }
    spans.sort_unstable();
    for pair in spans.windows(2) {
        let ((_, first_end, first), (second_start, _, second)) = (pair[0], pair[1]);
        if first_end > second_start {
            return Err(EditError::Overlapping {
                first: edits[first].0,
                second: edits[second].0,
            });
        }
    }
    // From the end, so the offsets still ahead stay valid.
    let mut out = text.to_string();
    for &(start, end, order) in spans.iter().rev() {
        out.replace_range(start..end, &edits[order].1);
    }
    Ok(out)
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// A unified diff from `old` to `new` (`--- a/PATH`, `+++ b/PATH`, hunks
/// with 3 lines of context); empty when the texts are equal. Lines end at
/// `\n` only and keep their ending, so a CRLF turned LF shows as a change
/// and a lone `\r` stays inside its line. The edit script is `similar`'s
/// Myers diff; past [`DIFF_TIME_LIMIT`] it stops looking for the shortest
/// one (still a correct diff).
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let deadline = std::time::Instant::now() + DIFF_TIME_LIMIT;
    let ops =
        similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &a, &b, Some(deadline));
    let shown = path.to_string_lossy();
    let shown = shown.trim_start_matches('/');
    let mut out = format!("--- a/{shown}\n+++ b/{shown}\n");
    for hunk in similar::group_diff_ops(ops, CONTEXT) {
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&hunk));
        for op in &hunk {
            for change in op.iter_changes(&a, &b) {
                let sign = match change.tag() {
                    similar::ChangeTag::Equal => ' ',
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                };
                push_line(&mut out, sign, change.value());
            }
        }
    }
    out
}

/// What [`write_file_atomically`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// The file written: the path given, or the file its symlinks lead to.
    pub target: PathBuf,
    /// The copy of the original bytes in the backup directory; None when the
    /// new content equals the original and nothing was written.
    pub backup: Option<PathBuf>,
    /// The file had other hard links, so it was rewritten in place (same
    /// inode, not atomic) instead of replaced by a rename.
    pub in_place: bool,
}

/// How [`write_file_atomically`] may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOptions {
    /// Where backups go: a private directory (created with mode 0700) that
    /// no ssh `Include` pattern of the config reads.
    pub backup_dir: PathBuf,
    /// Replace a read-only file anyway (its mode is kept).
    pub force: bool,
}

impl WriteOptions {
    /// Backups in [`default_backup_dir`], read-only files refused.
    pub fn new(force: bool) -> Result<WriteOptions, EditError> {
        Ok(WriteOptions {
            backup_dir: default_backup_dir().ok_or(EditError::NoBackupDir)?,
            force,
        })
    }
}

/// `$XDG_STATE_HOME/gord/backups`, else `~/.local/state/gord/backups`.
/// Outside `~/.ssh` and any config directory, so no `Include` reads a backup.
pub fn default_backup_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| {
        let p = PathBuf::from(v);
        p.is_absolute().then_some(p)
    };
    let state = std::env::var_os("XDG_STATE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".local").join("state"))
        })?;
    Some(state.join("gord").join("backups"))
}

/// A file in the middle of being written, removed on drop unless kept.
struct PendingFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Creates `dir/name` only if nothing has that name; None when something does.
fn create_new(dir: &Path, name: &str, mode: u32) -> Result<Option<(File, PathBuf)>, EditError> {
    let path = dir.join(name);
    match pfs::create_with_mode(OpenOptions::new().write(true).create_new(true), mode).open(&path) {
        Ok(file) => Ok(Some((file, path))),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(io_error("create", &path)(e)),
    }
}

/// Writes `bytes` to a new file with exactly `mode` (not narrowed by the
/// umask) and the original's owner, and flushes it to disk.
fn fill(
    file: &mut File,
    path: &Path,
    bytes: &[u8],
    mode: u32,
    original: &fs::Metadata,
    target: &Path,
) -> Result<(), EditError> {
    file.write_all(bytes).map_err(io_error("write", path))?;
    let created = file
        .metadata()
        .map_err(io_error("read the metadata of", path))?;
    pfs::keep_owner(file, &created, original).map_err(|(uid, source)| EditError::Owner {
        path: target.to_path_buf(),
        uid,
        source,
    })?;
    // After chown, which may clear set-id bits.
    pfs::set_file_mode(file, mode).map_err(io_error("set the permissions of", path))?;
    file.sync_all().map_err(io_error("flush", path))
}

/// Whether a file's mode says nobody may write it (0400, 0444, 0500...):
/// the user made it read-only, and a rename would replace it silently.
fn is_read_only(mode: u32) -> bool {
    mode & 0o222 == 0
}

/// Refuses a read-only file unless `force`; the error says how to force.
/// Called for every file of a multi-file edit before any is written.
pub fn check_writable(path: &Path, force: bool) -> Result<(), EditError> {
    let metadata = fs::metadata(path).map_err(io_error("read the metadata of", path))?;
    let mode = pfs::mode(&metadata);
    if is_read_only(mode) && !force {
        return Err(EditError::ReadOnly {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

/// `/home/me/.ssh/config.d/work` as one file name: `%` and `/` escaped
/// (`%25`, `%2F`), so the name says which file it backs up. Long paths keep
/// their end (the file's own name), to stay under NAME_MAX.
fn backup_stem(target: &Path) -> String {
    let mut out = String::new();
    for ch in target.to_string_lossy().chars() {
        match ch {
            '%' => out.push_str("%25"),
            '/' => out.push_str("%2F"),
            c => out.push(c),
        }
    }
    const MAX: usize = 180;
    if out.len() > MAX {
        let mut cut = out.len() - MAX;
        while !out.is_char_boundary(cut) {
            cut += 1;
        }
        out = format!("...{}", &out[cut..]);
    }
    out
}

/// `YYYYMMDDTHHMMSSZ` (UTC) for seconds since the epoch.
fn utc_stamp(secs: u64) -> String {
    let t = crate::clock::Utc::from_epoch(secs);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// The backup directory, created with mode 0700 if missing; refused when it
/// is not a private directory of ours (a symlink, or others may read it).
fn prepare_backup_dir(dir: &Path) -> Result<(), EditError> {
    pfs::dirs_with_mode(fs::DirBuilder::new().recursive(true), 0o700)
        .create(dir)
        .map_err(io_error("create the backup directory", dir))?;
    let metadata = fs::symlink_metadata(dir).map_err(io_error("read the metadata of", dir))?;
    if !metadata.is_dir() {
        return Err(EditError::BackupDir {
            path: dir.to_path_buf(),
            why: "it is not a directory",
        });
    }
    if cfg!(unix) && pfs::mode(&metadata) & 0o077 != 0 {
        pfs::set_mode(dir, 0o700).map_err(io_error("make private (mode 0700)", dir))?;
    }
    Ok(())
}

/// Copies `original` to a new file in `dir` named after `target` and the
/// time; an existing backup is never overwritten (`.1`, `.2`, ... instead).
fn write_backup(dir: &Path, target: &Path, original: &[u8]) -> Result<PendingFile, EditError> {
    prepare_backup_dir(dir)?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = format!("{}.{}", backup_stem(target), utc_stamp(secs));
    for n in 0..MAX_BACKUPS {
        let candidate = match n {
            0 => format!("{base}.gord-bak"),
            _ => format!("{base}.{n}.gord-bak"),
        };
        if let Some((mut file, path)) = create_new(dir, &candidate, 0o600)? {
            let pending = PendingFile { path, keep: false };
            file.write_all(original)
                .map_err(io_error("write", &pending.path))?;
            file.sync_all().map_err(io_error("flush", &pending.path))?;
            return Ok(pending);
        }
    }
    Err(io_error("find a free backup name in", dir)(
        std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    ))
}

/// Replaces the file at `path` with `new`, only if it still holds
/// `expected_original`:
///
/// 1. symlinks are followed: the file they lead to is replaced, the links stay;
/// 2. the file is read again and [`EditError::ChangedOnDisk`] returned, with
///    nothing touched, if its bytes differ from `expected_original`;
/// 3. a read-only file (no write bit) is refused unless `options.force`;
/// 4. the original bytes go to a new file in `options.backup_dir` (mode
///    0700), named after the file's path and the time, never overwriting one;
/// 5. a file with one link: `new` is written to a temporary file in the same
///    directory with the original's mode and owner, flushed, and renamed over
///    the original, so readers see either the old file or the new one;
///    a file with other hard links is rewritten in place instead, so every
///    link keeps seeing it (not atomic; the backup holds the old bytes).
pub fn write_file_atomically(
    path: &Path,
    expected_original: &[u8],
    new: &[u8],
    options: &WriteOptions,
) -> Result<WriteOutcome, EditError> {
    let target = fs::canonicalize(path).map_err(io_error("find", path))?;
    let original = fs::read(&target).map_err(io_error("read", &target))?;
    if original != expected_original {
        return Err(EditError::ChangedOnDisk { path: target });
    }
    if new == expected_original {
        return Ok(WriteOutcome {
            target,
            backup: None,
            in_place: false,
        });
    }
    check_writable(&target, options.force)?;
    let metadata = fs::metadata(&target).map_err(io_error("read the metadata of", &target))?;
    let mode = pfs::mode(&metadata);
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return Err(io_error("replace", &target)(std::io::Error::from(
            std::io::ErrorKind::InvalidInput,
        )));
    };
    let name = name.to_string_lossy().into_owned();

    let mut backup = write_backup(&options.backup_dir, &target, &original)?;
    if pfs::links(&metadata) > 1 {
        write_in_place(&target, expected_original, new, mode)?;
        backup.keep = true;
        return Ok(WriteOutcome {
            target,
            backup: Some(backup.path.clone()),
            in_place: true,
        });
    }

    // The new version: a fresh file beside the original (so the rename
    // stays on one filesystem), removed on any error before the rename.
    let mut temp =
        pfs::as_a_new_file(tempfile::Builder::new().prefix(&format!(".{name}.gord-tmp.")))
            .tempfile_in(dir)
            .map_err(io_error("create a temporary file next to", &target))?;
    let temp_path = temp.path().to_path_buf();
    fill(
        temp.as_file_mut(),
        &temp_path,
        new,
        mode,
        &metadata,
        &target,
    )?;

    // A last look, so a change made while we wrote is not lost.
    let now = fs::read(&target).map_err(io_error("read", &target))?;
    if now != expected_original {
        return Err(EditError::ChangedOnDisk { path: target });
    }
    temp.persist(&target)
        .map_err(|e| io_error("replace", &target)(e.error))?;
    backup.keep = true;
    // Make the rename itself durable; the file is already replaced, so a
    // directory that cannot be flushed is not worth an error.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(WriteOutcome {
        target,
        backup: Some(backup.path.clone()),
        in_place: false,
    })
}

/// Creates `path` (and its missing parent directories) holding `new`: the
/// content goes to a temporary file in the same directory, flushed, then
/// linked into place only if nothing has appeared at `path` meanwhile
/// ([`EditError::ChangedOnDisk`] then, and nothing is written). Nothing to
/// back up: there was no file. The file and the directories get the modes
/// VS Code (Node) gives what it creates: 0666 and 0777 less the umask.
pub fn create_file_atomically(path: &Path, new: &[u8]) -> Result<WriteOutcome, EditError> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).map_err(io_error("create the directory", dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp =
        pfs::as_a_new_file(tempfile::Builder::new().prefix(&format!(".{name}.gord-tmp.")))
            .tempfile_in(dir)
            .map_err(io_error("create a temporary file next to", path))?;
    temp.as_file_mut()
        .write_all(new)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_error("write", temp.path()))?;
    match temp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(EditError::ChangedOnDisk {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(io_error("create", path)(e.error)),
    }
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(WriteOutcome {
        target,
        backup: None,
        in_place: false,
    })
}

/// Rewrites a hard-linked file through its own inode. A forced read-only
/// file gets its owner's write bit for the length of the write only.
fn write_in_place(
    target: &Path,
    expected_original: &[u8],
    new: &[u8],
    mode: u32,
) -> Result<(), EditError> {
    let unlock = is_read_only(mode);
    if unlock {
        pfs::set_mode(target, mode | 0o200)
            .map_err(io_error("make writable for the edit", target))?;
    }
    let written = (|| {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(target)
            .map_err(io_error("open", target))?;
        // A last look through the very inode we are about to write.
        let mut now = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut now).map_err(io_error("read", target))?;
        if now != expected_original {
            return Err(EditError::ChangedOnDisk {
                path: target.to_path_buf(),
            });
        }
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))
            .map_err(io_error("rewind", target))?;
        file.write_all(new).map_err(io_error("write", target))?;
        file.set_len(new.len() as u64)
            .map_err(io_error("truncate", target))?;
        file.sync_all().map_err(io_error("flush", target))
    })();
    if unlock {
        let restored = pfs::set_mode(target, mode).map_err(io_error("restore the mode of", target));
        written.and(restored)
    } else {
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

    fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
        Range {
            start: Position::new(l1, c1),
            end: Position::new(l2, c2),
        }
    }

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> (Range, String) {
        (range(l1, c1, l2, c2), text.to_string())
    }

    /// `text` after the one edit `e`.
    fn applied(text: &str, e: (Range, String)) -> String {
        apply_edits(text, &[e]).unwrap()
    }

    #[test]
    fn edits_replace_only_their_ranges() {
        let text = "Host a\n  Hostnme x\n  User b\n";
        let out = apply_edits(
            text,
            &[edit(1, 2, 1, 9, "HostName"), edit(2, 7, 2, 8, "bob")],
        )
        .unwrap();
        assert_eq!(out, "Host a\n  HostName x\n  User bob\n");
        assert_eq!(apply_edits(text, &[]).unwrap(), text);
    }

    #[test]
    fn edits_round_trip() {
        let text = "Host a\n  Port 22\n";
        let forward = apply_edits(text, &[edit(1, 7, 1, 9, "2222")]).unwrap();
        let back = apply_edits(&forward, &[edit(1, 7, 1, 11, "22")]).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn crlf_endings_are_kept() {
        let text = "Host a\r\n  Hostnme x\r\n";
        // A range to the end of the line stops before its \r\n.
        assert_eq!(
            applied(text, edit(1, 2, 1, 99, "HostName x")),
            "Host a\r\n  HostName x\r\n"
        );
        assert_eq!(
            applied(text, edit(0, 6, 0, 6, " b")),
            "Host a b\r\n  Hostnme x\r\n"
        );
    }

    #[test]
    fn columns_count_utf16_units() {
        // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units.
        let text = "# é😀\nUser ü\n";
        assert_eq!(applied(text, edit(0, 5, 0, 5, "!")), "# é😀!\nUser ü\n");
        assert_eq!(applied(text, edit(0, 2, 0, 5, "x")), "# x\nUser ü\n");
        assert_eq!(applied(text, edit(1, 5, 1, 6, "u")), "# é😀\nUser u\n");
        let err = apply_edits(text, &[edit(0, 4, 0, 4, "x")]);
        assert!(
            matches!(err, Err(EditError::InsideCharacter { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let text = "Host abcdef\n";
        let err = apply_edits(text, &[edit(0, 5, 0, 8, "x"), edit(0, 7, 0, 9, "y")]);
        assert!(matches!(err, Err(EditError::Overlapping { .. })), "{err:?}");
        let err = apply_edits(text, &[edit(0, 5, 0, 8, "x"), edit(0, 6, 0, 6, "y")]);
        assert!(matches!(err, Err(EditError::Overlapping { .. })), "{err:?}");
    }

    #[test]
    fn touching_edits_and_inserts_at_one_place_are_fine() {
        let text = "Host abc\n";
        let out = apply_edits(
            text,
            &[
                edit(0, 5, 0, 6, "A"),
                edit(0, 6, 0, 8, "BC"),
                edit(0, 8, 0, 8, "1"),
                edit(0, 8, 0, 8, "2"),
            ],
        )
        .unwrap();
        assert_eq!(out, "Host ABC12\n");
    }

    #[test]
    fn ranges_past_the_end_or_reversed_are_refused() {
        let text = "Host a\n";
        // Line 1 is the empty line after the last newline.
        assert_eq!(
            apply_edits(text, &[edit(1, 0, 1, 0, "User b\n")]).unwrap(),
            "Host a\nUser b\n"
        );
        let err = apply_edits(text, &[edit(2, 0, 2, 0, "x")]);
        assert!(
            matches!(err, Err(EditError::PastEnd { lines: 2, .. })),
            "{err:?}"
        );
        let err = apply_edits(text, &[edit(0, 3, 0, 1, "x")]);
        assert!(matches!(err, Err(EditError::Reversed { .. })), "{err:?}");
    }

    #[test]
    fn a_multi_line_edit_spans_lines() {
        let text = "Host a\n  User b\nHost c\n";
        assert_eq!(applied(text, edit(0, 6, 2, 0, "\n")), "Host a\nHost c\n");
    }

    #[test]
    fn the_diff_of_a_one_line_change_shows_that_line_with_context() {
        let old: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 5\n", "line five\n");
        let diff = unified_diff(Path::new("/home/me/.ssh/config"), &old, &new);
        assert_eq!(
            diff,
            "--- a/home/me/.ssh/config\n+++ b/home/me/.ssh/config\n\
             @@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n"
        );
    }

    #[test]
    fn distant_changes_get_separate_hunks_and_near_ones_share() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old.replace("2\n3\n", "2\nthree\n").replace("18\n", "");
        let diff = unified_diff(Path::new("c"), &old, &new);
        assert_eq!(
            diff,
            "--- a/c\n+++ b/c\n\
             @@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n\
             @@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n"
        );
        let new = old
            .replace("\n3\n", "\nthree\n")
            .replace("\n10\n", "\nten\n");
        let diff = unified_diff(Path::new("c"), &old, &new);
        assert!(diff.contains("@@ -1,13 +1,13 @@\n"), "{diff}");
        assert_eq!(diff.matches("@@ -").count(), 1);
    }

    #[test]
    fn the_diff_marks_a_missing_final_newline() {
        let diff = unified_diff(Path::new("c"), "Host a\nUser b", "Host a\nUser c\n");
        assert_eq!(
            diff,
            "--- a/c\n+++ b/c\n@@ -1,2 +1,2 @@\n Host a\n-User b\n\\ No newline at end of file\n+User c\n"
        );
        let diff = unified_diff(Path::new("c"), "", "Host a\n");
        assert_eq!(diff, "--- a/c\n+++ b/c\n@@ -0,0 +1 @@\n+Host a\n");
        assert_eq!(unified_diff(Path::new("c"), "same\n", "same\n"), "");
    }

    /// Applies a unified diff the way `patch` does, checking every context
    /// and removed line against `old`.
    fn patch(old: &str, diff: &str) -> String {
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut next = 0; // next line of `a` to copy
        let mut last_sign = ' ';
        for line in diff.split_inclusive('\n').skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let side = header.split(' ').next().unwrap();
                let mut parts = side.split(',');
                let start: usize = parts.next().unwrap().parse().unwrap();
                let count: usize = parts.next().map_or(1, |c| c.parse().unwrap());
                let first = if count == 0 { start } else { start - 1 };
                assert!(first >= next, "hunks out of order");
                a[next..first].iter().for_each(|l| out.push_str(l));
                next = first;
                continue;
            }
            let (sign, body) = line.split_at(1);
            match sign {
                " " | "-" => {
                    assert_eq!(a[next].trim_end_matches('\n'), body.trim_end_matches('\n'));
                    if sign == " " {
                        out.push_str(body);
                    }
                    next += 1;
                }
                "+" => out.push_str(body),
                "\\" => {
                    if last_sign != '-' {
                        assert_eq!(out.pop(), Some('\n'));
                    }
                }
                other => panic!("bad diff line {other:?}"),
            }
            last_sign = sign.chars().next().unwrap();
        }
        a[next..].iter().for_each(|l| out.push_str(l));
        out
    }

    #[test]
    fn the_diff_applied_gives_the_new_text() {
        // A small linear congruential generator: the same cases every run.
        let mut seed: u64 = 42;
        let mut random = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for case in 0..200 {
            let lines = random(40) as usize;
            let old: String = (0..lines)
                .map(|i| format!("Host h{}\n", random(6) + i as u64 % 3))
                .collect();
            let mut new = String::new();
            for line in old.split_inclusive('\n') {
                match random(6) {
                    0 => {}
                    1 => new.push_str(&format!("  Port {}\n", random(3))),
                    2 => {
                        new.push_str(line);
                        new.push_str("  User x\n");
                    }
                    _ => new.push_str(line),
                }
            }
            if case % 5 == 0 && new.ends_with('\n') {
                new.pop();
            }
            let old = if case % 7 == 0 {
                old.trim_end().to_string()
            } else {
                old
            };
            let diff = unified_diff(Path::new("c"), &old, &new);
            assert_eq!(patch(&old, &diff), new, "case {case}:\n{diff}");
        }
    }

    #[test]
    fn a_huge_difference_still_gives_a_correct_diff() {
        let old: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("b{i}\n")).collect();
        let new = format!("{new}a2999\n");
        let diff = unified_diff(Path::new("c"), &old, &new);
        assert_eq!(patch(&old, &diff), new);
    }

    #[test]
    fn crlf_lines_diff_as_lines() {
        for (old, new, expected) in [
            (
                "Host a\r\n  Hostnme x\r\n",
                "Host a\r\n  HostName x\r\n",
                "--- a/c\n+++ b/c\n@@ -1,2 +1,2 @@\n Host a\r\n-  Hostnme x\r\n+  HostName x\r\n",
            ),
            // A lone \r is part of its line, as `patch` reads it.
            (
                "Host a\r# x\nUser b\n",
                "Host a\r# x\nUser c\n",
                "--- a/c\n+++ b/c\n@@ -1,2 +1,2 @@\n Host a\r# x\n-User b\n+User c\n",
            ),
        ] {
            let diff = unified_diff(Path::new("c"), old, new);
            assert_eq!(diff, expected);
            assert_eq!(patch(old, &diff), new);
        }
    }

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn options(dir: &Path) -> WriteOptions {
        WriteOptions {
            backup_dir: dir.join("state").join("backups"),
            force: false,
        }
    }

    #[test]
    fn writing_replaces_the_file_and_keeps_a_backup_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "Host a\n").unwrap();
        let opts = options(dir.path());
        let outcome = write_file_atomically(&path, b"Host a\n", b"Host b\n", &opts).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"Host b\n");
        let backup = outcome.backup.unwrap();
        assert_eq!(backup.parent().unwrap(), opts.backup_dir);
        let name = backup.file_name().unwrap().to_string_lossy().into_owned();
        let stem = backup_stem(&fs::canonicalize(&path).unwrap());
        assert!(
            name.starts_with(&stem) && name.ends_with(".gord-bak"),
            "{name}"
        );
        assert_eq!(fs::read(&backup).unwrap(), b"Host a\n");
        assert_eq!(names_in(dir.path()), ["config", "state"]);
        assert_eq!(mode_of(&opts.backup_dir), 0o700);
        assert_eq!(mode_of(&backup), 0o600);
        assert!(!outcome.in_place);
    }

    #[test]
    fn backups_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "v1\n").unwrap();
        let opts = options(dir.path());
        let first = write_file_atomically(&path, b"v1\n", b"v2\n", &opts).unwrap();
        let second = write_file_atomically(&path, b"v2\n", b"v3\n", &opts).unwrap();
        let (first, second) = (first.backup.unwrap(), second.backup.unwrap());
        assert_ne!(first, second);
        assert_eq!(fs::read_to_string(&first).unwrap(), "v1\n");
        assert_eq!(fs::read_to_string(&second).unwrap(), "v2\n");
        assert_eq!(fs::read_to_string(&path).unwrap(), "v3\n");
        assert_eq!(names_in(&opts.backup_dir).len(), 2);
    }

    #[test]
    fn a_backup_dir_others_can_read_is_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(dir.path());
        fs::create_dir_all(&opts.backup_dir).unwrap();
        fs::set_permissions(&opts.backup_dir, fs::Permissions::from_mode(0o755)).unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "a\n").unwrap();
        write_file_atomically(&path, b"a\n", b"b\n", &opts).unwrap();
        assert_eq!(mode_of(&opts.backup_dir), 0o700);
    }

    #[test]
    fn backup_names_say_which_file_and_when() {
        assert_eq!(
            backup_stem(Path::new("/home/me/.ssh/config.d/100%")),
            "%2Fhome%2Fme%2F.ssh%2Fconfig.d%2F100%25"
        );
        let long = format!("/{}/config", "d".repeat(400));
        let stem = backup_stem(Path::new(&long));
        assert!(stem.len() < 200 && stem.ends_with("%2Fconfig"), "{stem}");
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_795_000_000), "20261118T110640Z");
        assert_eq!(utc_stamp(951_825_600), "20000229T120000Z");
    }

    #[test]
    fn a_read_only_file_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "a\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        let mut opts = options(dir.path());
        let err = write_file_atomically(&path, b"a\n", b"b\n", &opts).unwrap_err();
        assert!(
            matches!(err, EditError::ReadOnly { mode: 0o400, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"a\n");
        assert_eq!(names_in(dir.path()), ["config"], "no backup, no temp file");
        opts.force = true;
        write_file_atomically(&path, b"a\n", b"b\n", &opts).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"b\n");
        assert_eq!(mode_of(&path), 0o400);
    }

    #[test]
    fn a_hard_linked_file_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let other = dir.path().join("other-name");
        fs::write(&path, "Host a\n  Port 22\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::hard_link(&path, &other).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        let opts = options(dir.path());
        let outcome =
            write_file_atomically(&path, b"Host a\n  Port 22\n", b"Host b\n", &opts).unwrap();
        assert!(outcome.in_place);
        let after = fs::metadata(&path).unwrap();
        assert_eq!((after.ino(), after.nlink()), (inode, 2));
        assert_eq!(fs::read(&other).unwrap(), b"Host b\n", "shorter: truncated");
        assert_eq!(
            fs::read(outcome.backup.unwrap()).unwrap(),
            b"Host a\n  Port 22\n"
        );
        assert_eq!(mode_of(&path), 0o600);

        // Forced on a read-only hard-linked file: written, mode restored.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        let forced = WriteOptions {
            force: true,
            ..opts
        };
        write_file_atomically(&path, b"Host b\n", b"Host c\n", &forced).unwrap();
        assert_eq!(fs::read(&other).unwrap(), b"Host c\n");
        assert_eq!(mode_of(&path), 0o400);
        assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
    }

    #[test]
    fn a_file_changed_on_disk_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "Host edited-meanwhile\n").unwrap();
        let err = write_file_atomically(&path, b"Host a\n", b"Host b\n", &options(dir.path()));
        match err {
            Err(EditError::ChangedOnDisk { path: p }) => {
                assert_eq!(p, fs::canonicalize(&path).unwrap());
                assert!(EditError::ChangedOnDisk { path: p.clone() }
                    .to_string()
                    .contains(&p.display().to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read(&path).unwrap(), b"Host edited-meanwhile\n");
        assert_eq!(names_in(dir.path()), ["config"], "no backup, no temp file");
    }

    #[test]
    fn the_mode_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o600, 0o644, 0o400] {
            let path = dir.path().join(format!("config-{mode:o}"));
            fs::write(&path, "a\n").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            let opts = WriteOptions {
                force: mode == 0o400,
                ..options(dir.path())
            };
            let outcome = write_file_atomically(&path, b"a\n", b"b\n", &opts).unwrap();
            assert_eq!(mode_of(&path), mode, "{path:?}");
            assert_eq!(mode_of(&outcome.backup.unwrap()), 0o600);
            assert_eq!(fs::read(&path).unwrap(), b"b\n");
        }
    }

    #[test]
    fn a_symlinked_config_is_edited_at_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("dotfiles");
        fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("ssh_config");
        fs::write(&real, "Host a\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("config");
        symlink(&real, &link).unwrap();
        let outcome =
            write_file_atomically(&link, b"Host a\n", b"Host b\n", &options(dir.path())).unwrap();
        assert_eq!(outcome.target, fs::canonicalize(&real).unwrap());
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_link(&link).unwrap(), real);
        assert_eq!(fs::read(&real).unwrap(), b"Host b\n");
        assert_eq!(mode_of(&real), 0o600);
        assert_eq!(names_in(&real_dir), ["ssh_config"]);
    }

    #[test]
    fn a_new_file_is_created_with_its_directories_and_never_over_one_that_appeared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Code/User/settings.json");
        let outcome = create_file_atomically(&path, b"{}\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}\n");
        assert_eq!(outcome.backup, None);
        // The modes of a file and a directory made the ordinary way (0666
        // and 0777 less the umask), as VS Code makes them.
        let plain = dir.path().join("plain");
        fs::create_dir(&plain).unwrap();
        fs::write(plain.join("f"), b"").unwrap();
        assert_eq!(mode_of(&path), mode_of(&plain.join("f")));
        assert_eq!(mode_of(path.parent().unwrap()), mode_of(&plain));
        let again = create_file_atomically(&path, b"{\"a\": 1}\n");
        assert!(
            matches!(again, Err(EditError::ChangedOnDisk { .. })),
            "{again:?}"
        );
        assert_eq!(fs::read(&path).unwrap(), b"{}\n");
        assert_eq!(names_in(path.parent().unwrap()), ["settings.json"]);
    }

    #[test]
    fn unchanged_content_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "Host a\n").unwrap();
        let outcome =
            write_file_atomically(&path, b"Host a\n", b"Host a\n", &options(dir.path())).unwrap();
        assert_eq!(outcome.backup, None);
        assert_eq!(names_in(dir.path()), ["config"]);
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing");
        let err = write_file_atomically(&path, b"", b"x", &options(dir.path())).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
    }
}

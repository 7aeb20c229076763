//! Messages for stderr that can neither fail nor drive the terminal:
//! `eprintln!` panics when stderr is a closed pipe or a full disk, and would
//! copy a file name's escape sequences to the terminal raw.

use std::io::Write;

/// Writes one line to stderr with its control characters made visible
/// (layout `\n`/`\t` kept); a failed write is dropped, not a panic.
pub fn stderr_line(args: std::fmt::Arguments<'_>) {
    let text = args.to_string();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", crate::render::escape::text(&text));
}

/// `eprintln!` that never panics and escapes control characters.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stdio::stderr_line(format_args!($($arg)*))
    };
}

/// stderr for the logger: escaped like [`stderr_line`], errors ignored (a
/// log line that cannot be written is not worth stopping for).
#[derive(Debug, Clone, Copy, Default)]
pub struct QuietStderr;

impl Write for QuietStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let _ = std::io::stderr()
            .lock()
            .write_all(crate::render::escape::text(&text).as_bytes());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

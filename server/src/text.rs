//! Text positions: LSP (and [`crate::finding`]) counts UTF-16 code units, Rust strings count bytes.

use crate::finding::{Position, Range};

/// The UTF-16 column of byte offset `byte` within `line` (clamped to the line).
pub fn utf16_column(line: &str, byte: usize) -> u32 {
    let mut byte = byte.min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    let units: usize = line[..byte].chars().map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// Where each line of a text starts. Lines end at `\n`; a `\r` before it
/// belongs to the line ending, as in [`crate::ssh::config::source::SourceFile`].
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Lines in the text; a final line without `\n` counts, an empty one too.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// End of line `line`'s content, before its `\n` or `\r\n` (the text's
    /// end for a line past the last).
    pub fn content_end(&self, line: usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        match self.starts.get(line + 1) {
            Some(&next) => {
                let newline = next - 1;
                if newline > start && self.text.as_bytes()[newline - 1] == b'\r' {
                    newline - 1
                } else {
                    newline
                }
            }
            None => self.text.len(),
        }
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset.min(self.text.len())) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The LSP position (UTF-16 column) of byte `offset`, clamped to the text
    /// and rounded down to a character boundary.
    pub fn position(&self, offset: usize) -> Position {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let line_text = &self.text[start..self.content_end(line)];
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            utf16_column(line_text, offset.min(self.text.len()) - start),
        )
    }
}

/// An LSP range on one line, from byte offsets within that line.
pub fn line_range(line_index: usize, line: &str, start: usize, end: usize) -> Range {
    let line_no = u32::try_from(line_index).unwrap_or(u32::MAX);
    Range {
        start: Position::new(line_no, utf16_column(line, start)),
        end: Position::new(line_no, utf16_column(line, end)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_byte_offsets_count_utf16_units_per_line() {
        let text = "ab\r\n日😀x\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(
            index.content_end(0),
            2,
            "the \\r belongs to the line ending"
        );
        assert_eq!(index.position(0), Position::new(0, 0));
        assert_eq!(index.position(4), Position::new(1, 0));
        assert_eq!(index.position(7), Position::new(1, 1), "日 is 3 bytes");
        assert_eq!(index.position(11), Position::new(1, 3), "😀 is 2 units");
        assert_eq!(index.position(13), Position::new(2, 0));
        assert_eq!(index.position(999), Position::new(2, 4), "clamped");
        assert_eq!(index.line_of(3), 0, "the \\n ends line 0");
    }

    #[test]
    fn counts_utf16_units_not_bytes() {
        let line = "é😀x";
        assert_eq!(utf16_column(line, 0), 0);
        assert_eq!(utf16_column(line, 2), 1, "é is 2 bytes, 1 unit");
        assert_eq!(utf16_column(line, 6), 3, "😀 is 4 bytes, 2 units");
        assert_eq!(utf16_column(line, 99), 4, "clamped to the line");
        assert_eq!(utf16_column(line, 3), 1, "inside a char rounds down");
    }
}

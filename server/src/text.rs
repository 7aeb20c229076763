//! Text positions: LSP counts UTF-16 code units, Rust strings count bytes.

use tower_lsp_server::ls_types::{Position, Range};

/// The UTF-16 column of byte offset `byte` within `line` (clamped to the line).
pub fn utf16_column(line: &str, byte: usize) -> u32 {
    let mut byte = byte.min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    let units: usize = line[..byte].chars().map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
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
    fn counts_utf16_units_not_bytes() {
        let line = "é😀x";
        assert_eq!(utf16_column(line, 0), 0);
        assert_eq!(utf16_column(line, 2), 1, "é is 2 bytes, 1 unit");
        assert_eq!(utf16_column(line, 6), 3, "😀 is 4 bytes, 2 units");
        assert_eq!(utf16_column(line, 99), 4, "clamped to the line");
        assert_eq!(utf16_column(line, 3), 1, "inside a char rounds down");
    }
}

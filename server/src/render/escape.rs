//! The one place untrusted text (file names, config lines, go.mod, linter
//! messages) is made safe to show: control characters become visible escapes
//! for terminals, and Markdown gets escaped text, code spans and fences that
//! the text cannot break out of. Every renderer calls these; none has its own.

use std::borrow::Cow;

/// Characters that must never reach a terminal or a renderer raw: C0 controls
/// (ESC starts OSC 52 clipboard writes, OSC 0 title changes, CSI), DEL, C1
/// controls (U+009B is a one-byte CSI on some terminals) and the bidi
/// overrides/isolates that make a line read differently from what it is.
/// `\n` and `\t` are layout, not attacks, and are judged by the caller.
pub fn is_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\u{0}'..='\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

fn escape_where(text: &str, layout: bool, hostile: impl Fn(char) -> bool) -> Cow<'_, str> {
    // Printable ASCII is never hostile, so text of it and (with `layout`)
    // `\n` and `\t` is checked byte by byte, without decoding characters
    // (`gord ssh resolve --all` writes megabytes of it).
    if plain_ascii(text.as_bytes(), layout) || !text.chars().any(&hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `bytes` are all printable ASCII (and, with `layout`, `\n` and
/// `\t`). Judged a block at a time without stopping early inside a block,
/// which the compiler turns into wide compares.
fn plain_ascii(bytes: &[u8], layout: bool) -> bool {
    bytes.chunks(64).all(|block| {
        let odd = block.iter().fold(false, |odd, &b| {
            odd | (!(0x20..0x7f).contains(&b) && !(layout && (b == b'\n' || b == b'\t')))
        });
        !odd
    })
}

/// Multi-line text for a terminal or a code block: every control character
/// but `\n` and `\t` written visibly (`\x1b`, `\u{202e}`).
pub fn text(text: &str) -> Cow<'_, str> {
    escape_where(text, true, |c| is_control(c) && c != '\n' && c != '\t')
}

/// One-line text (a file name, a title, a table cell): `\n` and `\t` are
/// written visibly too, so a name cannot forge the next line of output.
pub fn line(text: &str) -> Cow<'_, str> {
    escape_where(text, false, is_control)
}

/// Serialized JSON with the hostile characters JSON leaves raw (DEL, C1,
/// bidi) written as `\uXXXX`: the same data for a parser, nothing for a
/// terminal that shows the document. serde_json already escapes C0; every
/// such character can only sit inside a string, where `\u` is valid.
pub fn json(document: &str) -> Cow<'_, str> {
    use std::fmt::Write;
    // Pretty-printing's own newlines and indentation stay.
    let raw = |c: char| is_control(c) && c != '\n' && c != '\t';
    if plain_ascii(document.as_bytes(), true) || !document.chars().any(raw) {
        return Cow::Borrowed(document);
    }
    let mut out = String::with_capacity(document.len() + 16);
    for c in document.chars() {
        if raw(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Markdown punctuation that can start markup anywhere in a line: HTML and
/// autolinks (`<`), links and images (`[`, `]`, `!`, `(`, `)`), code (`` ` ``),
/// emphasis, entities, table cells, escapes themselves.
fn md_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&' | '~' | '(' | ')'
    )
}

/// Untrusted text inside a line of Markdown (after a list marker, in a
/// heading or a table cell): one line, every character that could open HTML,
/// a link, an image or code backslash-escaped (CommonMark makes any escaped
/// ASCII punctuation literal).
pub fn md_text(text: &str) -> String {
    escape_md(text, false)
}

/// [`md_text`] for text that starts a line (a paragraph): a leading block
/// marker (`-`, `+`, `=`, `1.`) is escaped too, so it stays a paragraph.
pub fn md_paragraph(text: &str) -> String {
    escape_md(text, true)
}

fn escape_md(text: &str, line_start: bool) -> String {
    let one_line = line(text);
    let mut out = String::with_capacity(one_line.len() + 8);
    let digits = one_line.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in one_line.chars().enumerate() {
        let block_marker = line_start
            && ((i == 0 && matches!(c, '-' | '+' | '='))
                || (i == digits && digits > 0 && c == '.'));
        if md_special(c) || block_marker {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// An inline code span holding `text` literally: one line, delimited by a
/// backtick run longer than any inside it, padded when the text starts or
/// ends with a backtick.
pub fn md_code(text: &str) -> String {
    let one_line = line(text);
    let ticks = "`".repeat(longest_backtick_run(&one_line) + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') || one_line.is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{one_line}{pad}{ticks}")
}

/// [`md_code`] for a GFM table cell, where even a code span's `|` ends the
/// cell unless escaped.
pub fn md_code_cell(text: &str) -> String {
    md_code(text).replace('|', "\\|")
}

/// A fenced code block holding `text` literally (control characters but
/// `\n`/`\t` escaped), its fence longer than any backtick run inside so no
/// line of the text can close it. `info` is ours (`sh`, `text`).
pub fn md_fence(text: &str, info: &str) -> String {
    let body = self::text(text);
    let fence = "`".repeat((longest_backtick_run(&body) + 1).max(3));
    let body = body.trim_end_matches('\n');
    format!("{fence}{info}\n{body}\n{fence}\n")
}

/// Text as HTML character data or a quoted attribute value: control
/// characters and bidi overrides shown visibly (as [`text`] does), then `&`,
/// `<`, `>`, `"` and `'` written as entities, so no text becomes markup.
pub fn html(text: &str) -> String {
    let text = self::text(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_cannot_open_a_tag_close_an_attribute_or_hide_a_control() {
        assert_eq!(
            html("<b onclick='x'>\"&\u{202e}"),
            "&lt;b onclick=&#39;x&#39;&gt;&quot;&amp;\\u{202e}"
        );
    }

    #[test]
    fn terminal_escapes_are_made_visible() {
        let osc52 = "a\x1b]52;c;aGk=\x07b";
        assert_eq!(text(osc52), "a\\x1b]52;c;aGk=\\x07b");
        assert_eq!(text("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(text("x\u{202e}txt.exe"), "x\\u{202e}txt.exe");
        assert_eq!(
            text("\u{2066}\u{2069}\u{7f}\r"),
            "\\u{2066}\\u{2069}\\x7f\\r"
        );
    }

    #[test]
    fn layout_is_kept_in_text_but_not_in_a_line() {
        assert_eq!(text("a\n\tb"), "a\n\tb");
        assert!(matches!(text("a\n\tb ~"), Cow::Borrowed(_)));
        assert_eq!(line("a\n\tb"), "a\\n\\tb");
        assert!(matches!(text("plain ünïcode ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_text_cannot_open_html_links_or_images() {
        assert_eq!(
            md_text("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert\\(1\\)\\>"
        );
        assert_eq!(
            md_text("![x](http://127.0.0.1/) [y](z)"),
            "\\!\\[x\\]\\(http://127.0.0.1/\\) \\[y\\]\\(z\\)"
        );
        assert_eq!(md_text("a\n# b"), "a\\\\n\\# b");
        assert_eq!(md_paragraph("- item"), "\\- item");
        assert_eq!(md_paragraph("12. x"), "12\\. x");
        assert_eq!(md_text("- item"), "- item");
        assert_eq!(md_text("go 1.22"), "go 1.22");
    }

    #[test]
    fn json_keeps_its_data_and_loses_its_raw_controls() {
        let doc =
            serde_json::to_string(&serde_json::json!({"m": "a\u{9b}b\u{202e}c\u{1b}\n"})).unwrap();
        let escaped = json(&doc);
        assert!(!escaped.chars().any(is_control), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["m"], "a\u{9b}b\u{202e}c\u{1b}\n");
    }

    #[test]
    fn code_spans_outlast_every_backtick_run() {
        assert_eq!(md_code("go.mod"), "`go.mod`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("```x"), "```` ```x ````");
        assert_eq!(md_code("a\n\nb"), "`a\\n\\nb`");
        assert_eq!(md_code_cell("a|b"), "`a\\|b`");
    }

    #[test]
    fn fences_outlast_every_backtick_run() {
        assert_eq!(md_fence("ls\n", "sh"), "```sh\nls\n```\n");
        let hostile = "x\n````\n<img src=x>\n";
        let fenced = md_fence(hostile, "text");
        assert!(fenced.starts_with("`````text\n"), "{fenced}");
        assert!(fenced.ends_with("\n`````\n"), "{fenced}");
        assert_eq!(md_fence("\x1b[2J", ""), "```\n\\x1b[2J\n```\n");
    }
}

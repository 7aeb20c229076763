//! Colour for terminal text: one choice (`--color auto|always|never`), the
//! environment's say for `auto` (NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM, a
//! terminal or not, as anstream reads them), and anstyle styles painted only
//! when colour is on. Every text renderer paints through [`Paint`].

use anstyle::{AnsiColor, Color, Style};

/// What `--color` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Whether text written to stdout gets colour.
pub fn stdout_wants_colour(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

const fn fg(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(colour)))
}

pub const ERROR: Style = fg(AnsiColor::Red);
pub const WARNING: Style = fg(AnsiColor::Yellow);
pub const INFO: Style = fg(AnsiColor::Cyan);
pub const OK: Style = fg(AnsiColor::Green);
pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();

/// Paints text in a style when colour is on, else leaves it plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn new(on: bool) -> Self {
        Paint { on }
    }

    pub fn paint(self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

/// The style of a finding's severity word.
pub fn severity(severity: crate::finding::Severity) -> Style {
    match severity {
        crate::finding::Severity::Error => ERROR,
        crate::finding::Severity::Warning => WARNING,
        crate::finding::Severity::Info => INFO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_the_plain_sgr_codes_and_a_reset() {
        let on = Paint::new(true);
        assert_eq!(on.paint(ERROR, "x"), "\x1b[31mx\x1b[0m");
        assert_eq!(on.paint(WARNING, "x"), "\x1b[33mx\x1b[0m");
        assert_eq!(on.paint(INFO, "x"), "\x1b[36mx\x1b[0m");
        assert_eq!(on.paint(OK, "x"), "\x1b[32mx\x1b[0m");
        assert_eq!(on.paint(BOLD, "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(on.paint(DIM, "x"), "\x1b[2mx\x1b[0m");
        assert_eq!(Paint::new(false).paint(ERROR, "x"), "x");
    }

    #[test]
    fn an_explicit_choice_wins_over_the_terminal_and_environment() {
        assert!(stdout_wants_colour(ColorChoice::Always));
        assert!(!stdout_wants_colour(ColorChoice::Never));
    }
}

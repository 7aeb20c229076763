//! The two JSON dialects gord reads with jsonc-parser, with their spans:
//! VS Code's JSONC (comments and trailing commas: settings.json,
//! devcontainer.json) and strict JSON (.golangci.json). Neither takes
//! JSON5's forms (single quotes, hex numbers, unquoted names, ...).

use jsonc_parser::errors::ParseError;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, ParseResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Comments and trailing commas allowed, as VS Code reads its files.
    Jsonc,
    /// RFC 8259 JSON.
    Strict,
}

/// Parses `text` in `dialect` into an AST, with its tokens when `tokens`.
pub fn parse(text: &str, dialect: Dialect, tokens: bool) -> Result<ParseResult<'_>, ParseError> {
    let lenient = dialect == Dialect::Jsonc;
    let options = ParseOptions {
        allow_comments: lenient,
        allow_trailing_commas: lenient,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens,
    };
    jsonc_parser::parse_to_ast(text, &collect, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_takes_comments_and_trailing_commas_strict_json_does_not() {
        let text = "{\n  // why\n  \"a\": [1, 2,],\n}";
        assert!(parse(text, Dialect::Jsonc, false).is_ok());
        assert!(parse(text, Dialect::Strict, false).is_err());
        assert!(parse("{\"a\": 1}", Dialect::Strict, true)
            .unwrap()
            .tokens
            .is_some());
        for json5 in ["{'a': 1}", "{a: 1}", "{\"a\": 0x1}", "{\"a\": +1}"] {
            assert!(parse(json5, Dialect::Jsonc, false).is_err(), "{json5}");
        }
    }
}

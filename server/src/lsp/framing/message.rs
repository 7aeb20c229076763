//! Which framed bodies may go on to tower-lsp, and the JSON-RPC error for the
//! rest. tower-lsp ends its read loop (and so the sidecar) on the first body
//! it cannot deserialize, so nothing reaches it that its own decoder
//! (`serde_json` into an untagged Response-or-Request) would refuse.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tower_lsp_server::jsonrpc::{Request, Response};

/// JSON-RPC 2.0: the body is not JSON (also used for a refused header).
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: JSON, but not a request, notification or response object.
pub const INVALID_REQUEST: i64 = -32600;

/// What to do with one framed body.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A message tower-lsp accepts: forward it unchanged.
    Forward,
    /// Not JSON (or not UTF-8): answer -32700 with id null.
    NotJson(String),
    /// JSON but not a message: answer -32600, with the id when one is readable.
    NotMessage { id: Value, detail: String },
    /// A malformed response: never answered (an answer to a response could
    /// start a loop with a client that answers errors too).
    BadResponse(String),
}

pub fn check(body: &[u8]) -> Verdict {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return Verdict::NotJson(format!("not UTF-8: {e}")),
    };
    // A full parse (every string and number decoded, as tower-lsp will),
    // without building the value: the params of a didOpen can be megabytes.
    if let Err(e) = serde_json::from_str::<Checked>(text) {
        return Verdict::NotJson(e.to_string());
    }
    if !text.trim_start().starts_with('{') {
        return not_message(Value::Null, "not a JSON object (batches are not supported)");
    }
    let head = match serde_json::from_str::<Head>(text) {
        Ok(head) => head,
        Err(e) => return not_message(Value::Null, &e.to_string()),
    };
    match serde_json::from_value::<Mirror>(head.shallow()) {
        Ok(_) => Verdict::Forward,
        Err(e) if head.method.is_none() && (head.result || head.error.is_some()) => {
            Verdict::BadResponse(e.to_string())
        }
        Err(e) => not_message(head.readable_id(), &e.to_string()),
    }
}

fn not_message(id: Value, detail: &str) -> Verdict {
    Verdict::NotMessage {
        id,
        detail: detail.to_owned(),
    }
}

/// The error response for a refused message, as a JSON body.
pub fn error_body(code: i64, id: &Value, detail: &str) -> Vec<u8> {
    let message = match code {
        PARSE_ERROR => "Parse error",
        INVALID_REQUEST => "Invalid Request",
        _ => "Error",
    };
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code, "message": message, "data": detail },
    })
    .to_string()
    .into_bytes()
}

/// tower-lsp's own `Message` (private to it): a response first, then a
/// request or notification.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only whether it deserializes matters
pub enum Mirror {
    Response(Response),
    Request(Request),
}

/// The members tower-lsp looks at. `params` and `result` are only noted as
/// present (tower-lsp accepts any value there), so they are never copied.
/// Duplicate members are refused here, as tower-lsp refuses them.
#[derive(Deserialize)]
struct Head {
    #[serde(default, deserialize_with = "some")]
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "some")]
    method: Option<Value>,
    #[serde(default, deserialize_with = "some")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "some")]
    error: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    params: bool,
    #[serde(default, deserialize_with = "present")]
    result: bool,
}

impl Head {
    /// The object with params and result replaced by null.
    fn shallow(&self) -> Value {
        let mut object = Map::new();
        let members = [
            ("jsonrpc", &self.jsonrpc),
            ("method", &self.method),
            ("id", &self.id),
            ("error", &self.error),
        ];
        for (name, value) in members {
            if let Some(value) = value {
                object.insert(name.to_owned(), value.clone());
            }
        }
        for (name, present) in [("params", self.params), ("result", self.result)] {
            if present {
                object.insert(name.to_owned(), Value::Null);
            }
        }
        Value::Object(object)
    }

    /// The id to answer with: a JSON-RPC id (integer or string), else null.
    fn readable_id(&self) -> Value {
        match &self.id {
            Some(id @ Value::String(_)) => id.clone(),
            Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
            _ => Value::Null,
        }
    }
}

/// Keeps an explicit `null` as `Some(Null)`, unlike a plain `Option`.
fn some<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Checked::deserialize(deserializer).map(|_| true)
}

/// Any JSON value, parsed in full (strings unescaped, numbers converted, so
/// a lone surrogate or an out-of-range number is an error as it is for
/// tower-lsp) and then dropped. `IgnoredAny` would skip without checking.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(text: &str) -> Verdict {
        check(text.as_bytes())
    }

    #[test]
    fn messages_go_through() {
        for text in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","id":"a","result":null}"#,
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#,
            r#" {"jsonrpc":"2.0","method":"x","params":[1,"\u00e9",{"a":null}],"extra":1} "#,
        ] {
            assert_eq!(verdict(text), Verdict::Forward, "{text}");
            // What tower-lsp itself does with the bytes.
            assert!(serde_json::from_str::<Mirror>(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn not_json_is_a_parse_error() {
        for text in [
            "",
            "{",
            "{\"jsonrpc\":\"2.0\",}",
            "{} {}",
            r#"{"jsonrpc":"2.0","method":"x","params":"\ud800"}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":1e999}"#,
            &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        ] {
            assert!(matches!(verdict(text), Verdict::NotJson(_)), "{text}");
        }
        assert!(matches!(check(b"{\"a\":\"\xff\"}"), Verdict::NotJson(_)));
    }

    #[test]
    fn json_that_is_not_a_message_is_an_invalid_request() {
        let cases = [
            ("[]", Value::Null),
            (r#"[{"jsonrpc":"2.0","method":"exit"}]"#, Value::Null),
            ("5", Value::Null),
            ("\"initialize\"", Value::Null),
            ("null", Value::Null),
            ("{}", Value::Null),
            (r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#, json!(7)),
            (r#"{"jsonrpc":"2.0","id":"s","method":5}"#, json!("s")),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Value::Null),
            (
                r#"{"jsonrpc":"2.0","method":"a","method":"b"}"#,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","method":"a","params":1,"params":2}"#,
                Value::Null,
            ),
        ];
        for (text, want) in cases {
            match verdict(text) {
                Verdict::NotMessage { id, .. } => assert_eq!(id, want, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
            assert!(serde_json::from_str::<Mirror>(text).is_err() || text.starts_with('['));
        }
    }

    #[test]
    fn a_malformed_response_is_not_answered() {
        for text in [
            r#"{"jsonrpc":"2.0","id":{},"result":1}"#,
            r#"{"jsonrpc":"2.0","id":{},"error":"no"}"#,
            r#"{"id":1,"result":1}"#,
        ] {
            assert!(matches!(verdict(text), Verdict::BadResponse(_)), "{text}");
        }
    }

    #[test]
    fn error_bodies_are_json_rpc_errors() {
        let body: Value =
            serde_json::from_slice(&error_body(PARSE_ERROR, &Value::Null, "eof")).unwrap();
        assert_eq!(
            body,
            json!({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"eof"}})
        );
    }
}

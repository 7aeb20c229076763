//! docs/protocol.md is the contract: every `gord/*` method it documents
//! exists in the Rust declarations (server/src/lsp/ext.rs) and every declared
//! method is documented, and so is each params and result field, both ways.
//! The server routes every declared request.

use crate::common;

use std::collections::BTreeMap;

use common::editor::Editor;
use gord::lsp::ext::{self, Request};
use serde::de::{self, DeserializeOwned, Visitor};
use serde::Serialize;
use serde_json::{json, Value};

/// The field names of a struct as serde reads them (renamed, `skip`ped
/// ones left out), read from what its `Deserialize` asks for; empty for `()`.
fn fields_of<T: DeserializeOwned>() -> Vec<String> {
    let mut found = None;
    let _ = T::deserialize(Introspect { found: &mut found });
    found
        .unwrap_or_else(|| panic!("{} is not a struct", std::any::type_name::<T>()))
        .into_iter()
        .map(String::from)
        .collect()
}

/// A deserializer that records the fields a struct asks for, then stops.
struct Introspect<'a> {
    found: &'a mut Option<Vec<&'static str>>,
}

impl<'de> de::Deserializer<'de> for Introspect<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.found = Some(fields.to_vec());
        Err(de::Error::custom("fields recorded"))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        *self.found = Some(Vec::new());
        Err(de::Error::custom("no fields"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The top-level fields of a value serialized with every optional field set:
/// for the results that are only ever written, never read back.
fn fields_in<T: Serialize>(value: &T) -> Vec<String> {
    match serde_json::to_value(value).unwrap() {
        Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    }
}

/// A method's params and result fields (a notification has no result).
#[derive(Debug, PartialEq)]
struct Shape {
    params: Vec<String>,
    result: Option<Vec<String>>,
}

fn request<R: Request>() -> (&'static str, Shape)
where
    R::Result: DeserializeOwned,
{
    (
        R::METHOD,
        Shape {
            params: sorted(fields_of::<R::Params>()),
            result: Some(sorted(fields_of::<R::Result>())),
        },
    )
}

/// A request whose result cannot be read back: its fields from a sample.
fn request_written<R: Request>(sample: &R::Result) -> (&'static str, Shape) {
    (
        R::METHOD,
        Shape {
            params: sorted(fields_of::<R::Params>()),
            result: Some(sorted(fields_in(sample))),
        },
    )
}

fn notification<N: tower_lsp_server::ls_types::notification::Notification>() -> (&'static str, Shape)
{
    (
        N::METHOD,
        Shape {
            params: sorted(fields_of::<N::Params>()),
            result: None,
        },
    )
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

fn sample_preflight() -> gord::debug::preflight::Preflight {
    gord::debug::preflight::Preflight {
        pid: 4321,
        blocked: false,
        findings: Vec::new(),
    }
}

/// Every declared method with its fields, from the Rust types.
fn declared() -> BTreeMap<&'static str, Shape> {
    use gord::debug::launch::ServerKind;
    let addr: std::net::SocketAddr = "127.0.0.1:40123".parse().unwrap();
    let configurations =
        gord::debug::config::attach_configurations(ServerKind::Dap, addr, 4321, "server", vec![]);
    let attach = ext::AttachResult {
        session_id: "dlv-1".into(),
        server: ServerKind::Dap,
        host: "127.0.0.1".into(),
        port: 40123,
        dlv_pid: Some(5150),
        configuration: json!({}),
        configurations,
        preflight: sample_preflight(),
    };
    let detach = ext::DetachResult {
        detached: true,
        pid: Some(4321),
        stop: Some(gord::debug::launch::StopReport {
            method: "SIGTERM".into(),
            exited_cleanly: true,
            problem: None,
        }),
    };
    let procs = gord::debug::ProcessList {
        me: gord::debug::discover::SelfFacts {
            uid: 1000,
            cap_sys_ptrace: false,
            ptrace_scope: Some(1),
        },
        dlv: gord::debug::dlv::DlvFacts {
            path: None,
            version: None,
            searched: Vec::new(),
            error: None,
        },
        processes: Vec::new(),
    };
    BTreeMap::from([
        request::<ext::Version>(),
        request::<ext::Health>(),
        request::<ext::Report>(),
        request::<ext::LintWorkspace>(),
        request::<ext::Preload>(),
        request::<ext::RemoteHosts>(),
        request::<ext::RemoteCheck>(),
        request_written::<ext::Procs>(&procs),
        request_written::<ext::Attach>(&attach),
        request_written::<ext::Detach>(&detach),
        request::<ext::SettingsCreate>(),
        notification::<ext::StatusNotification>(),
        notification::<ext::LintStatusNotification>(),
    ])
}

/// Every method docs/protocol.md documents (its `### \`gord/...\`` headings),
/// with the fields its `| params |` and `| result |` rows name.
fn documented() -> BTreeMap<String, Shape> {
    let doc = std::fs::read_to_string(common::repo_root().join("docs/protocol.md")).unwrap();
    let mut methods = BTreeMap::new();
    let mut current: Option<(String, Shape)> = None;
    for line in doc.lines() {
        if let Some(heading) = line.strip_prefix("### `") {
            if let Some((method, shape)) = current.take() {
                methods.insert(method, shape);
            }
            let method = heading.trim_end_matches('`').to_string();
            current = Some((
                method,
                Shape {
                    params: Vec::new(),
                    result: None,
                },
            ));
        } else if line.starts_with("## ") {
            if let Some((method, shape)) = current.take() {
                methods.insert(method, shape);
            }
        } else if let Some((_, shape)) = current.as_mut() {
            if let Some(row) = line.strip_prefix("| params |") {
                shape.params = sorted(backticked(row));
            } else if let Some(row) = line.strip_prefix("| result |") {
                shape.result = Some(sorted(backticked(row)));
            }
        }
    }
    if let Some((method, shape)) = current {
        methods.insert(method, shape);
    }
    methods
}

/// The `name`s written in backticks in a table row.
fn backticked(row: &str) -> Vec<String> {
    row.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_declarations_cover_every_request_and_notification() {
    let declared = declared();
    let mut tested: Vec<&str> = declared.keys().copied().collect();
    let mut all: Vec<&str> = ext::all_methods().collect();
    tested.sort_unstable();
    all.sort_unstable();
    assert_eq!(tested, all, "this test's table against ext.rs");
}

#[test]
fn every_documented_method_is_declared_and_every_declared_one_documented() {
    let documented = documented();
    let declared: Vec<&str> = ext::all_methods().collect();
    let undeclared: Vec<&String> = documented
        .keys()
        .filter(|m| !declared.contains(&m.as_str()))
        .collect();
    assert!(
        undeclared.is_empty(),
        "docs/protocol.md documents methods the server does not declare: {undeclared:?}"
    );
    let undocumented: Vec<&&str> = declared
        .iter()
        .filter(|m| !documented.contains_key(**m))
        .collect();
    assert!(
        undocumented.is_empty(),
        "methods missing from docs/protocol.md: {undocumented:?}"
    );
}

#[test]
fn every_method_documents_exactly_the_fields_of_its_params_and_result() {
    let documented = documented();
    let mut wrong = Vec::new();
    for (method, shape) in declared() {
        let Some(doc) = documented.get(method) else {
            continue; // reported by the test above
        };
        let only_in = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|f| !b.contains(f)).cloned().collect()
        };
        let mut compare = |what: &str, rust: &[String], doc: &[String]| {
            let missing = only_in(rust, doc);
            let unknown = only_in(doc, rust);
            if !missing.is_empty() || !unknown.is_empty() {
                wrong.push(format!(
                    "{method} {what}: undocumented {missing:?}, documented but not in Rust {unknown:?}"
                ));
            }
        };
        compare("params", &shape.params, &doc.params);
        match (&shape.result, &doc.result) {
            (Some(rust), Some(doc)) => compare("result", rust, doc),
            (None, None) => {}
            (Some(_), None) => wrong.push(format!("{method}: no `| result |` row")),
            (None, Some(_)) => wrong.push(format!(
                "{method}: a notification has no result, yet a `| result |` row"
            )),
        }
    }
    assert!(wrong.is_empty(), "docs/protocol.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_doc_reader_sees_a_missing_or_an_extra_field() {
    // The comparison above is only as good as this reader.
    let row = "| params | `refresh`?, `config` (a path) |";
    assert_eq!(
        backticked(row.strip_prefix("| params |").unwrap()),
        ["refresh", "config"]
    );
    assert_eq!(fields_of::<ext::HealthParams>(), ["refresh"]);
    assert_eq!(fields_of::<ext::NoParams>(), Vec::<String>::new());
    assert_ne!(
        fields_of::<ext::RemoteHostsParams>(),
        fields_of::<ext::HealthParams>()
    );
}

#[test]
fn the_server_routes_every_declared_request() {
    let ws = tempfile::tempdir().unwrap();
    let mut editor = Editor::start(&[]);
    editor.initialize(ws.path(), json!({}));
    for method in ext::REQUESTS {
        // Params no request takes: routed, the answer is InvalidParams and
        // nothing runs; unrouted, it would be MethodNotFound.
        let response = editor.request(method, Some(json!("not params")));
        assert_eq!(response["error"]["code"], -32602, "{method}: {response:#}");
    }
    editor.finish();
}

#[test]
fn the_test_editor_fails_a_session_that_left_a_message_unread() {
    let ws = tempfile::tempdir().unwrap();
    let bad_setting = json!({ "settings": { "checks": { "timeoutSeconds": "soon" } } });
    let mut editor = Editor::start(&[]);
    editor.initialize(ws.path(), bad_setting.clone());
    editor.wait_arrived(|m| m["method"] == "window/showMessage");
    let unread = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| editor.finish()));
    let message = unread.expect_err("an unread window/showMessage must fail the session");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.contains("window/showMessage"), "{text}");

    // Ignored by its method name, the same message passes.
    let mut editor = Editor::start(&[]);
    editor.ignore(&["window/showMessage"]);
    editor.initialize(ws.path(), bad_setting);
    editor.wait_arrived(|m| m["method"] == "window/showMessage");
    editor.finish();
}

//! What `go list -m -json` and `go mod download -json` print: a stream of
//! indented JSON objects, one per module. Parsed incrementally, so a caller
//! can report each module as its object ends.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// One module object, with the fields gord uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ModuleInfo {
    pub path: String,
    pub version: String,
    /// A main module of the build (the workspace's own).
    pub main: bool,
    pub indirect: bool,
    /// The extracted module in GOMODCACHE; absent until it is downloaded.
    pub dir: Option<String>,
    /// `go mod download`: the module's zip in GOMODCACHE.
    pub zip: Option<String>,
    pub replace: Option<Box<ModuleInfo>>,
    pub error: Option<ModuleError>,
}

/// `go list -m` prints `{"Err": "..."}`; `go mod download` prints a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ModuleError {
    Text(String),
    Object {
        #[serde(rename = "Err")]
        err: String,
    },
}

impl ModuleError {
    pub fn text(&self) -> &str {
        match self {
            ModuleError::Text(t) => t,
            ModuleError::Object { err } => err,
        }
    }
}

impl ModuleInfo {
    /// `path@version`, as go names a module in messages.
    pub fn id(&self) -> String {
        if self.version.is_empty() {
            self.path.clone()
        } else {
            format!("{}@{}", self.path, self.version)
        }
    }

    /// Replaced by a directory on disk: nothing to download.
    pub fn is_local_replacement(&self) -> bool {
        self.replace.as_ref().is_some_and(|r| r.version.is_empty())
    }
}

/// Splits go's stream of JSON objects as lines arrive. go indents the fields
/// of each object, so an object ends at a line that is exactly `}`.
#[derive(Debug, Default)]
pub struct ObjectStream {
    pending: String,
}

impl ObjectStream {
    /// Feeds one line (without its newline); returns the module when the
    /// line closes an object, or the parse error for a malformed object.
    pub fn push_line(&mut self, line: &str) -> Option<Result<ModuleInfo, serde_json::Error>> {
        if self.pending.is_empty() && line.trim().is_empty() {
            return None;
        }
        self.pending.push_str(line);
        self.pending.push('\n');
        if line.trim_end() != "}" {
            return None;
        }
        let text = std::mem::take(&mut self.pending);
        Some(serde_json::from_str(&text))
    }
}

/// Parses a whole stream of module objects; malformed objects are skipped.
pub fn parse_module_stream(text: &str) -> Vec<ModuleInfo> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<ModuleInfo>()
        .map_while(Result::ok)
        .collect()
}

/// The modules a plain `go mod download` fetches: every module a main
/// module's go.mod requires (go 1.17+ lists every module its packages and
/// tests need), at the version the build selects, without main modules and
/// local replacements. `required` is the union of the main modules' require
/// paths; `None` means a go.mod before go 1.17, where the whole graph counts.
pub fn download_set(graph: &[ModuleInfo], required: Option<&BTreeSet<String>>) -> Vec<ModuleInfo> {
    graph
        .iter()
        .filter(|m| !m.main && !m.version.is_empty() && !m.is_local_replacement())
        .filter(|m| required.is_none_or(|r| r.contains(&m.path)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{
	"Path": "example.com/app",
	"Main": true,
	"Dir": "/ws/app",
	"GoMod": "/ws/app/go.mod"
}
{
	"Path": "example.com/dep",
	"Version": "v1.2.0",
	"Dir": "/mc/example.com/dep@v1.2.0"
}
{
	"Path": "example.com/missing",
	"Version": "v0.1.0",
	"Indirect": true,
	"Error": {
		"Err": "module lookup disabled by GOPROXY=off"
	}
}
{
	"Path": "example.com/local",
	"Version": "v0.0.0",
	"Replace": {
		"Path": "../local",
		"Dir": "/ws/local"
	}
}
{
	"Path": "example.com/testonly",
	"Version": "v1.0.0"
}
"#;

    #[test]
    fn objects_end_at_their_closing_brace_line() {
        let mut stream = ObjectStream::default();
        let mut done = Vec::new();
        for line in LIST.lines() {
            if let Some(module) = stream.push_line(line) {
                done.push(module.unwrap());
            }
        }
        assert_eq!(done.len(), 5);
        assert!(done[0].main);
        assert_eq!(done[1].id(), "example.com/dep@v1.2.0");
        assert_eq!(
            done[2].error.as_ref().map(ModuleError::text),
            Some("module lookup disabled by GOPROXY=off")
        );
        assert!(done[3].is_local_replacement());
        assert_eq!(parse_module_stream(LIST), done);
    }

    #[test]
    fn download_errors_are_plain_strings() {
        let text = "{\n\t\"Path\": \"x.example/y\",\n\t\"Version\": \"v1.0.0\",\n\t\"Error\": \"x.example/y@v1.0.0: reading file:///p/x.example/y/@v/v1.0.0.zip: no such file or directory\"\n}\n";
        let parsed = parse_module_stream(text);
        assert!(parsed[0]
            .error
            .as_ref()
            .unwrap()
            .text()
            .contains("no such file"));
    }

    #[test]
    fn the_download_set_is_what_main_modules_require_minus_local_replacements() {
        let graph = parse_module_stream(LIST);
        let required: BTreeSet<String> = [
            "example.com/dep",
            "example.com/missing",
            "example.com/local",
        ]
        .map(String::from)
        .into();
        let ids: Vec<String> = download_set(&graph, Some(&required))
            .iter()
            .map(ModuleInfo::id)
            .collect();
        assert_eq!(
            ids,
            ["example.com/dep@v1.2.0", "example.com/missing@v0.1.0"]
        );
        assert_eq!(
            download_set(&graph, None).len(),
            3,
            "before go 1.17 the whole graph"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut stream = ObjectStream::default();
        assert!(stream.push_line("{ nonsense").is_none());
        assert!(matches!(stream.push_line("}"), Some(Err(_))));
    }
}

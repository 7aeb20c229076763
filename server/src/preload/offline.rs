//! Can the workspace build without the network? Two views: the module cache
//! on disk (cheap: file lookups, used by `gord check`), and go's own answer
//! with `GOPROXY=off` (used by `gord preload`), whose errors name modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::preload::workspace::{
    parse_go_mod_requires, parse_replaces, BuildRoot, ModuleVersion, RootKind,
};

/// go's case-encoding of module paths in the cache: `A` → `!a`.
pub fn escape_module_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `module` is downloaded and extracted in `gomodcache`: its `.mod`
/// and `.zip` under `cache/download`, and the extracted directory.
pub fn in_module_cache(gomodcache: &Path, module: &ModuleVersion) -> bool {
    let escaped = escape_module_path(&module.path);
    let version = escape_module_path(&module.version);
    let download = gomodcache.join("cache/download").join(&escaped).join("@v");
    download.join(format!("{version}.mod")).is_file()
        && download.join(format!("{version}.zip")).is_file()
        && gomodcache.join(format!("{escaped}@{version}")).is_dir()
}

/// The modules the workspace's go.mod files require, at the highest
/// version any of them asks for (what minimal version selection picks among
/// them), with replacements applied and local replacements dropped. Reads
/// files only; runs no go command.
pub fn required_modules(roots: &[BuildRoot]) -> Vec<ModuleVersion> {
    let mut main_paths = BTreeSet::new();
    let mut texts = Vec::new();
    let mut replaces = Vec::new();
    for root in roots {
        if root.kind == RootKind::Work {
            if let Some(text) = root.read_module_file(&root.dir.join("go.work")) {
                replaces.extend(parse_replaces(&text));
            }
        }
        for module in &root.modules {
            let Some(text) = root.read_module_file(&module.join("go.mod")) else {
                continue;
            };
            main_paths.extend(crate::preload::workspace::parse_module_path(&text));
            replaces.extend(parse_replaces(&text));
            texts.push(text);
        }
    }
    let mut selected: BTreeMap<String, String> = BTreeMap::new();
    for text in &texts {
        for req in parse_go_mod_requires(text) {
            if main_paths.contains(&req.path) {
                continue;
            }
            let entry = selected.entry(req.path).or_default();
            if semver_less(entry, &req.version) {
                *entry = req.version;
            }
        }
    }
    selected
        .into_iter()
        .filter_map(|(path, version)| {
            let replace = replaces
                .iter()
                .find(|r| r.old == path && r.old_version.as_ref().is_none_or(|v| *v == version));
            match replace {
                Some(r) => r.new_version.clone().map(|v| ModuleVersion {
                    path: r.new.clone(),
                    version: v,
                }),
                None => Some(ModuleVersion { path, version }),
            }
        })
        .collect()
}

/// A rough semver order, enough to pick the larger of two require lines.
fn semver_less(a: &str, b: &str) -> bool {
    let key = |v: &str| -> (Vec<u64>, bool, String) {
        let body = v.trim_start_matches('v');
        let (core, pre) = body.split_once('-').unwrap_or((body, ""));
        let core = core.split('+').next().unwrap_or(core);
        let nums = core.split('.').map(|n| n.parse().unwrap_or(0)).collect();
        (nums, pre.is_empty(), pre.to_string())
    };
    a.is_empty() || key(a) < key(b)
}

/// Module ids (`path@version`) that go's error text names, as in
/// `go: example.com/x@v1.2.0: module lookup disabled by GOPROXY=off`.
pub fn modules_named_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '(' || c == ')')
        .map(|word| word.trim_end_matches([':', ',', ';', '.']))
        .filter_map(|word| {
            let (path, version) = word.split_once('@')?;
            let looks_like_path = path.contains('.') || path.contains('/');
            let looks_like_version =
                version.starts_with('v') && version[1..].starts_with(|c: char| c.is_ascii_digit());
            (looks_like_path && looks_like_version && !path.contains("://"))
                .then(|| word.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsread::testing::tree;
    use crate::preload::workspace::RootKind;

    #[test]
    fn uppercase_letters_are_escaped_like_go_does() {
        assert_eq!(
            escape_module_path("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
    }

    #[test]
    fn go_errors_name_the_modules_that_need_the_network() {
        let stderr = "go: module lookup disabled by GOPROXY=off\ngo: example.com/greet@v1.0.0: module lookup disabled by GOPROXY=off\n\
                      app/main.go:6:2: example.com/quote@v1.1.0: reading file:///p/example.com/quote/@v/v1.1.0.zip: no such file";
        let named: Vec<String> = modules_named_in(stderr).into_iter().collect();
        assert_eq!(
            named,
            ["example.com/greet@v1.0.0", "example.com/quote@v1.1.0"]
        );
        assert!(modules_named_in("git@github.com:x/y user@host").is_empty());
    }

    #[test]
    fn requirements_take_the_highest_version_and_apply_replacements() {
        let ws = tree(&[
            ("a/go.mod", "module a\nrequire (\n\tx.example/one v1.2.0\n\tx.example/local v0.1.0\n\tb v0.0.0\n)\nreplace x.example/local => ../local\n"),
            ("b/go.mod", "module b\nrequire x.example/one v1.10.0\nrequire x.example/old v1.0.0\nreplace x.example/old v1.0.0 => x.example/new v2.0.0\n"),
        ]);
        let roots = [BuildRoot {
            dir: ws.path().to_path_buf(),
            kind: RootKind::Work,
            modules: vec![ws.path().join("a"), ws.path().join("b")],
            workspace: ws.path().to_path_buf(),
        }];
        let ids: Vec<String> = required_modules(&roots)
            .iter()
            .map(ModuleVersion::id)
            .collect();
        assert_eq!(ids, ["x.example/new@v2.0.0", "x.example/one@v1.10.0"]);
    }

    #[test]
    fn a_module_counts_as_cached_only_when_downloaded_and_extracted() {
        let cache = tempfile::tempdir().unwrap();
        let m = ModuleVersion {
            path: "example.com/Big".into(),
            version: "v1.0.0".into(),
        };
        assert!(!in_module_cache(cache.path(), &m));
        let v = cache.path().join("cache/download/example.com/!big/@v");
        std::fs::create_dir_all(&v).unwrap();
        std::fs::write(v.join("v1.0.0.mod"), "").unwrap();
        std::fs::write(v.join("v1.0.0.zip"), "").unwrap();
        assert!(!in_module_cache(cache.path(), &m));
        std::fs::create_dir_all(cache.path().join("example.com/!big@v1.0.0")).unwrap();
        assert!(in_module_cache(cache.path(), &m));
    }
}

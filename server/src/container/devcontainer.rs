//! A devcontainer.json judged for Go: the Go version it gets against the
//! workspace's go.mod (GO041), what Delve needs (GO042), a volume for the
//! module cache (GO043), the Go extension (GO044), a lifecycle command that
//! warms the caches (GO045); a file that is not JSONC, or whose Go cannot
//! be determined, is a GO040 finding. Pure: the text (and a reader for the
//! Dockerfile it names) in, findings out. Every edit touches only the bytes
//! it changes, so comments and formatting stay.

use std::path::{Path, PathBuf};

use crate::jsonc::Dialect;
use jsonc_parser::ast::{Array, Object, ObjectProp, Value};
use jsonc_parser::common::Ranged as _;

use super::image::{
    dockerfile_from, feature_go, image_go, is_devcontainer_go_image, is_go_feature, FromLine,
    ImageGo,
};
use crate::finding::{Edit, Finding, Fix, Range, Severity, Subject};
use crate::goenv::version::GoVersion;
use crate::text::LineIndex;

/// The Go extension's id (extension ids are case-insensitive).
const GO_EXTENSION: &str = "golang.go";
/// Where the dev container images and the official golang image keep the
/// module cache (GOPATH=/go).
const DEFAULT_MODCACHE: &str = "/go/pkg/mod";
/// Deepest nesting read; a devcontainer.json is a handful of levels deep.
const MAX_DEPTH: usize = 64;

/// What the workspace requires: the highest `go` line among its module
/// files, and the file that says it.
#[derive(Debug, Clone)]
pub struct Required {
    pub version: GoVersion,
    pub file: String,
}

/// What reading the Dockerfile a devcontainer.json names gave.
pub type DockerfileRead = Result<String, String>;

/// Everything `judge` needs besides the text.
pub struct Inputs<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub required: Option<&'a Required>,
    /// Reads a Dockerfile by its path (already resolved against the
    /// devcontainer.json's directory).
    pub read_dockerfile: &'a dyn Fn(&Path) -> DockerfileRead,
}

/// The member `key` of an object; the last one when the key repeats (as
/// the dev container CLI's parser decides).
fn member<'v, 'a>(object: &'v Object<'a>, key: &str) -> Option<&'v ObjectProp<'a>> {
    object
        .properties
        .iter()
        .rev()
        .find(|p| p.name.as_str() == key)
}

fn object<'v, 'a>(object: &'v Object<'a>, key: &str) -> Option<&'v Object<'a>> {
    match member(object, key).map(|p| &p.value) {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    }
}

fn array<'v, 'a>(object: &'v Object<'a>, key: &str) -> Option<&'v Array<'a>> {
    match member(object, key).map(|p| &p.value) {
        Some(Value::Array(a)) => Some(a),
        _ => None,
    }
}

fn string<'v>(object: &'v Object<'_>, key: &str) -> Option<&'v str> {
    member(object, key)
        .and_then(|p| p.value.as_string_lit())
        .map(|s| s.value.as_ref())
}

fn strings<'v>(array: Option<&'v Array<'_>>) -> impl Iterator<Item = &'v str> {
    array
        .into_iter()
        .flat_map(|a| a.elements.iter())
        .filter_map(|v| v.as_string_lit().map(|s| s.value.as_ref()))
}

/// The parser recurses per level: refuse absurd nesting before parsing.
/// Brackets count as the parser sees them: not inside strings, and not inside
/// comments, which end where jsonc-parser ends them (a line comment at `\n`
/// or `\r`). Otherwise brackets in a comment would count, and a fix adding
/// one level to a file just under the limit would make it unreadable.
fn too_deep(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                let mut escaped = false;
                while let Some(&b) = bytes.get(i) {
                    i += 1;
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => break,
                        _ => {}
                    }
                }
            }
            b'/' if bytes.get(i) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    i += 1;
                }
            }
            b'/' if bytes.get(i) == Some(&b'*') => {
                i += 1;
                i = text[i..].find("*/").map_or(bytes.len(), |end| i + end + 2);
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// A text edit as gord's finding model has it.
struct Change {
    at: usize,
    end: usize,
    text: String,
}

struct Judge<'a> {
    path: &'a Path,
    text: &'a str,
    index: LineIndex<'a>,
    findings: Vec<Finding>,
}

impl<'a> Judge<'a> {
    fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.index.position(start), self.index.position(end))
    }

    fn subject(&self, start: usize, end: usize) -> Subject {
        Subject::file(self.path, self.range(start, end))
    }

    fn edits(&self, changes: Vec<Change>) -> Vec<Edit> {
        changes
            .into_iter()
            .map(|c| Edit {
                path: self.path.to_path_buf(),
                range: self.range(c.at, c.end),
                new_text: c.text,
            })
            .collect()
    }

    fn push(&mut self, finding: Finding) {
        self.findings.push(finding.with_rule_page());
    }

    /// The whitespace a new member goes after: that of the object's first
    /// member on its line, or a newline and a tab.
    fn insert_member(&self, object: &Object<'_>, key: &str, value: &str) -> Change {
        let member = format!("\"{key}\": {value}");
        let Some(first) = object.properties.first() else {
            return Change {
                at: object.range.start + 1,
                end: object.range.start + 1,
                text: member,
            };
        };
        let start = first.range.start;
        let before = self.text.get(object.range.start + 1..start).unwrap_or("");
        let separator = match before.rfind('\n') {
            Some(newline) => format!(",\n{}", &before[newline + 1..]),
            None => String::from(", "),
        };
        Change {
            at: start,
            end: start,
            text: format!("{member}{separator}"),
        }
    }

    fn append_item(&self, array: &Array<'_>, item: &str) -> Change {
        match array.elements.last() {
            Some(last) => Change {
                at: last.range().end,
                end: last.range().end,
                text: format!(", {item}"),
            },
            None => Change {
                at: array.range.start + 1,
                end: array.range.start + 1,
                text: item.to_string(),
            },
        }
    }

    /// The bytes between a string literal's quotes, when they are exactly
    /// its value (no escapes), so an offset into the value is one into the text.
    fn raw_string(&self, value: &Value<'_>) -> Option<(usize, &'a str)> {
        let lit = value.as_string_lit()?;
        let inner = self.text.get(lit.range.start + 1..lit.range.end - 1)?;
        (inner == lit.value.as_ref()).then_some((lit.range.start + 1, inner))
    }
}

/// Judges one devcontainer.json.
pub fn judge(inputs: &Inputs<'_>) -> Vec<Finding> {
    let text = inputs.text;
    let mut judge = Judge {
        path: inputs.path,
        text,
        index: LineIndex::new(text),
        findings: Vec::new(),
    };
    let parsed = if too_deep(text) {
        Err((0, 0, String::from("nested too deeply")))
    } else {
        crate::jsonc::parse(text, Dialect::Jsonc, false)
            .map_err(|e| (e.range().start, e.range().end, e.kind().to_string()))
    };
    let root = match parsed {
        Ok(parsed) => parsed.value,
        Err((start, end, why)) => {
            let subject = judge.subject(start.min(text.len()), end.min(text.len()));
            judge.push(Finding::new(
                "GO040",
                Severity::Error,
                format!(
                    "not JSON with comments ({why}): the Dev Containers extension cannot read it, and gord changes nothing in it"
                ),
                subject,
            ));
            return judge.findings;
        }
    };
    let Some(Value::Object(root)) = root else {
        let subject = judge.subject(0, 0);
        judge.push(Finding::new(
            "GO040",
            Severity::Error,
            "a devcontainer.json must be one JSON object; gord changes nothing in it",
            subject,
        ));
        return judge.findings;
    };
    let go_feature = go_feature(&root);
    let image = member(&root, "image");
    let image_ref = image
        .and_then(|p| p.value.as_string_lit())
        .map(|s| s.value.as_ref());
    let provided = go_feature.is_some() || image_ref.is_some_and(is_devcontainer_go_image);
    // Where findings about something missing stand: what the container is
    // made of, else the object's opening brace.
    let anchor = ["image", "build", "dockerFile", "dockerComposeFile"]
        .iter()
        .find_map(|k| member(&root, k))
        .map_or((root.range.start, root.range.start + 1), |p| {
            (p.name.range().start, p.name.range().end)
        });

    if let Some(required) = inputs.required {
        go_version(&mut judge, inputs, &root, go_feature, image, required);
    }
    if !provided {
        delve(&mut judge, &root, anchor);
        extension(&mut judge, &root, anchor);
    }
    module_cache(&mut judge, &root, anchor);
    if inputs.required.is_some() {
        warm_caches(&mut judge, &root, anchor);
    }
    let basis = crate::lint::text_hash(text);
    let mut findings = judge.findings;
    for finding in &mut findings {
        if finding.path() == Some(inputs.path) {
            finding.basis = Some(basis);
        }
    }
    findings
}

/// The Go feature's member in `features`, if any.
fn go_feature<'v, 'a>(root: &'v Object<'a>) -> Option<&'v ObjectProp<'a>> {
    object(root, "features")?
        .properties
        .iter()
        .rev()
        .find(|p| is_go_feature(p.name.as_str()))
}

/// `image` older than `required`: a language version (`1.22`) stands for
/// its newest patch, so only the language is compared.
fn older(found: &GoVersion, required: &GoVersion) -> bool {
    if found.patch.is_none() && found.prerelease.is_none() {
        found.language() < required.language()
    } else {
        found < required
    }
}

/// The version text a fix writes: the required language version, or the
/// full version when the old one named a patch.
fn replacement(old: &GoVersion, required: &GoVersion) -> String {
    let (major, minor) = required.language();
    match (old.patch, required.patch) {
        (Some(_), Some(patch)) => format!("{major}.{minor}.{patch}"),
        (Some(_), None) => format!("{major}.{minor}.0"),
        _ => format!("{major}.{minor}"),
    }
}

fn plain(version: &GoVersion) -> String {
    version.to_string().trim_start_matches("go").to_string()
}

fn go_version(
    judge: &mut Judge<'_>,
    inputs: &Inputs<'_>,
    root: &Object<'_>,
    go_feature: Option<&ObjectProp<'_>>,
    image: Option<&ObjectProp<'_>>,
    required: &Required,
) {
    let needs = format!(
        "{} requires go >= {}",
        required.file,
        plain(&required.version)
    );
    // The feature installs Go first on PATH, whatever the image has.
    if let Some(feature) = go_feature {
        let option = match &feature.value {
            Value::Object(options) => member(options, "version").map(|p| &p.value),
            other => Some(other),
        };
        let Some(option) = option else { return };
        let Some(lit) = option.as_string_lit() else {
            return;
        };
        let (start, end) = (lit.range.start, lit.range.end);
        match feature_go(&lit.value) {
            None => {}
            Some(Err(())) => {
                let subject = judge.subject(start, end);
                judge.push(Finding::new(
                    "GO040",
                    Severity::Info,
                    format!(
                        "the Go feature's version \"{}\" is not a Go version, so the Go version of the container could not be determined",
                        lit.value
                    ),
                    subject,
                ));
            }
            Some(Ok(found)) if older(&found, &required.version) => {
                let new = replacement(&found, &required.version);
                let edit = judge.raw_string(option).map(|(at, raw)| Change {
                    at,
                    end: at + raw.len(),
                    text: new.clone(),
                });
                let mut finding = Finding::new(
                    "GO041",
                    Severity::Error,
                    format!(
                        "the Go feature installs go {}, but {needs}: in the container every go command downloads a newer toolchain first, or fails without network",
                        plain(&found)
                    ),
                    judge.subject(start, end),
                );
                if let Some(edit) = edit {
                    finding = finding.with_fix(
                        Fix::edits(
                            format!("Install Go {new} with the feature"),
                            judge.edits(vec![edit]),
                        )
                        .safe(),
                    );
                }
                judge.push(finding);
            }
            Some(Ok(_)) => {}
        }
        return;
    }
    if let Some(image) = image {
        let Some((at, raw)) = judge.raw_string(&image.value) else {
            return;
        };
        let range = image.value.range();
        judge_image(
            judge,
            raw,
            at,
            (range.start, range.end),
            required,
            &needs,
            "image",
        );
        return;
    }
    let build = object(root, "build");
    let dockerfile = build
        .and_then(|b| member(b, "dockerfile"))
        .or_else(|| member(root, "dockerFile"));
    if let Some(dockerfile) = dockerfile {
        let named = dockerfile
            .value
            .as_string_lit()
            .map(|s| s.value.to_string());
        let range = dockerfile.value.range();
        let Some(named) = named else { return };
        let base = inputs.path.parent().unwrap_or(Path::new("."));
        let file: PathBuf = base.join(&named);
        let undetermined = |why: String| {
            Finding::new(
                "GO040",
                Severity::Info,
                format!("the Go version of the container could not be determined: {why}"),
                judge.subject(range.start, range.end),
            )
        };
        let finding = match (inputs.read_dockerfile)(&file) {
            Err(e) => Some(undetermined(format!("{named} could not be read ({e})"))),
            Ok(docker) => match dockerfile_from(&docker) {
                FromLine::Missing => Some(undetermined(format!("{named} has no FROM line"))),
                FromLine::Variable { text, .. } => Some(undetermined(format!(
                    "{named} starts FROM {text}, which a build argument decides"
                ))),
                FromLine::Image { reference, line } => {
                    judge_dockerfile(judge, &file, &docker, &reference, line, required, &needs);
                    None
                }
            },
        };
        if let Some(finding) = finding {
            judge.push(finding);
        }
        return;
    }
    if let Some(compose) = member(root, "dockerComposeFile") {
        let (start, end) = (compose.name.range().start, compose.name.range().end);
        let subject = judge.subject(start, end);
        judge.push(Finding::new(
            "GO040",
            Severity::Info,
            "the Go version of the container could not be determined: a Docker Compose service decides its image",
            subject,
        ));
    }
}

/// An image reference at byte `at` of the devcontainer.json.
fn judge_image(
    judge: &mut Judge<'_>,
    reference: &str,
    at: usize,
    span: (usize, usize),
    required: &Required,
    needs: &str,
    what: &str,
) {
    match image_go(reference) {
        ImageGo::Version {
            version,
            start,
            end,
        } if older(&version, &required.version) => {
            let new = replacement(&version, &required.version);
            let edit = Change {
                at: at + start,
                end: at + end,
                text: new.clone(),
            };
            let finding = Finding::new(
                "GO041",
                Severity::Error,
                format!(
                    "the {what} {reference} has go {}, but {needs}: in the container every go command downloads a newer toolchain first, or fails without network",
                    plain(&version)
                ),
                judge.subject(span.0, span.1),
            )
            .with_fix(Fix::edits(format!("Use Go {new} in the image tag"), judge.edits(vec![edit])).safe());
            judge.push(finding);
        }
        ImageGo::Version { .. } | ImageGo::Floating => {}
        ImageGo::NotGo => {
            let subject = judge.subject(span.0, span.1);
            judge.push(Finding::new(
                "GO040",
                Severity::Info,
                format!(
                    "the Go version of the container could not be determined: {reference} is not a Go image gord knows (golang, mcr.microsoft.com/devcontainers/go) and no Go feature is added"
                ),
                subject,
            ));
        }
    }
}

/// The final `FROM` of the Dockerfile: the finding and its edit are in the
/// Dockerfile, guarded by its own text.
fn judge_dockerfile(
    judge: &mut Judge<'_>,
    file: &Path,
    docker: &str,
    reference: &str,
    line: usize,
    required: &Required,
    needs: &str,
) {
    let index = LineIndex::new(docker);
    let Some(line_start) = index.line_start(line) else {
        return;
    };
    let line_text = &docker[line_start..index.content_end(line).max(line_start)];
    let Some(offset) = line_text.find(reference) else {
        return;
    };
    let mut inner = Judge {
        path: file,
        text: docker,
        index,
        findings: Vec::new(),
    };
    let at = line_start + offset;
    judge_image(
        &mut inner,
        reference,
        at,
        (at, at + reference.len()),
        required,
        needs,
        "Dockerfile's base image",
    );
    let basis = crate::lint::text_hash(docker);
    for mut finding in inner.findings {
        finding.basis = Some(basis);
        judge.findings.push(finding);
    }
}

fn has_run_arg(run_args: &[&str], flag: &str, value: &str) -> bool {
    run_args.iter().enumerate().any(|(i, arg)| {
        arg.strip_prefix(flag)
            .and_then(|rest| rest.strip_prefix('='))
            .is_some_and(|v| v.eq_ignore_ascii_case(value))
            || (*arg == flag
                && run_args
                    .get(i + 1)
                    .is_some_and(|v| v.eq_ignore_ascii_case(value)))
    })
}

/// GO042: SYS_PTRACE and an unconfined seccomp profile, in the
/// devcontainer.json's own keys or in `runArgs`.
fn delve(judge: &mut Judge<'_>, root: &Object<'_>, anchor: (usize, usize)) {
    let run_args: Vec<&str> = strings(array(root, "runArgs")).collect();
    let privileged = matches!(
        member(root, "privileged").map(|p| &p.value),
        Some(Value::BooleanLit(b)) if b.value
    ) || run_args.contains(&"--privileged");
    if privileged {
        return;
    }
    let cap_add = array(root, "capAdd");
    let ptrace = strings(cap_add).any(|c| {
        let c = c.trim_start_matches("CAP_");
        c.eq_ignore_ascii_case("SYS_PTRACE") || c.eq_ignore_ascii_case("ALL")
    }) || has_run_arg(&run_args, "--cap-add", "SYS_PTRACE")
        || has_run_arg(&run_args, "--cap-add", "ALL");
    let security_opt = array(root, "securityOpt");
    let unconfined = strings(security_opt)
        .any(|o| o == "seccomp=unconfined" || o == "seccomp:unconfined")
        || has_run_arg(&run_args, "--security-opt", "seccomp=unconfined");
    if ptrace && unconfined {
        return;
    }
    let mut missing = Vec::new();
    let mut changes = Vec::new();
    let mut editable = true;
    let mut wanted = |key: &str, item: &str, list: Option<&Array<'_>>, have: bool| {
        if have {
            return;
        }
        missing.push(format!("\"{key}\": [\"{item}\"]"));
        let quoted = format!("\"{item}\"");
        match (list, member(root, key)) {
            (Some(list), _) => changes.push(judge.append_item(list, &quoted)),
            (None, None) => changes.push(judge.insert_member(root, key, &format!("[{quoted}]"))),
            (None, Some(_)) => editable = false,
        }
    };
    wanted("capAdd", "SYS_PTRACE", cap_add, ptrace);
    wanted(
        "securityOpt",
        "seccomp=unconfined",
        security_opt,
        unconfined,
    );
    let at = member(root, if ptrace { "securityOpt" } else { "capAdd" })
        .map_or(anchor, |p| (p.name.range().start, p.name.range().end));
    // Two inserts at one place become one, in order.
    if changes.len() == 2 && changes[0].at == changes[1].at {
        let second = changes.remove(1);
        // In an empty object a new member has no separator after it.
        if !changes[0].text.ends_with(char::is_whitespace) {
            changes[0].text.push_str(", ");
        }
        changes[0].text.push_str(&second.text);
    }
    let mut finding = Finding::new(
        "GO042",
        Severity::Warning,
        format!(
            "the container lacks {} for Delve: debugging fails with \"could not launch process: fork/exec …: operation not permitted\" and attaching with \"could not attach to pid …: operation not permitted\"",
            missing.join(" and ")
        ),
        judge.subject(at.0, at.1),
    );
    finding = if editable {
        finding.with_fix(
            Fix::edits(
                format!("Add {}", missing.join(" and ")),
                judge.edits(changes),
            )
            .safe(),
        )
    } else {
        finding.with_fix(Fix::advice(format!(
            "Add {} to the devcontainer.json",
            missing.join(" and ")
        )))
    };
    judge.push(finding);
}

/// The module cache inside the container: GOMODCACHE, else GOPATH/pkg/mod,
/// as containerEnv or remoteEnv set them.
fn modcache(root: &Object<'_>) -> String {
    for env in ["remoteEnv", "containerEnv"] {
        let Some(env) = object(root, env) else {
            continue;
        };
        if let Some(cache) = string(env, "GOMODCACHE").filter(|c| c.starts_with('/')) {
            return cache.trim_end_matches('/').to_string();
        }
        if let Some(gopath) = string(env, "GOPATH").filter(|c| c.starts_with('/')) {
            let first = gopath.split(':').next().unwrap_or(gopath);
            return format!("{}/pkg/mod", first.trim_end_matches('/'));
        }
    }
    DEFAULT_MODCACHE.to_string()
}

fn mount_target(value: &Value<'_>) -> Option<String> {
    match value {
        Value::StringLit(s) => s.value.split(',').find_map(|part| {
            let (key, value) = part.split_once('=')?;
            matches!(key.trim(), "target" | "dst" | "destination")
                .then(|| value.trim().trim_end_matches('/').to_string())
        }),
        Value::Object(o) => string(o, "target").map(|t| t.trim_end_matches('/').to_string()),
        _ => None,
    }
}

/// GO043: a mount on the module cache, so a rebuilt container keeps it.
fn module_cache(judge: &mut Judge<'_>, root: &Object<'_>, anchor: (usize, usize)) {
    let cache = modcache(root);
    let mounts = array(root, "mounts");
    let mounted = mounts
        .into_iter()
        .flat_map(|a| a.elements.iter())
        .filter_map(mount_target)
        .any(|t| t == cache)
        || strings(array(root, "runArgs")).any(|a| a.contains(&cache));
    if mounted {
        return;
    }
    let item = format!("\"source=gomodcache,target={cache},type=volume\"");
    let change = match (mounts, member(root, "mounts")) {
        (Some(list), _) => Some(judge.append_item(list, &item)),
        (None, None) => Some(judge.insert_member(root, "mounts", &format!("[{item}]"))),
        (None, Some(_)) => None,
    };
    let at = member(root, "mounts").map_or(anchor, |p| (p.name.range().start, p.name.range().end));
    let title = format!("Mount a volume on {cache}");
    let fix = match change {
        Some(change) => Fix::edits(title, judge.edits(vec![change])).safe(),
        None => Fix::advice(title),
    };
    let finding = Finding::new(
        "GO043",
        Severity::Info,
        format!(
            "no volume on the module cache ({cache}): every rebuild of the container downloads every module again"
        ),
        judge.subject(at.0, at.1),
    )
    .with_fix(fix);
    judge.push(finding);
}

/// GO044: the Go extension among `customizations.vscode.extensions`.
fn extension(judge: &mut Judge<'_>, root: &Object<'_>, anchor: (usize, usize)) {
    let customizations = object(root, "customizations");
    let vscode = customizations.and_then(|c| object(c, "vscode"));
    let list = vscode.and_then(|v| array(v, "extensions"));
    let listed = strings(list)
        .chain(strings(array(root, "extensions")))
        .any(|e| e.eq_ignore_ascii_case(GO_EXTENSION));
    if listed {
        return;
    }
    let item = format!("\"{GO_EXTENSION}\"");
    let change = match (customizations, vscode, list) {
        (_, _, Some(list)) => Some(judge.append_item(list, &item)),
        (_, Some(vscode), None) if member(vscode, "extensions").is_none() => {
            Some(judge.insert_member(vscode, "extensions", &format!("[{item}]")))
        }
        (Some(c), None, _) if member(c, "vscode").is_none() => {
            Some(judge.insert_member(c, "vscode", &format!("{{ \"extensions\": [{item}] }}")))
        }
        (None, _, _) if member(root, "customizations").is_none() => Some(judge.insert_member(
            root,
            "customizations",
            &format!("{{ \"vscode\": {{ \"extensions\": [{item}] }} }}"),
        )),
        _ => None,
    };
    let at = list
        .and_then(|_| vscode.and_then(|v| member(v, "extensions")))
        .map_or(anchor, |p| (p.name.range().start, p.name.range().end));
    let title = "Install the Go extension (golang.go) in the container";
    let fix = match change {
        Some(change) => Fix::edits(title, judge.edits(vec![change])).safe(),
        None => Fix::advice(title),
    };
    let finding = Finding::new(
        "GO044",
        Severity::Warning,
        "the Go extension (golang.go) is not among customizations.vscode.extensions: a new container window has no gopls, no debugging and no test explorer until it is installed by hand",
        judge.subject(at.0, at.1),
    )
    .with_fix(fix);
    judge.push(finding);
}

/// Commands that fill the module cache.
fn warms(command: &str) -> bool {
    command.contains("go mod download") || command.contains("gord preload")
}

fn any_string(value: &Value<'_>, test: &dyn Fn(&str) -> bool) -> bool {
    match value {
        Value::StringLit(s) => test(&s.value),
        Value::Array(a) => a.elements.iter().any(|v| any_string(v, test)),
        Value::Object(o) => o.properties.iter().any(|p| any_string(&p.value, test)),
        _ => false,
    }
}

/// GO045: a lifecycle command that downloads the modules, so the first
/// build and gopls do not wait for the network.
fn warm_caches(judge: &mut Judge<'_>, root: &Object<'_>, anchor: (usize, usize)) {
    let lifecycle = [
        "onCreateCommand",
        "updateContentCommand",
        "postCreateCommand",
        "postStartCommand",
    ];
    if lifecycle
        .iter()
        .filter_map(|k| member(root, k))
        .any(|p| any_string(&p.value, &warms))
    {
        return;
    }
    let post = member(root, "postCreateCommand");
    let change = match post {
        None => Some(judge.insert_member(root, "postCreateCommand", "\"go mod download\"")),
        Some(p) => judge.raw_string(&p.value).map(|(at, raw)| {
            let end = at + raw.len();
            let text = if raw.trim().is_empty() {
                String::from("go mod download")
            } else {
                String::from(" && go mod download")
            };
            Change {
                at: if raw.trim().is_empty() { at } else { end },
                end,
                text,
            }
        }),
    };
    let at = post.map_or(anchor, |p| (p.name.range().start, p.name.range().end));
    let title = "Download the modules when the container is created (go mod download)";
    let fix = match change {
        Some(change) => Fix::edits(title, judge.edits(vec![change])).safe(),
        None => Fix::advice(format!("{title}; or run `gord preload` there")),
    };
    let finding = Finding::new(
        "GO045",
        Severity::Info,
        "no lifecycle command downloads the modules (go mod download or gord preload): gopls and the first build wait for the network in every new container",
        judge.subject(at.0, at.1),
    )
    .with_fix(fix);
    judge.push(finding);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::apply_edits;

    const PATH: &str = "/ws/.devcontainer/devcontainer.json";

    fn required(version: &str) -> Required {
        Required {
            version: GoVersion::parse(version).unwrap(),
            file: "go.mod".into(),
        }
    }

    fn run_with(text: &str, go: Option<&str>, dockerfile: Option<&str>) -> Vec<Finding> {
        let required = go.map(required);
        let docker = dockerfile.map(str::to_string);
        let read = move |_: &Path| docker.clone().ok_or_else(|| String::from("no such file"));
        judge(&Inputs {
            path: Path::new(PATH),
            text,
            required: required.as_ref(),
            read_dockerfile: &read,
        })
    }

    fn run(text: &str, go: Option<&str>) -> Vec<Finding> {
        run_with(text, go, None)
    }

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn find<'f>(findings: &'f [Finding], code: &str) -> &'f Finding {
        findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:?}", codes(findings)))
    }

    /// The text after applying a finding's first fix.
    fn fixed(text: &str, finding: &Finding) -> String {
        let edits: Vec<_> = finding.fixes[0]
            .edits
            .iter()
            .map(|e| (e.range, e.new_text.clone()))
            .collect();
        apply_edits(text, &edits).unwrap()
    }

    const COMPLETE: &str = r#"{
	"image": "golang:1.23-bookworm",
	"capAdd": ["SYS_PTRACE"],
	"securityOpt": ["seccomp=unconfined"],
	"mounts": ["source=gomodcache,target=/go/pkg/mod,type=volume"],
	"customizations": { "vscode": { "extensions": ["golang.Go"] } },
	"postCreateCommand": "go mod download"
}"#;

    #[test]
    fn a_complete_devcontainer_has_no_finding() {
        assert_eq!(codes(&run(COMPLETE, Some("1.23.2"))), Vec::<&str>::new());
    }

    #[test]
    fn an_image_older_than_go_mod_is_an_error_on_the_image_with_a_tag_edit() {
        let text = "{\n  // the image\n  \"image\": \"mcr.microsoft.com/devcontainers/go:1-1.22-bookworm\",\n}\n";
        let findings = run(text, Some("1.23.0"));
        let go041 = find(&findings, "GO041");
        assert_eq!(go041.severity, Severity::Error);
        assert!(go041.message.contains("go 1.22"), "{}", go041.message);
        assert!(go041.message.contains("go.mod requires go >= 1.23.0"));
        assert_eq!(go041.range().unwrap().start.line, 2);
        assert_eq!(go041.basis, Some(crate::lint::text_hash(text)));
        assert_eq!(
            fixed(text, go041),
            text.replace("1-1.22-bookworm", "1-1.23-bookworm"),
            "only the version changes; the comment and trailing comma stay"
        );
        // The dev container image brings Delve's needs and the extension.
        assert!(!codes(&findings).contains(&"GO042"));
        assert!(!codes(&findings).contains(&"GO044"));
    }

    #[test]
    fn a_language_version_tag_covers_every_patch_of_it() {
        let text = r#"{"image": "golang:1.23"}"#;
        assert!(!codes(&run(text, Some("1.23.7"))).contains(&"GO041"));
        let text = r#"{"image": "golang:1.23.1"}"#;
        let findings = run(text, Some("1.23.7"));
        assert_eq!(
            fixed(text, find(&findings, "GO041")),
            r#"{"image": "golang:1.23.7"}"#
        );
    }

    #[test]
    fn the_go_features_version_option_is_judged_and_edited() {
        let text = r#"{
	"image": "mcr.microsoft.com/devcontainers/base:bookworm",
	"features": {
		"ghcr.io/devcontainers/features/go:1": { "version": "1.21", "golangciLintVersion": "latest" }
	}
}"#;
        let findings = run(text, Some("1.22"));
        let go041 = find(&findings, "GO041");
        assert!(go041.message.contains("the Go feature installs go 1.21"));
        assert!(fixed(text, go041).contains(r#"{ "version": "1.22", "#));
        // The feature asks for SYS_PTRACE and seccomp itself and adds the extension.
        assert!(!codes(&findings).contains(&"GO042"));
        assert!(!codes(&findings).contains(&"GO044"));
        // Its default, latest, is never too old.
        let latest = r#"{"features": {"ghcr.io/devcontainers/features/go:1": {}}}"#;
        assert!(!codes(&run(latest, Some("1.22"))).contains(&"GO041"));
    }

    #[test]
    fn missing_delve_capabilities_are_added_in_one_edit_keeping_indentation() {
        let text =
            "{\n\t\"image\": \"golang:1.23\",\n\t\"postCreateCommand\": \"go mod download\"\n}\n";
        let findings = run(text, Some("1.23"));
        let go042 = find(&findings, "GO042");
        assert_eq!(go042.severity, Severity::Warning);
        assert!(go042
            .message
            .contains("could not launch process: fork/exec …: operation not permitted"));
        assert_eq!(go042.range().unwrap().start.line, 1, "on the image key");
        assert_eq!(
            fixed(text, go042),
            "{\n\t\"capAdd\": [\"SYS_PTRACE\"],\n\t\"securityOpt\": [\"seccomp=unconfined\"],\n\t\"image\": \"golang:1.23\",\n\t\"postCreateCommand\": \"go mod download\"\n}\n"
        );
    }

    #[test]
    fn run_args_or_privileged_satisfy_delve_and_a_partial_list_is_appended_to() {
        let run_args = r#"{"image": "golang:1.23", "runArgs": ["--cap-add=SYS_PTRACE", "--security-opt", "seccomp=unconfined"]}"#;
        assert!(!codes(&run(run_args, None)).contains(&"GO042"));
        let empty = "{}";
        assert_eq!(
            fixed(empty, find(&run(empty, None), "GO042")),
            r#"{"capAdd": ["SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"]}"#,
            "found by the fuzzer: two members into an empty object"
        );
        let privileged = r#"{"image": "golang:1.23", "privileged": true}"#;
        assert!(!codes(&run(privileged, None)).contains(&"GO042"));
        let partial = r#"{"image": "golang:1.23", "capAdd": ["NET_ADMIN"], "securityOpt": ["seccomp=unconfined"]}"#;
        let findings = run(partial, None);
        let go042 = find(&findings, "GO042");
        assert_eq!(
            fixed(partial, go042),
            r#"{"image": "golang:1.23", "capAdd": ["NET_ADMIN", "SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"]}"#
        );
    }

    #[test]
    fn the_module_cache_volume_follows_gopath_and_is_appended_to_mounts() {
        let text = r#"{"image": "golang:1.23", "containerEnv": {"GOPATH": "/home/dev/go"}, "mounts": [
    "source=${localEnv:HOME}/.ssh,target=/root/.ssh,type=bind"
  ]}"#;
        let findings = run(text, None);
        let go043 = find(&findings, "GO043");
        assert_eq!(go043.severity, Severity::Info);
        assert!(go043.message.contains("/home/dev/go/pkg/mod"));
        assert!(fixed(text, go043).contains(
            r#"type=bind", "source=gomodcache,target=/home/dev/go/pkg/mod,type=volume"
  ]"#
        ));
        let object_mount =
            r#"{"mounts": [{"source": "mods", "target": "/go/pkg/mod", "type": "volume"}]}"#;
        assert!(!codes(&run(object_mount, None)).contains(&"GO043"));
    }

    #[test]
    fn the_go_extension_is_added_where_the_customizations_end() {
        let text = r#"{"image": "golang:1.23", "customizations": {"vscode": {"settings": {}}}}"#;
        let findings = run(text, None);
        assert_eq!(
            fixed(text, find(&findings, "GO044")),
            r#"{"image": "golang:1.23", "customizations": {"vscode": {"extensions": ["golang.go"], "settings": {}}}}"#
        );
        let none = r#"{"image": "golang:1.23"}"#;
        assert_eq!(
            fixed(none, find(&run(none, None), "GO044")),
            r#"{"customizations": { "vscode": { "extensions": ["golang.go"] } }, "image": "golang:1.23"}"#
        );
    }

    #[test]
    fn a_post_create_command_gets_the_download_appended_or_is_added() {
        let text = r#"{"image": "golang:1.23", "postCreateCommand": "make tools"}"#;
        let findings = run(text, Some("1.23"));
        assert_eq!(
            fixed(text, find(&findings, "GO045")),
            r#"{"image": "golang:1.23", "postCreateCommand": "make tools && go mod download"}"#
        );
        let preload = r#"{"updateContentCommand": ["gord", "preload"], "postCreateCommand": {"a": "gord preload"}}"#;
        assert!(!codes(&run(preload, Some("1.23"))).contains(&"GO045"));
        // An exec-form array cannot take `&&`: advice only.
        let array = r#"{"postCreateCommand": ["make", "tools"]}"#;
        let findings = run(array, Some("1.23"));
        assert!(find(&findings, "GO045").fixes[0].edits.is_empty());
        // Without a go.mod there is nothing to download.
        assert!(!codes(&run(text, None)).contains(&"GO045"));
    }

    #[test]
    fn a_dockerfile_base_image_is_judged_in_the_dockerfile_itself() {
        let text = r#"{"build": {"dockerfile": "Dockerfile", "context": ".."}}"#;
        let docker = "FROM golang:1.21-bookworm AS dev\nRUN apt-get update\n";
        let findings = run_with(text, Some("1.22"), Some(docker));
        let go041 = find(&findings, "GO041");
        assert_eq!(
            go041.path(),
            Some(Path::new("/ws/.devcontainer/Dockerfile"))
        );
        assert_eq!(go041.basis, Some(crate::lint::text_hash(docker)));
        assert_eq!(
            fixed(docker, go041),
            "FROM golang:1.22-bookworm AS dev\nRUN apt-get update\n"
        );
    }

    #[test]
    fn a_dockerfile_that_cannot_be_read_or_uses_an_argument_is_information_only() {
        let text = r#"{"build": {"dockerfile": "Dockerfile"}}"#;
        let unreadable = run_with(text, Some("1.22"), None);
        let go040 = find(&unreadable, "GO040");
        assert_eq!(go040.severity, Severity::Info);
        assert!(go040.message.contains("could not be determined"));
        let variable = run_with(text, Some("1.22"), Some("ARG V\nFROM golang:${V}\n"));
        assert!(find(&variable, "GO040").message.contains("golang:${V}"));
    }

    #[test]
    fn duplicate_keys_take_the_last_and_comments_are_fine() {
        let text =
            "{\n  \"image\": \"golang:1.20\", // old\n  /* newer */ \"image\": \"golang:1.23\",\n}";
        assert!(!codes(&run(text, Some("1.23"))).contains(&"GO041"));
    }

    #[test]
    fn text_that_is_not_jsonc_is_one_error_with_no_edit() {
        for text in [
            "{\"image\": 'golang'}",
            "image: golang",
            "[1, 2]",
            "{\"a\": [",
            "",
        ] {
            let findings = run(text, Some("1.23"));
            assert_eq!(codes(&findings), ["GO040"], "{text}");
            assert_eq!(findings[0].severity, Severity::Error);
            assert!(findings[0].fixes.is_empty());
        }
        let deep = "[".repeat(10_000);
        assert_eq!(codes(&run(&deep, None)), ["GO040"]);
    }

    #[test]
    fn brackets_in_comments_and_strings_are_not_nesting() {
        let brackets = "[".repeat(MAX_DEPTH);
        for text in [
            format!("// {brackets}\r{{}}"),
            format!("/* {brackets} */{{}}"),
            format!("{{\"name\": \"{brackets}\"}}"),
        ] {
            assert!(!too_deep(&text), "{text}");
        }
        // A line comment ends at \r as at \n: what follows is nesting.
        assert!(too_deep(&format!("//\r{brackets}[")));
        assert!(too_deep(&format!("/* */{brackets}[")));
    }

    #[test]
    fn a_fix_in_a_file_with_brackets_in_comments_keeps_it_readable() {
        // Found by the devcontainer fuzz target: the brackets in the comment
        // counted as nesting, and GO042's `[` took the file past the limit.
        let text = format!("// {}\r\r\n\n{{}}// '\n", "[".repeat(MAX_DEPTH - 1));
        let findings = run(&text, None);
        let after = fixed(&text, find(&findings, "GO042"));
        assert!(!codes(&run(&after, None)).contains(&"GO040"), "{after}");
    }
}

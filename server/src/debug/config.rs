//! Debug configurations the editor can start: vscode-go's (`type: go`) and
//! gord's own (`type: gord-dlv`), as serde values shaped like launch.json.

use std::net::SocketAddr;
use std::path::Path;

use serde::Serialize;

use crate::debug::buildinfo::GoBuild;
use crate::debug::launch::ServerKind;

/// vscode-go's `substitutePath` entry: `from` is the local path, `to` the
/// path the debugger sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubstitutePath {
    pub from: String,
    pub to: String,
}

/// `{"type": "go", "request": "attach", "mode": "remote", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoRemoteAttach {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub request: &'static str,
    pub mode: &'static str,
    pub host: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub substitute_path: Vec<SubstitutePath>,
}

/// gord's own debug type: the extension connects VS Code to the dlv server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GordDlvAttach {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub request: &'static str,
    /// What dlv's DAP `attach` needs: `local` (with `processId`) for a
    /// `dlv dap` server, which attaches on request; `remote` for a headless
    /// server, already attached.
    pub mode: &'static str,
    pub server: ServerKind,
    pub host: String,
    pub port: u16,
    pub process_id: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub substitute_path: Vec<SubstitutePath>,
}

/// `{"type": "go", "request": "launch", "mode": "core", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoCoreLaunch {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub request: &'static str,
    pub mode: &'static str,
    pub program: String,
    pub core_file_path: String,
}

/// Both configurations for one server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachConfigurations {
    pub vscode_go: GoRemoteAttach,
    pub gord: GordDlvAttach,
}

/// With `-trimpath`, file names in the binary start with the module path
/// instead of the source directory; map one to the other when the source is known.
pub fn substitute_path(build: Option<&GoBuild>, source_dir: Option<&Path>) -> Vec<SubstitutePath> {
    let (Some(build), Some(dir)) = (build, source_dir) else {
        return Vec::new();
    };
    let Some(module) = build.main_module.as_ref().filter(|_| build.trimpath()) else {
        return Vec::new();
    };
    vec![SubstitutePath {
        from: dir.display().to_string(),
        to: module.path.clone(),
    }]
}

pub fn attach_configurations(
    server: ServerKind,
    addr: SocketAddr,
    pid: u32,
    name: &str,
    substitute: Vec<SubstitutePath>,
) -> AttachConfigurations {
    let title = format!("Attach to {name} (pid {pid})");
    AttachConfigurations {
        vscode_go: GoRemoteAttach {
            name: title.clone(),
            kind: "go",
            request: "attach",
            mode: "remote",
            host: addr.ip().to_string(),
            port: addr.port(),
            substitute_path: substitute.clone(),
        },
        gord: GordDlvAttach {
            name: title,
            kind: "gord-dlv",
            request: "attach",
            mode: match server {
                ServerKind::Dap => "local",
                ServerKind::Headless => "remote",
            },
            server,
            host: addr.ip().to_string(),
            port: addr.port(),
            process_id: pid,
            substitute_path: substitute,
        },
    }
}

pub fn core_configuration(program: &Path, core: &Path) -> GoCoreLaunch {
    GoCoreLaunch {
        name: format!(
            "Core dump {}",
            core.file_name().unwrap_or_default().to_string_lossy()
        ),
        kind: "go",
        request: "launch",
        mode: "core",
        program: program.display().to_string(),
        core_file_path: core.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::debug::buildinfo::parse_modinfo;

    #[test]
    fn the_vscode_go_configuration_is_a_remote_attach_on_loopback() {
        let configs = attach_configurations(
            ServerKind::Headless,
            "127.0.0.1:4567".parse().unwrap(),
            42,
            "server",
            Vec::new(),
        );
        let json = serde_json::to_value(&configs).unwrap();
        assert_eq!(
            json["vscodeGo"],
            serde_json::json!({"name": "Attach to server (pid 42)", "type": "go", "request": "attach", "mode": "remote", "host": "127.0.0.1", "port": 4567})
        );
        assert_eq!(json["gord"]["type"], "gord-dlv");
        assert_eq!(json["gord"]["processId"], 42);
        assert_eq!(json["gord"]["server"], "headless");
        assert_eq!(json["gord"]["mode"], "remote");
    }

    #[test]
    fn gords_own_configuration_for_a_dap_server_asks_dlv_to_attach_locally() {
        let configs = attach_configurations(
            ServerKind::Dap,
            "127.0.0.1:4567".parse().unwrap(),
            42,
            "server",
            Vec::new(),
        );
        let json = serde_json::to_value(&configs.gord).unwrap();
        assert_eq!(json["mode"], "local");
        assert_eq!(json["processId"], 42);
        assert_eq!(json["port"], 4567);
    }

    #[test]
    fn trimpath_builds_map_the_module_path_to_the_source_directory() {
        let trimmed = parse_modinfo("mod\texample.com/app\t(devel)\t\nbuild\t-trimpath=true\n");
        assert_eq!(
            substitute_path(Some(&trimmed), Some(Path::new("/src/app"))),
            [SubstitutePath {
                from: "/src/app".into(),
                to: "example.com/app".into()
            }]
        );
        let plain = parse_modinfo("mod\texample.com/app\t(devel)\t\n");
        assert!(substitute_path(Some(&plain), Some(Path::new("/src/app"))).is_empty());
        assert!(substitute_path(Some(&trimmed), None).is_empty());
    }

    #[test]
    fn the_core_configuration_names_program_and_core() {
        let json = serde_json::to_value(core_configuration(
            Path::new("/bin/app"),
            Path::new("/tmp/core.1"),
        ))
        .unwrap();
        assert_eq!(json["mode"], "core");
        assert_eq!(json["program"], "/bin/app");
        assert_eq!(json["coreFilePath"], "/tmp/core.1");
    }
}

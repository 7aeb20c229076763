//! A Go module proxy served over HTTP on 127.0.0.1 by the test itself: the
//! GOPROXY protocol's file layout (`<module>/@v/list`, `.info`, `.mod`,
//! `.zip`) in a temporary directory, answered by a small static file server,
//! so the real go command downloads from it and nothing leaves the machine.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

pub struct ModuleProxy {
    dir: tempfile::TempDir,
    pub url: String,
}

impl ModuleProxy {
    /// Starts serving an empty proxy; the server lives as long as the test
    /// process (its thread holds only the directory's path).
    pub fn start() -> ModuleProxy {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let root = dir.path().join("proxy");
        std::fs::create_dir_all(&root).unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || serve(stream, &root));
            }
        });
        ModuleProxy { dir, url }
    }

    /// The same proxy as a `file://` GOPROXY. The go command verifies
    /// golang.org/toolchain against the checksum database when it comes over
    /// HTTP, even with GOSUMDB=off; from a file:// proxy it does not, which
    /// is the only way a test without network can offer it a toolchain.
    pub fn file_url(&self) -> String {
        format!("file://{}", self.dir.path().join("proxy").display())
    }

    fn at_v(&self, module: &str) -> PathBuf {
        let at_v = self.dir.path().join("proxy").join(module).join("@v");
        std::fs::create_dir_all(&at_v).unwrap();
        at_v
    }

    fn list(&self, module: &str, version: &str) {
        let list = self.at_v(module).join("list");
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(list)
            .unwrap();
        writeln!(file, "{version}").unwrap();
    }

    /// Publishes `module@version` whose go.mod asks for `go_line` and whose
    /// package `main_dir` is a program printing `<module> <version>`.
    pub fn add_program(&self, module: &str, version: &str, go_line: &str, main_dir: &str) {
        let go_mod = format!("module {module}\n\ngo {go_line}\n");
        let src = self.dir.path().join("src");
        let root = src.join(format!("{module}@{version}"));
        let main = root.join(main_dir);
        std::fs::create_dir_all(&main).unwrap();
        std::fs::write(root.join("go.mod"), &go_mod).unwrap();
        std::fs::write(
            main.join("main.go"),
            format!("package main\n\nimport \"fmt\"\n\nfunc main() {{ fmt.Println(\"{module} {version}\") }}\n"),
        )
        .unwrap();
        let at_v = self.at_v(module);
        std::fs::write(
            at_v.join(format!("{version}.info")),
            format!(r#"{{"Version":"{version}","Time":"2024-01-01T00:00:00Z"}}"#),
        )
        .unwrap();
        std::fs::write(at_v.join(format!("{version}.mod")), go_mod).unwrap();
        let status = Command::new("zip")
            .args(["-q", "-r", "-D", "-X"])
            .arg(at_v.join(format!("{version}.zip")))
            .arg(format!("{module}@{version}"))
            .current_dir(&src)
            .status()
            .expect("the tests need the `zip` program");
        assert!(status.success());
        self.list(module, version);
    }

    /// Lists Go toolchains `go1.X.Y` for download, for every common platform:
    /// the list, .info and .mod the go command reads to choose one (not the
    /// zips, so a switch to one of them fails at its download).
    pub fn list_toolchains(&self, versions: &[&str]) {
        for version in versions {
            for platform in ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"] {
                let listed = format!("v0.0.1-{version}.{platform}");
                let at_v = self.at_v("golang.org/toolchain");
                std::fs::write(
                    at_v.join(format!("{listed}.info")),
                    format!(r#"{{"Version":"{listed}","Time":"2024-01-01T00:00:00Z"}}"#),
                )
                .unwrap();
                std::fs::write(
                    at_v.join(format!("{listed}.mod")),
                    "module golang.org/toolchain\n",
                )
                .unwrap();
                self.list("golang.org/toolchain", &listed);
            }
        }
    }
}

/// Answers one GET with the file under `root` it names, or 404.
fn serve(stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    let safe = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let body = if safe {
        std::fs::read(root.join(relative)).ok()
    } else {
        None
    };
    let mut stream = &stream;
    let _ = match body {
        Some(body) => stream
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|()| stream.write_all(&body)),
        None => stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n",
        ),
    };
}

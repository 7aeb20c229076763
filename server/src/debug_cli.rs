//! `gord procs`, `gord attach` and `gord debug core`: argument handling and
//! rendering over the library's `debug` module.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::json;

use gord::debug::config::{attach_configurations, core_configuration, substitute_path};
use gord::debug::core::{match_core, CoreVerdict};
use gord::debug::discover::{Discovery, ProcessInfo};
use gord::debug::launch::{DlvServer, LaunchOptions, ServerKind};
use gord::debug::preflight::Preflight;
use gord::debug::procfs::format_utc;

use gord::render::escape::line as esc;

use super::write_stdout;

pub fn procs(go_only: bool, json: bool) -> anyhow::Result<ExitCode> {
    let mut discovery = Discovery::system();
    let list = gord::debug::list_processes(&mut discovery, gord::debug::dlv::gather(), go_only)?;
    if json {
        write_stdout(&(serde_json::to_string_pretty(&list)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = vec![[
        "PID",
        "USER",
        "STARTED (UTC)",
        "GO",
        "MODULE",
        "DWARF",
        "OPTIMISED",
        "VERDICT",
        "COMMAND",
    ]
    .map(String::from)];
    for entry in &list.processes {
        let p = &entry.process;
        let go = p.binary.as_ref().and_then(|b| b.go.as_ref());
        let yes_no = |v: Option<bool>| match v {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let row = [
            p.pid.to_string(),
            p.user.clone(),
            p.started_unix.map(format_utc).unwrap_or_else(|| "-".into()),
            go.map(|g| g.go_version.clone())
                .unwrap_or_else(|| "-".into()),
            go.and_then(|g| g.main_module.as_ref().map(|m| m.path.clone()))
                .unwrap_or_else(|| "-".into()),
            yes_no(p.binary.as_ref().map(|b| b.dwarf)).into(),
            yes_no(entry.optimised).into(),
            entry.verdict.clone(),
            command_text(p),
        ];
        // Process names, users and module paths are anyone's to choose.
        rows.push(row.map(|cell| esc(&cell).into_owned()));
    }
    let widths: Vec<usize> = (0..9)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i == row.len() - 1 {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if list.processes.is_empty() {
        out.push_str(if go_only {
            "no Go processes\n"
        } else {
            "no processes\n"
        });
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn command_text(p: &ProcessInfo) -> String {
    let text = if p.command.is_empty() {
        format!("[{}]", p.name)
    } else {
        p.command.join(" ")
    };
    if text.chars().count() > 60 {
        text.chars().take(57).collect::<String>() + "..."
    } else {
        text
    }
}

pub struct AttachOptions {
    pub pid: Option<u32>,
    pub unit: Option<String>,
    pub dry_run: bool,
    pub json: bool,
    pub server: ServerKind,
    pub listen: String,
    pub source: Option<PathBuf>,
}

fn render_preflight(preflight: &Preflight, process: &ProcessInfo) -> String {
    let mut out = format!(
        "pid {} ({}), user {}: {}\n",
        process.pid,
        esc(process.exe.as_deref().unwrap_or(&process.name)),
        esc(&process.user),
        if preflight.blocked {
            "cannot be debugged as it is"
        } else {
            "ready to attach"
        }
    );
    for f in &preflight.findings {
        let _ = writeln!(
            out,
            "  {}[{}] {}: {}",
            f.severity.as_str(),
            f.code,
            esc(f.title),
            esc(&f.message)
        );
        if let Some(delve) = &f.delve_error {
            let _ = writeln!(out, "      Delve would say: {}", esc(delve));
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "      fix: {}", esc(&fix.title));
            if let Some(argv) = &fix.command {
                let _ = writeln!(out, "      $ {}", esc(&argv.join(" ")));
            }
        }
        let _ = writeln!(out, "      see {}", f.doc);
    }
    out
}

/// Set by SIGINT/SIGTERM; the wait loop polls it.
static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);

extern "C" fn request_stop(_signal: libc::c_int) {
    STOP_REQUESTED.store(true, Ordering::SeqCst);
}

fn install_stop_handlers() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(signal, request_stop as *const () as libc::sighandler_t);
        }
    }
    // Closing stdin (the editor going away) stops too.
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        STOP_REQUESTED.store(true, Ordering::SeqCst);
    });
}

pub fn attach(options: AttachOptions) -> anyhow::Result<ExitCode> {
    let pid = match (&options.pid, &options.unit) {
        (Some(pid), _) => *pid,
        (None, Some(unit)) => gord::debug::systemd::main_pid(unit)?,
        (None, None) => bail!("name a PID or pass --unit NAME"),
    };
    // Refuse a bad listen address before anything else happens.
    gord::debug::launch::loopback_listen_address(&options.listen)?;
    let mut discovery = Discovery::system();
    let dlv = gord::debug::dlv::gather();
    let dlv_path = dlv.path.clone();
    let (process, preflight) = gord::debug::preflight_pid(&mut discovery, dlv, pid)?;
    let build = process.binary.as_ref().and_then(|b| b.go.as_ref());
    let source = options
        .source
        .clone()
        .or_else(|| gord::debug::source_dir_of(discovery.proc_root(), &process));
    let substitute = substitute_path(build, source.as_deref());
    let text = render_preflight(&preflight, &process);

    if options.dry_run || preflight.blocked {
        // The address is a placeholder until dlv picks its port.
        let configs = attach_configurations(
            options.server,
            options.listen.parse()?,
            pid,
            &process.name,
            substitute,
        );
        if options.json {
            let facts =
                json!({"process": process, "preflight": preflight, "configurations": configs});
            let findings = gord::render::adapt::debug(&preflight, Some(&process.name));
            write_stdout(&(gord::render::json::render("attach", &facts, &findings) + "\n"))?;
        } else {
            let mut out = text;
            if !preflight.blocked {
                out.push_str("\ndry run: dlv not started. It would run:\n  ");
                out.push_str(&format!(
                    "dlv {}\n",
                    gord::debug::launch::dlv_argv(options.server, pid, options.listen.parse()?)
                        .join(" ")
                ));
            }
            write_stdout(&out)?;
        }
        return Ok(if preflight.blocked {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }

    let dlv_path = dlv_path.context("dlv is not installed")?;
    // dlv sessions a killed gord left behind are detached first.
    gord::debug::sessions::recover_orphans();
    let mut launch = LaunchOptions::new(dlv_path, options.server, pid);
    launch.listen = options.listen.clone();
    let mut server = DlvServer::start(&launch)?;
    let configs =
        attach_configurations(server.kind(), server.addr(), pid, &process.name, substitute);
    if options.json {
        let value = json!({
            "process": process,
            "preflight": preflight,
            "server": {"kind": server.kind(), "host": server.addr().ip().to_string(), "port": server.addr().port(), "dlvPid": server.dlv_pid()},
            "configurations": configs,
        });
        write_stdout(&(serde_json::to_string(&value)? + "\n"))?;
    } else {
        write_stdout(&format!(
            "{text}\ndlv ({}) listening at {} for pid {pid}\n{}\nCtrl-C detaches and leaves pid {pid} running.\n",
            match server.kind() {
                ServerKind::Headless => "headless",
                ServerKind::Dap => "dap",
            },
            server.addr(),
            serde_json::to_string_pretty(&configs)?
        ))?;
    }
    install_stop_handlers();
    while !STOP_REQUESTED.load(Ordering::SeqCst) {
        if server.has_exited() {
            gord::say!("gord: dlv exited");
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let report = server.stop();
    gord::say!(
        "gord: detached from pid {pid} ({}); it keeps running{}",
        report.method,
        report
            .problem
            .map(|p| format!(" (note: {p})"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn core(binary: &Path, core: &Path, json: bool) -> anyhow::Result<ExitCode> {
    // Not through fsread: a binary and a core the user names on the command
    // line, read in place (ELF sections by offset), not whole.
    let open = |path: &Path| {
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))
    };
    let (binary_file, core_file) = (open(binary)?, open(core)?);
    let binary_abs = binary
        .canonicalize()
        .unwrap_or_else(|_| binary.to_path_buf());
    let core_abs = core.canonicalize().unwrap_or_else(|_| core.to_path_buf());
    let result = match_core(
        &binary.display().to_string(),
        &binary_file,
        &core.display().to_string(),
        &core_file,
    )?;
    let config = core_configuration(&binary_abs, &core_abs);
    let ok = result.verdict != CoreVerdict::Mismatch;
    if json {
        let value = json!({"match": result, "configuration": config});
        write_stdout(&(serde_json::to_string_pretty(&value)? + "\n"))?;
    } else {
        let mut out = format!("{}\n", esc(&result.message));
        if ok {
            let _ = writeln!(
                out,
                "\ndlv core {} {}\n{}",
                binary_abs.display(),
                core_abs.display(),
                serde_json::to_string_pretty(&config)?
            );
        }
        write_stdout(&out)?;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

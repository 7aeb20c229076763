//! `gord attach`: the preflight, then dlv on loopback attached to a process
//! until Ctrl-C, SIGTERM or the end of stdin detaches it.
//!
//! A blocking preflight finding exits 1 without starting anything. With
//! `--dry-run` the preflight is the report: exit 1 when a finding reaches
//! --fail-on (default `error`, the blocking ones).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::json;

use gord::debug::config::{attach_configurations, substitute_path};
use gord::debug::discover::{Discovery, ProcessInfo};
use gord::debug::launch::{DlvServer, LaunchOptions, ServerKind};
use gord::debug::preflight::Preflight;

use gord::render::escape::line as esc;
use gord::render::style::{self, Paint, DIM};

use super::exit::Usage;
use super::exit::{CliResult, Exit};
use super::output::{write_stdout, OutputArgs, Report};

#[derive(clap::Args)]
#[command(mut_arg("fail_on", |arg| arg.default_value("error")))]
#[command(mut_arg("format", |arg| super::output::writes(arg, "text, json or sarif (sarif: the preflight's findings, with --dry-run)")))]
pub struct AttachArgs {
    /// The process to attach to.
    #[arg(required_unless_present = "unit", conflicts_with = "unit")]
    pid: Option<u32>,
    /// Attach to the main process of this systemd unit.
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// Run the preflight and print the configuration, start nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    output: OutputArgs,
    /// Which dlv server: `headless` (dlv attach --headless, attached at once) or
    /// `dap` (dlv dap; the client sends the attach request).
    #[arg(long, value_enum, default_value_t = ServerChoice::Headless)]
    server: ServerChoice,
    /// Where dlv listens; loopback only. Port 0 lets dlv pick.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    listen: String,
    /// The program's source directory, for substitutePath of -trimpath builds
    /// (default: the process's working directory when it holds the module's go.mod).
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ServerChoice {
    Headless,
    Dap,
}

/// The preflight in words; with colour on, each severity in its colour and
/// the verdict green (ready) or red (blocked).
fn render_preflight(preflight: &Preflight, process: &ProcessInfo, paint: Paint) -> String {
    let verdict = if preflight.blocked {
        paint.paint(style::ERROR, "cannot be debugged as it is")
    } else {
        paint.paint(style::OK, "ready to attach")
    };
    let mut out = format!(
        "pid {} ({}), user {}: {verdict}\n",
        process.pid,
        esc(process.exe.as_deref().unwrap_or(&process.name)),
        esc(&process.user),
    );
    for f in &preflight.findings {
        let _ = writeln!(
            out,
            "  {}[{}] {}: {}",
            paint.paint(style::severity(f.severity), f.severity.as_str()),
            f.code,
            esc(gord::debug::preflight::title(&f.code)),
            esc(&f.message)
        );
        if let Some(delve) = &f.detail {
            let _ = writeln!(out, "      Delve would say: {}", esc(delve));
        }
        if let Some(fix) = f.fix() {
            let _ = writeln!(
                out,
                "      {} {}",
                paint.paint(DIM, "fix:"),
                esc(&fix.title)
            );
            if let Some(argv) = &fix.command {
                let _ = writeln!(
                    out,
                    "      {} {}",
                    paint.paint(DIM, "$"),
                    esc(&argv.join(" "))
                );
            }
        }
        let _ = writeln!(out, "      see {}", f.doc.as_deref().unwrap_or_default());
    }
    out
}

/// Set by SIGINT/SIGTERM; the wait loop polls it.
static STOP_REQUESTED: AtomicBool = AtomicBool::new(false);

fn install_stop_handlers() {
    gord::platform::signals::flag_on_stop_signals(&STOP_REQUESTED);
    // Closing stdin (the editor going away) stops too.
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        STOP_REQUESTED.store(true, Ordering::SeqCst);
    });
}

pub fn run(args: AttachArgs) -> CliResult {
    let report = args.output.report("gord attach")?;
    if report == Report::Sarif && !args.dry_run {
        let message = "`gord attach --format sarif` writes the preflight only: add --dry-run";
        return Err(Usage(message.into()).into());
    }
    let json = report == Report::Json;
    let kind = match args.server {
        ServerChoice::Headless => ServerKind::Headless,
        ServerChoice::Dap => ServerKind::Dap,
    };
    let pid = match (&args.pid, &args.unit) {
        (Some(pid), _) => *pid,
        (None, Some(unit)) => gord::debug::systemd::main_pid(unit)?,
        (None, None) => bail!("name a PID or pass --unit NAME"),
    };
    // Refuse a bad listen address before anything else happens.
    gord::debug::launch::loopback_listen_address(&args.listen)?;
    let mut discovery = Discovery::system();
    let dlv = gord::debug::dlv::gather();
    let dlv_path = dlv.path.clone();
    let (process, preflight) = gord::debug::preflight_pid(&mut discovery, dlv, pid)?;
    let build = process.binary.as_ref().and_then(|b| b.go.as_ref());
    let source = args
        .source
        .clone()
        .or_else(|| gord::debug::source_dir_of(discovery.proc_root(), &process));
    let substitute = substitute_path(build, source.as_deref());
    let text = render_preflight(&preflight, &process, Paint::new(args.output.colour()));

    if args.dry_run || preflight.blocked {
        // The address is a placeholder until dlv picks its port.
        let configs =
            attach_configurations(kind, args.listen.parse()?, pid, &process.name, substitute);
        if report == Report::Sarif {
            let sarif =
                gord::render::sarif::gord(&preflight.shown(), gord::docs::docs_root().as_deref());
            write_stdout(&(sarif + "\n"))?;
        } else if json {
            let facts =
                json!({"process": process, "preflight": preflight, "configurations": configs});
            let findings = preflight.shown();
            write_stdout(&(gord::render::json::render("attach", &facts, &findings) + "\n"))?;
        } else {
            let mut out = text;
            if !preflight.blocked {
                out.push_str("\ndry run: dlv not started. It would run:\n  ");
                out.push_str(&format!(
                    "dlv {}\n",
                    gord::debug::launch::dlv_argv(kind, pid, args.listen.parse()?).join(" ")
                ));
            }
            write_stdout(&out)?;
        }
        if !args.dry_run {
            return Ok(Exit::Findings);
        }
        let severities = preflight.findings.iter().map(|f| f.severity);
        return Ok(Exit::for_findings(severities, args.output.fail_on));
    }

    let dlv_path = dlv_path.context("dlv is not installed")?;
    // dlv sessions a killed gord left behind are detached first.
    gord::debug::sessions::recover_orphans();
    let mut launch = LaunchOptions::new(dlv_path, kind, pid);
    launch.listen = args.listen.clone();
    let mut server = DlvServer::start(&launch)?;
    let configs =
        attach_configurations(server.kind(), server.addr(), pid, &process.name, substitute);
    if json {
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
            return Ok(Exit::Clean);
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
    Ok(Exit::Clean)
}

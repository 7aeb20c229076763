//! The `gord` command line: parses arguments, runs the library, maps the
//! outcome to an exit code (0 clean, 1 findings at or above --fail-on, 2 gord
//! itself failed).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};

use gord::check::{HealthReport, Status};
use gord::goenv::version::GoVersion;
use gord::settings::Settings;

mod debug_cli;

#[derive(Parser)]
#[command(
    name = "gord",
    version,
    about = "Go Remote Doctor: finds what stops Go development on a remote machine, and says how to fix it",
    long_about = "Go Remote Doctor checks the Go toolchain and tools a remote Go developer depends on, and says \
                  what is wrong and how to fix it. `gord check` prints a report; `gord serve` is the language \
                  server the VS Code extension starts.",
    after_help = "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 gord itself failed.\n\
                  Logs go to stderr; set GORD_LOG or RUST_LOG (e.g. GORD_LOG=debug) for more."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every health check and print the report.
    Check(CheckArgs),
    /// Run the language server on stdin/stdout (started by the VS Code extension).
    Serve,
    /// SSH config tools.
    #[command(subcommand)]
    Ssh(SshCommand),
    /// Remote host doctor: probe SSH hosts and check they are ready for
    /// Remote-SSH and Go.
    #[command(subcommand)]
    Remote(RemoteCommand),
    /// Lint Go packages with golangci-lint (go vet when it is not installed):
    /// exact positions, suggested fixes, text, JSON or SARIF.
    Lint(LintArgs),
    /// List the processes you could debug, with what their executables say.
    Procs {
        /// Only Go programs.
        #[arg(long)]
        go: bool,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = DebugFormat::Text)]
        format: DebugFormat,
    },
    /// Check that a process can be debugged, start dlv on loopback attached to it
    /// and print the debug configuration; Ctrl-C, SIGTERM or closing stdin
    /// detaches and leaves the process running.
    Attach(AttachArgs),
    /// Debugging helpers.
    #[command(subcommand)]
    Debug(DebugCommand),
    /// Warm the caches for a workspace: download its modules, fill the build
    /// cache, run gopls once, then prove it builds offline (GOPROXY=off).
    Preload(PreloadArgs),
}

#[derive(clap::Args)]
struct AttachArgs {
    /// The process to attach to.
    #[arg(required_unless_present = "unit", conflicts_with = "unit")]
    pid: Option<u32>,
    /// Attach to the main process of this systemd unit.
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// Run the preflight and print the configuration, start nothing.
    #[arg(long)]
    dry_run: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DebugFormat::Text)]
    format: DebugFormat,
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

#[derive(Subcommand)]
enum DebugCommand {
    /// Check that a core dump belongs to a binary and print a `dlv core` configuration.
    Core {
        binary: PathBuf,
        core: PathBuf,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = DebugFormat::Text)]
        format: DebugFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DebugFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ServerChoice {
    Headless,
    Dap,
}

#[derive(clap::Args)]
struct LintArgs {
    /// Packages to lint: a directory (that package only), a file (its
    /// package), or `dir/...` (every package below dir). Default: `./...`.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// Colour in text output: auto means only on a terminal and without NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Time limit for each module's run, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Read a golangci-lint JSON report (v1 or v2; `-` for stdin) instead of
    /// running the linter: gord places its issues exactly and prints them in
    /// --format. Relative file names are taken from the current directory.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    from_json: Option<PathBuf>,
    /// Let a go.mod/go.work `toolchain` line make go download and run another
    /// Go toolchain. Without it gord's children run with GOTOOLCHAIN=local
    /// (a GOTOOLCHAIN of `local` or `goX.Y.Z` you set yourself is kept).
    #[arg(long)]
    allow_toolchain_switch: bool,
}

#[derive(clap::Args)]
struct PreloadArgs {
    /// The Go workspace (its go.work and go.mod files). Default: the current directory.
    #[arg(long, short = 'w', value_name = "DIR", default_value = ".")]
    workspace: PathBuf,
    /// Output format of the final report (progress always goes to stderr).
    #[arg(long, short = 'f', value_enum, default_value_t = PreloadFormat::Text)]
    format: PreloadFormat,
    /// Download nothing and start no gopls: only check that the workspace's
    /// packages list and type-check with GOPROXY=off, naming each module that
    /// still needs the network.
    #[arg(long)]
    offline_check_only: bool,
    /// Let a go.mod/go.work `toolchain` line make go download and run another
    /// Go toolchain. Without it gord's children run with GOTOOLCHAIN=local
    /// (a GOTOOLCHAIN of `local` or `goX.Y.Z` you set yourself is kept).
    #[arg(long)]
    allow_toolchain_switch: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum PreloadFormat {
    /// Steps, offline verdict, cache sizes and private-module setup.
    Text,
    /// The report as JSON (the shape a `gord/preload` request returns).
    Json,
}

#[derive(Subcommand)]
enum RemoteCommand {
    /// Probe HOST (or every literal Host of the config with --all): reachability,
    /// host key, authentication, the VS Code server's needs, TCP forwarding,
    /// ControlMaster, and Go on the login and non-login PATH.
    Check(RemoteCheckArgs),
}

#[derive(clap::Args)]
struct RemoteCheckArgs {
    /// The host, as you would type it after `ssh`.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    host: Option<String>,
    /// Check every host the config names literally (no wildcards or `!`).
    #[arg(long)]
    all: bool,
    /// Hosts checked at the same time.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: u16,
    /// The ssh config to use, for gord and for ssh (`ssh -F`); default ~/.ssh/config.
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colour in text output: auto means only on a terminal and without NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Time limit of each network step and each ssh run, in seconds (a
    /// shorter ConnectTimeout in the config wins). A dead host costs about this.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
}

#[derive(Subcommand)]
enum SshCommand {
    /// Check an SSH config (default ~/.ssh/config) and the files it includes.
    Lint {
        /// The config file to check (default ~/.ssh/config).
        #[arg(long, short = 'F', value_name = "FILE")]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        /// Lowest severity that makes the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        /// Colour in text output: auto means only on a terminal and without NO_COLOR.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Evaluate `Match exec` blocks (off: they are reported as not evaluated).
        #[arg(long)]
        allow_exec: bool,
    },
    /// Apply the safe fixes to an SSH config: prints a diff, writes atomically,
    /// keeps a backup under $XDG_STATE_HOME/gord/backups (default
    /// ~/.local/state/gord/backups), refuses when the file changed since it
    /// was read or is read-only.
    Fix {
        /// The config file to fix (default ~/.ssh/config).
        #[arg(long, short = 'F', value_name = "FILE")]
        config: Option<PathBuf>,
        /// Show the diff, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace read-only files too (their mode is kept).
        #[arg(long)]
        force: bool,
    },
    /// Print the effective configuration for HOST, in the format of `ssh -G`.
    Resolve {
        /// The host, as you would type it after `ssh` (`user@host` too).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        host: Option<String>,
        /// Resolve every host the config names (literal Host patterns), one
        /// `ssh -G` listing after another.
        #[arg(long)]
        all: bool,
        /// Read this file instead of ~/.ssh/config and /etc/ssh/ssh_config (like `ssh -F`).
        #[arg(long, short = 'F', value_name = "FILE")]
        config: Option<PathBuf>,
        /// Run `Match exec` commands, as ssh would. Off by default: a config's
        /// commands run only when you allow them.
        #[arg(long)]
        allow_exec: bool,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The Go workspace to check (its go.mod and go.work files). Default: none.
    #[arg(long, short = 'w', value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Lowest status that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colour in text output: auto means only on a terminal and without NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Time limit for each check, in seconds (1 to 600).
    #[arg(long, value_name = "SECONDS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// Warn when the Go toolchain is older than this version.
    #[arg(long, value_name = "VERSION", default_value = gord::settings::DEFAULT_MINIMUM_GO, value_parser = parse_go_version)]
    min_go_version: GoVersion,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Human-readable, grouped by area.
    Text,
    /// The report as JSON (the same shape as the gord/health LSP request).
    Json,
    /// A Markdown document, as shown in VS Code.
    Markdown,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum LintFormat {
    /// `file:line:col: severity[CODE] message`, with the fix.
    Text,
    /// The findings as JSON.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Warning,
    Error,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_go_version(text: &str) -> Result<GoVersion, String> {
    GoVersion::parse(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve => {
            let level = gord::logging::init("info");
            match runtime() {
                Ok(rt) => {
                    rt.block_on(gord::lsp::serve(level));
                    // The stdin reader may still be blocked in read (after a
                    // signal, stdin is open): do not wait for it.
                    rt.shutdown_timeout(std::time::Duration::from_millis(200));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Ssh(SshCommand::Fix {
            config,
            dry_run,
            force,
        }) => {
            gord::logging::init("warn");
            ssh_fix(config.as_deref(), dry_run, force)
        }
        Command::Ssh(SshCommand::Lint {
            config,
            format,
            fail_on,
            color,
            allow_exec,
        }) => {
            gord::logging::init("warn");
            ssh_lint(config.as_deref(), format, fail_on, color, allow_exec)
        }
        Command::Ssh(SshCommand::Resolve {
            all: true, config, ..
        }) => {
            gord::logging::init("warn");
            ssh_resolve_all(config.as_deref())
        }
        Command::Ssh(SshCommand::Resolve {
            host: Some(host),
            config,
            allow_exec,
            ..
        }) => {
            gord::logging::init("warn");
            ssh_resolve(&host, config.as_deref(), allow_exec)
        }
        Command::Ssh(SshCommand::Resolve { host: None, .. }) => {
            fail(&anyhow::anyhow!("name a HOST or pass --all"))
        }
        Command::Remote(RemoteCommand::Check(args)) => {
            gord::logging::init("warn");
            match remote_check(args) {
                Ok(code) => code,
                Err(e) => fail(&e),
            }
        }
        Command::Lint(args) => {
            gord::logging::init("warn");
            match lint(args) {
                Ok(code) => code,
                Err(e) => fail(&e),
            }
        }
        Command::Preload(args) => {
            gord::logging::init("warn");
            match preload(args) {
                Ok(code) => code,
                Err(e) => fail(&e),
            }
        }
        Command::Procs { go, format } => {
            gord::logging::init("warn");
            result_code(debug_cli::procs(go, format == DebugFormat::Json))
        }
        Command::Attach(args) => {
            gord::logging::init("warn");
            let options = debug_cli::AttachOptions {
                pid: args.pid,
                unit: args.unit,
                dry_run: args.dry_run,
                json: args.format == DebugFormat::Json,
                server: match args.server {
                    ServerChoice::Headless => gord::debug::launch::ServerKind::Headless,
                    ServerChoice::Dap => gord::debug::launch::ServerKind::Dap,
                },
                listen: args.listen,
                source: args.source,
            };
            result_code(debug_cli::attach(options))
        }
        Command::Debug(DebugCommand::Core {
            binary,
            core,
            format,
        }) => {
            gord::logging::init("warn");
            result_code(debug_cli::core(&binary, &core, format == DebugFormat::Json))
        }
        Command::Check(args) => {
            gord::logging::init("warn");
            match check(args) {
                Ok(code) => code,
                Err(e) => fail(&e),
            }
        }
    }
}

fn result_code(result: anyhow::Result<ExitCode>) -> ExitCode {
    result.unwrap_or_else(|e| fail(&e))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

fn fail(error: &anyhow::Error) -> ExitCode {
    gord::say!("gord: error: {error:#}");
    ExitCode::from(2)
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let workspace = match &args.workspace {
        Some(dir) => {
            if !dir.is_dir() {
                bail!(
                    "the workspace {} does not exist or is not a directory",
                    dir.display()
                );
            }
            Some(
                dir.canonicalize()
                    .with_context(|| format!("cannot resolve the workspace {}", dir.display()))?,
            )
        }
        None => None,
    };
    let settings = Settings {
        minimum_go: args.min_go_version.clone(),
        check_timeout: std::time::Duration::from_secs(args.timeout),
        ..Settings::default()
    };
    let report = runtime()?.block_on(gord::health(
        workspace,
        settings,
        gord::check::Trust::Trusted,
    ));
    let output = match args.format {
        Format::Text => gord::render::render_text(&report, use_colour(args.color)),
        Format::Json => gord::render::render_json(&report) + "\n",
        Format::Markdown => {
            gord::render::render_markdown(&report, gord::docs::docs_root().as_deref())
        }
        Format::Sarif => {
            gord::render::render_sarif(&report, gord::docs::docs_root().as_deref()) + "\n"
        }
    };
    write_stdout(&output)?;
    Ok(exit_code(&report, args.fail_on))
}

/// Exit 0 clean, 1 findings at or above --fail-on, 2 when gord failed (a
/// refused host name, an unreadable config).
fn remote_check(args: RemoteCheckArgs) -> anyhow::Result<ExitCode> {
    use gord::remote::{self, output, RemoteCheckOptions};
    let hosts = match &args.host {
        Some(host) => {
            // Before anything runs: a name like `-oProxyCommand=...` never reaches ssh.
            remote::target::check_host_argument(host)
                .map_err(|refusal| anyhow::anyhow!("RMT001 {refusal}; nothing was run"))?;
            vec![host.clone()]
        }
        None => remote::config_hosts(args.config.as_deref()).map_err(anyhow::Error::msg)?,
    };
    let options = RemoteCheckOptions {
        config: args.config.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        jobs: usize::from(args.jobs),
        ..RemoteCheckOptions::default()
    };
    let progress = |event: remote::model::Progress| tracing::debug!(?event, "remote check");
    let report = runtime()?.block_on(remote::check_hosts(&hosts, &options, &progress));
    let text = match args.format {
        LintFormat::Text => output::render_text(&report, use_colour(args.color)),
        LintFormat::Json => output::render_json(&report) + "\n",
        LintFormat::Sarif => {
            output::render_sarif(&report, gord::docs::docs_root().as_deref()) + "\n"
        }
    };
    write_stdout(&text)?;
    let threshold = match args.fail_on {
        FailOn::Warning => Status::Warning,
        FailOn::Error => Status::Error,
    };
    Ok(if report.worst() >= threshold {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Exit 0 clean, 1 issues, 2 when the linter itself failed (its config, code
/// that does not compile, a crash) or gord did.
fn lint(args: LintArgs) -> anyhow::Result<ExitCode> {
    gord::lifeline::allow_toolchain_switch(args.allow_toolchain_switch);
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if let Some(report) = &args.from_json {
        return lint_from_json(report, &cwd, &args);
    }
    let targets =
        gord::lint::scope::targets_from_paths(&args.paths, &cwd).map_err(anyhow::Error::msg)?;
    let env = gord::check::Environment::from_process();
    let runner = gord::exec::SystemRunner;
    let rt = runtime()?;
    let gobin = gord::lint::tool::go_install_dir(&env);
    let linter = rt
        .block_on(gord::lint::find_linter(
            &runner,
            &env.path_dirs(),
            gobin.as_deref(),
        ))
        .context("neither golangci-lint nor go is installed (see `gord check`)")?;
    if linter.kind == gord::lint::model::ToolKind::GoVet {
        let install = gord::goenv::tools::pinned("golangci-lint")
            .map(|t| t.install_argv().join(" "))
            .unwrap_or_default();
        gord::say!(
            "gord: golangci-lint is not installed, so go vet lints instead (install it: {install})"
        );
    }
    let report = rt.block_on(gord::lint::lint_targets(
        &runner,
        &linter,
        &targets,
        std::time::Duration::from_secs(args.timeout),
    ));
    print_lint_report(&report, &args)
}

/// `gord lint --from-json FILE`: a report golangci-lint wrote elsewhere.
fn lint_from_json(
    file: &std::path::Path,
    cwd: &std::path::Path,
    args: &LintArgs,
) -> anyhow::Result<ExitCode> {
    use gord::fsread::Kind;
    let started = std::time::Instant::now();
    let cap = Kind::LintReport.cap();
    let json = if file == std::path::Path::new("-") {
        let bytes = gord::fsread::read_limited(std::io::stdin(), cap, 0)
            .context("cannot read the report from stdin")?
            .with_context(|| format!("the report on stdin is larger than {} MiB", cap >> 20))?;
        String::from_utf8(bytes).context("the report on stdin is not UTF-8")?
    } else {
        gord::fsread::read_to_string(file, Kind::LintReport)?
    };
    let parsed = gord::lint::golangci::parse(&json, cwd);
    drop(json);
    let issues = gord::lint::place_issues(parsed.issues, gord::lint::read_reported_source);
    tracing::info!(
        issues = issues.len(),
        ms = started.elapsed().as_millis() as u64,
        "report placed"
    );
    let report = gord::lint::output::Report {
        tool: gord::lint::model::ToolKind::GolangciLint,
        linter: String::from("golangci-lint (report)"),
        runs: vec![gord::lint::output::ModuleRun {
            module_root: cwd.to_path_buf(),
            patterns: Vec::new(),
            issues,
            failures: parsed.failures,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }],
    };
    print_lint_report(&report, args)
}

fn print_lint_report(
    report: &gord::lint::output::Report,
    args: &LintArgs,
) -> anyhow::Result<ExitCode> {
    use gord::lint::output;
    let text = match args.format {
        LintFormat::Text => output::render_text(report, use_colour(args.color)),
        LintFormat::Json => output::render_json(report) + "\n",
        LintFormat::Sarif => output::render_sarif(report) + "\n",
    };
    write_stdout(&text)?;
    let failures: Vec<_> = report.failures().collect();
    for failure in &failures {
        gord::say!("gord: {}", failure.message);
    }
    Ok(if !failures.is_empty() {
        ExitCode::from(2)
    } else if report.issues().next().is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn preload(args: PreloadArgs) -> anyhow::Result<ExitCode> {
    gord::lifeline::allow_toolchain_switch(args.allow_toolchain_switch);
    use gord::preload::{CancellationToken, PreloadError, PreloadEvent};
    if !args.workspace.is_dir() {
        bail!(
            "the workspace {} does not exist or is not a directory",
            args.workspace.display()
        );
    }
    let workspace = args
        .workspace
        .canonicalize()
        .with_context(|| format!("cannot resolve the workspace {}", args.workspace.display()))?;
    let rt = runtime()?;
    rt.block_on(async move {
        let cancel = CancellationToken::new();
        let on_signal = cancel.clone();
        // Registered before any child starts, so an early Ctrl-C still cancels.
        use tokio::signal::unix::{signal, SignalKind};
        let mut int = signal(SignalKind::interrupt()).context("cannot watch for SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?;
        tokio::spawn(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            on_signal.cancel();
        });
        let runner = gord::exec::SystemRunner;
        let env = gord::check::Environment::from_process();
        let tools =
            gord::preload::locate_toolchain(&env, &gord::check::Trust::Trusted, &runner).await?;
        let request = gord::preload::PreloadRequest {
            workspace,
            offline_check_only: args.offline_check_only,
        };
        let progress = StderrProgress::new();
        let sink = |event: PreloadEvent| progress.show(&event);
        let result = gord::preload::preload(&request, &tools, &runner, &sink, &cancel).await;
        progress.finish();
        let report = match result {
            Ok(report) => report,
            Err(PreloadError::Cancelled) => {
                gord::say!(
                    "gord: preload cancelled; every go and gopls process it started was stopped"
                );
                return Ok(ExitCode::from(130));
            }
            Err(e) => return Err(e.into()),
        };
        let output = match args.format {
            PreloadFormat::Text => gord::preload::text::render_report(&report),
            PreloadFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        };
        write_stdout(&output)?;
        let failed = report
            .steps
            .iter()
            .any(|s| s.status == gord::preload::StepStatus::Failed);
        Ok(if failed || !report.offline.ready {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// Progress on stderr: a redrawn bar on a terminal, plain lines otherwise.
struct StderrProgress {
    tty: bool,
    width: usize,
    label: std::sync::Mutex<String>,
}

impl StderrProgress {
    fn new() -> Self {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(80);
        StderrProgress {
            tty: std::io::stderr().is_terminal(),
            width,
            label: std::sync::Mutex::new(String::new()),
        }
    }

    fn show(&self, event: &gord::preload::PreloadEvent) {
        use gord::preload::PreloadEvent;
        let mut stderr = std::io::stderr().lock();
        if !self.tty {
            if let Some(line) = gord::preload::text::event_line(event) {
                let _ = writeln!(stderr, "{line}");
            }
            return;
        }
        let Ok(mut label) = self.label.lock() else {
            return;
        };
        let line = match event {
            PreloadEvent::StepStarted { title, .. } => {
                *label = title.clone();
                format!("{title}…")
            }
            PreloadEvent::Module {
                done,
                total,
                module,
                ..
            } => gord::preload::text::progress_bar(
                *done,
                *total,
                &format!("{label}: {module}"),
                self.width,
            ),
            PreloadEvent::StepFinished { .. } => {
                // Finished steps stay on screen; the bar is redrawn below them.
                let _ = write!(stderr, "\r\x1b[2K");
                if let Some(line) = gord::preload::text::event_line(event) {
                    let _ = writeln!(stderr, "{line}");
                }
                return;
            }
        };
        let line: String = line.chars().take(self.width.saturating_sub(1)).collect();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
    }

    fn finish(&self) {
        if self.tty {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

fn ssh_resolve(host: &str, config: Option<&std::path::Path>, allow_exec: bool) -> ExitCode {
    match gord::ssh::resolve_host(config, host, allow_exec) {
        Ok((_, lines)) => match write_stdout(&gord::render::escape::text(
            &gord::ssh::config::effective::render_ssh_g(&lines),
        )) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Err(failure) => {
            for message in &failure.messages {
                gord::say!("gord: {message}");
            }
            gord::say!(
                "gord: cannot resolve {host}: {} problem(s) in the configuration",
                failure.total
            );
            ExitCode::from(2)
        }
    }
}

fn ssh_lint(
    config: Option<&std::path::Path>,
    format: LintFormat,
    fail_on: FailOn,
    color: ColorChoice,
    allow_exec: bool,
) -> ExitCode {
    use gord::ssh::lint::{output, Severity};
    let (path, findings) = match gord::ssh::lint_config(config, allow_exec) {
        Ok(found) => found,
        Err(message) => return fail(&anyhow::anyhow!(message)),
    };
    let text = match format {
        LintFormat::Text => output::render_text(&findings, use_colour(color)),
        LintFormat::Json => output::render_json(&path, &findings) + "\n",
        LintFormat::Sarif => {
            output::render_sarif(&findings, gord::docs::docs_root().as_deref()) + "\n"
        }
    };
    if let Err(e) = write_stdout(&text) {
        return fail(&e);
    }
    let threshold = match fail_on {
        FailOn::Warning => Severity::Warning,
        FailOn::Error => Severity::Error,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn ssh_fix(config: Option<&std::path::Path>, dry_run: bool, force: bool) -> ExitCode {
    let (path, plan) = match gord::ssh::plan_fixes(config) {
        Ok(found) => found,
        Err(message) => return fail(&anyhow::anyhow!(message)),
    };
    let mut out = String::new();
    for file in &plan.files {
        out.push_str(&gord::edit::unified_diff(
            &file.path,
            &file.original,
            &file.new,
        ));
    }
    for file in &plan.files {
        for applied in &file.applied {
            out.push_str(&format!("fixed: {applied}\n"));
        }
    }
    for deferred in &plan.deferred {
        out.push_str(&format!(
            "next run: {deferred} (overlaps a fix applied now)\n"
        ));
    }
    for manual in &plan.manual {
        out.push_str(&format!("not automatic: {manual}\n"));
    }
    if plan.files.is_empty() {
        out.push_str(&format!("{}: no safe fix to apply\n", path.display()));
    }
    // The diff quotes config lines: secrets and escape sequences in them are
    // shown redacted and escaped (the file gets the real text).
    let out = gord::render::escape::text(&gord::redact::secrets(&out)).into_owned();
    if let Err(e) = write_stdout(&out) {
        return fail(&e);
    }
    if dry_run {
        return ExitCode::SUCCESS;
    }
    let options = match gord::edit::WriteOptions::new(force) {
        Ok(options) => options,
        Err(e) => return fail(&anyhow::anyhow!(e)),
    };
    match gord::ssh::fix::write(&plan, &options) {
        Ok(done) => {
            for outcome in &done {
                gord::say!("gord: {}", gord::ssh::fix::wrote_message(outcome));
            }
        }
        Err((done, e)) => {
            for outcome in &done {
                gord::say!("gord: {}", gord::ssh::fix::wrote_message(outcome));
            }
            return fail(&anyhow::anyhow!(e));
        }
    }
    ExitCode::SUCCESS
}

fn ssh_resolve_all(config: Option<&std::path::Path>) -> ExitCode {
    let resolved = match gord::ssh::resolve_all(config) {
        Ok(resolved) => resolved,
        Err(message) => return fail(&anyhow::anyhow!(message)),
    };
    let mut out = String::new();
    let mut failed = 0;
    for (host, result) in &resolved {
        match result {
            Ok(lines) => {
                out.push_str(&gord::ssh::config::effective::render_ssh_g(lines));
                out.push('\n');
            }
            Err(failure) => {
                failed += 1;
                gord::say!(
                    "gord: cannot resolve {host}: {}",
                    failure.messages.join("; ")
                );
            }
        }
    }
    if let Err(e) = write_stdout(&gord::render::escape::text(&out)) {
        return fail(&e);
    }
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn use_colour(choice: ColorChoice) -> bool {
    use gord::render::style;
    style::stdout_wants_colour(match choice {
        ColorChoice::Always => style::ColorChoice::Always,
        ColorChoice::Never => style::ColorChoice::Never,
        ColorChoice::Auto => style::ColorChoice::Auto,
    })
}

/// Writes the report; a closed pipe (`gord check | head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("could not write the report to stdout"),
    }
}

fn exit_code(report: &HealthReport, fail_on: FailOn) -> ExitCode {
    let threshold = match fail_on {
        FailOn::Warning => Status::Warning,
        FailOn::Error => Status::Error,
    };
    if report.worst() >= threshold {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

//! The SSH part of the health report: the user's ~/.ssh/config through the
//! rule catalogue, every finding located so the editor can show it.

use std::sync::Arc;

use futures::future::BoxFuture;

use crate::check::{Area, Check, CheckContext, FnCheck, Outcome};
use crate::finding::{Fix, Severity};
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::{ConfigFs, RealFs};
use crate::ssh::lint::{lint, LintContext};

pub fn catalogue() -> Vec<Arc<dyn Check>> {
    vec![
        FnCheck::shared(
            "SSH000",
            "SSH config (~/.ssh/config)",
            Area::Ssh,
            ssh000_config,
        ),
        FnCheck::shared(
            "SSH040",
            "Remote-SSH settings",
            Area::Ssh,
            crate::ssh::remote_ssh::ssh040,
        ),
        FnCheck::shared(
            "SSH050",
            "What Remote-SSH will run",
            Area::Ssh,
            crate::ssh::preconnect::ssh050,
        ),
    ]
}

/// SSH000: the config Remote-SSH hands to ssh (`remote.SSH.configFile`,
/// else ~/.ssh/config) and what it includes, against every SSH rule.
fn ssh000_config(ctx: &CheckContext) -> BoxFuture<'_, Outcome> {
    Box::pin(async move {
        let home = ctx.env.home();
        let allow_exec = ctx.settings.allow_match_exec && ctx.trust.is_trusted();
        let configured = crate::ssh::remote_ssh::remote_ssh_config(ctx).await;
        // Reading and linting touch only the file system: off the async threads.
        let done = tokio::task::spawn_blocking(move || {
            let local = LocalFacts::current();
            let home = home.unwrap_or_else(|| local.home.clone());
            let path = configured.unwrap_or_else(|| home.join(".ssh").join("config"));
            lint_outcome(&path, &RealFs, &LocalFacts { home, ..local }, allow_exec)
        })
        .await;
        done.unwrap_or_else(|e| {
            Outcome::error(format!("the SSH config check failed inside gord ({e})"))
        })
    })
}

/// The check's verdict for the config at `path`; pure given `fs`.
pub fn lint_outcome(
    path: &std::path::Path,
    fs: &dyn ConfigFs,
    local: &LocalFacts,
    allow_exec: bool,
) -> Outcome {
    let ctx = match LintContext::load(path, fs, local, false) {
        Ok(ctx) if allow_exec => ctx.with_exec(&crate::ssh::match_exec),
        Ok(ctx) => ctx,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Outcome::skipped(format!("no SSH config at {}", path.display()))
        }
        Err(e) => return Outcome::error(format!("cannot read {}: {e}", path.display())),
    };
    let findings = lint(&ctx);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let files = ctx.files.len();
    let mut outcome = if errors > 0 {
        Outcome::error(format!(
            "{errors} error(s) and {warnings} warning(s) in {}",
            path.display()
        ))
    } else if warnings > 0 {
        Outcome::warning(format!("{warnings} warning(s) in {}", path.display()))
    } else {
        Outcome::ok(format!(
            "{} and {} included file(s): no problems ({} note(s))",
            path.display(),
            files - 1,
            count(Severity::Info)
        ))
    };
    if let Some(first) = findings.iter().find(|f| f.severity >= Severity::Warning) {
        outcome
            .message
            .push_str(&format!("; first: {} {}", first.code, first.message));
        outcome.fix = Some(Fix::run(
            "See every finding and its fix: gord ssh lint (safe fixes: gord ssh fix)",
            [
                "gord",
                "ssh",
                "lint",
                "--config",
                &path.display().to_string(),
            ],
        ));
    }
    let detail: Vec<String> = findings
        .iter()
        .filter_map(|f| {
            let (path, range) = f.file_range()?;
            Some(format!(
                "{}:{}: {} {}",
                path.display(),
                range.start.line + 1,
                f.code,
                f.message
            ))
        })
        .collect();
    outcome
        .with_detail(detail.join("\n"))
        .with_findings(findings)
}

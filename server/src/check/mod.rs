//! The health framework every job reports through.
//!
//! A [`Check`] has a stable id, a title and an area, and turns a shared
//! [`CheckContext`] into an [`Outcome`]. [`run_checks`] runs a catalogue
//! concurrently, each check on its own task with its own timeout, so a check
//! that hangs, fails or panics yields an error result for itself alone.

mod context;
mod model;
mod trust;
pub(crate) mod wire;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use crate::finding::Fix;

pub use context::{CheckContext, Environment};
pub use model::{Area, CheckResult, HealthReport, Outcome, Status, Summary, SummaryStatus};
pub use trust::Trust;

/// One health check. Implementations keep their logic in pure functions and use
/// the context for everything that touches the system.
pub trait Check: Send + Sync {
    /// Stable id such as `GO001`; never reused for another meaning.
    fn id(&self) -> &'static str;
    fn title(&self) -> &'static str;
    fn area(&self) -> Area;
    fn run<'a>(&'a self, ctx: &'a CheckContext) -> BoxFuture<'a, Outcome>;
}

/// What runs a check: a function of the context.
pub type RunFn = for<'a> fn(&'a CheckContext) -> BoxFuture<'a, Outcome>;

/// A check made of its id, title, area and the function that runs it.
pub struct FnCheck {
    id: &'static str,
    title: &'static str,
    area: Area,
    run: RunFn,
}

impl FnCheck {
    pub fn shared(id: &'static str, title: &'static str, area: Area, run: RunFn) -> Arc<dyn Check> {
        Arc::new(FnCheck {
            id,
            title,
            area,
            run,
        })
    }
}

impl Check for FnCheck {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn area(&self) -> Area {
        self.area
    }
    fn run<'a>(&'a self, ctx: &'a CheckContext) -> BoxFuture<'a, Outcome> {
        (self.run)(ctx)
    }
}

/// The rule page of a check, relative to the repository (and extension) root.
pub fn doc_path(id: &str) -> String {
    format!("docs/rules/{id}.md")
}

/// Runs every check concurrently and returns their results in catalogue order.
/// `timeout` bounds each check separately.
pub async fn run_checks(
    checks: &[Arc<dyn Check>],
    ctx: Arc<CheckContext>,
    timeout: Duration,
) -> Vec<CheckResult> {
    let tasks: Vec<_> = checks
        .iter()
        .map(|check| {
            let check = Arc::clone(check);
            let ctx = Arc::clone(&ctx);
            tokio::spawn(async move {
                let started = Instant::now();
                let outcome = tokio::time::timeout(timeout, check.run(&ctx)).await;
                (outcome, started.elapsed())
            })
        })
        .collect();

    let mut results = Vec::with_capacity(checks.len());
    for (check, task) in checks.iter().zip(tasks) {
        let (outcome, elapsed) = match task.await {
            Ok((Ok(outcome), elapsed)) => (outcome, elapsed),
            Ok((Err(_), elapsed)) => (
                Outcome::error(format!(
                    "the check did not finish within {} s and was stopped; the other checks were not affected",
                    timeout.as_secs_f32()
                ))
                .with_fix(Fix::advice(
                    "Raise gord.checks.timeoutSeconds (CLI: --timeout) if this machine is just slow",
                )),
                elapsed,
            ),
            Err(join_error) => {
                tracing::error!(check = check.id(), %join_error, "check failed internally");
                (
                    Outcome::error(format!(
                        "the check failed inside gord ({join_error}); this is a bug in gord, please report it"
                    )),
                    Duration::ZERO,
                )
            }
        };
        results.push(into_result(check.as_ref(), outcome, elapsed));
    }
    results
}

fn into_result(check: &dyn Check, outcome: Outcome, elapsed: Duration) -> CheckResult {
    CheckResult {
        id: check.id().to_string(),
        title: check.title().to_string(),
        area: check.area(),
        status: outcome.status,
        message: outcome.message,
        detail: outcome.detail,
        duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        doc: doc_path(check.id()),
        // A finding without a page of its own links to its check's.
        findings: outcome
            .findings
            .into_iter()
            .map(|f| match f.doc {
                Some(_) => f,
                None => f.with_doc(doc_path(check.id())),
            })
            .collect(),
        fix: outcome.fix,
        properties: outcome.properties,
    }
}

/// Runs a catalogue and wraps the results in a report.
pub async fn health_report(
    checks: &[Arc<dyn Check>],
    ctx: Arc<CheckContext>,
    timeout: Duration,
) -> HealthReport {
    let started = Instant::now();
    let workspace = ctx.workspace.as_ref().map(|w| w.display().to_string());
    let results: Vec<CheckResult> = run_checks(checks, ctx, timeout)
        .await
        .into_iter()
        .map(redacted)
        .collect();
    HealthReport {
        version: crate::VERSION.to_string(),
        workspace,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        summary: Summary::of(&results),
        checks: results,
    }
}

/// Checks quote config lines, environment values and tool output; whatever
/// secret is in them stays out of every report and diagnostic built from here.
fn redacted(mut result: CheckResult) -> CheckResult {
    use crate::redact::secrets;
    result.message = secrets(&result.message);
    result.detail = result.detail.as_deref().map(secrets);
    for finding in &mut result.findings {
        finding.message = secrets(&finding.message);
        finding.detail = finding.detail.as_deref().map(secrets);
        for fix in &mut finding.fixes {
            fix.title = secrets(&fix.title);
        }
    }
    if let Some(fix) = &mut result.fix {
        fix.title = secrets(&fix.title);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scripted {
        id: &'static str,
        behaviour: Behaviour,
    }

    enum Behaviour {
        Pass,
        Hang,
        Panic,
    }

    impl Check for Scripted {
        fn id(&self) -> &'static str {
            self.id
        }
        fn title(&self) -> &'static str {
            "scripted"
        }
        fn area(&self) -> Area {
            Area::Go
        }
        fn run<'a>(&'a self, _ctx: &'a CheckContext) -> BoxFuture<'a, Outcome> {
            Box::pin(async move {
                match self.behaviour {
                    Behaviour::Pass => Outcome::ok("fine"),
                    Behaviour::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        Outcome::ok("unreachable in practice")
                    }
                    Behaviour::Panic => panic!("boom"),
                }
            })
        }
    }

    fn scripted(id: &'static str, behaviour: Behaviour) -> Arc<dyn Check> {
        Arc::new(Scripted { id, behaviour })
    }

    #[tokio::test]
    async fn a_hanging_check_times_out_alone_and_the_others_complete() {
        let checks = [
            scripted("T001", Behaviour::Pass),
            scripted("T002", Behaviour::Hang),
            scripted("T003", Behaviour::Pass),
        ];
        let started = Instant::now();
        let results = run_checks(
            &checks,
            Arc::new(CheckContext::for_tests()),
            Duration::from_millis(200),
        )
        .await;
        assert!(started.elapsed() < Duration::from_secs(2));
        let ids: Vec<_> = results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["T001", "T002", "T003"], "catalogue order is kept");
        assert_eq!(results[0].status, Status::Ok);
        assert_eq!(results[1].status, Status::Error);
        assert!(results[1].message.contains("did not finish within 0.2 s"));
        assert_eq!(results[2].status, Status::Ok);
    }

    #[tokio::test]
    async fn checks_run_concurrently_not_one_after_another() {
        struct Sleeper(&'static str);
        impl Check for Sleeper {
            fn id(&self) -> &'static str {
                self.0
            }
            fn title(&self) -> &'static str {
                "sleeper"
            }
            fn area(&self) -> Area {
                Area::Go
            }
            fn run<'a>(&'a self, _ctx: &'a CheckContext) -> BoxFuture<'a, Outcome> {
                Box::pin(async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Outcome::ok("slept")
                })
            }
        }
        let checks: Vec<Arc<dyn Check>> = (0..5)
            .map(|_| Arc::new(Sleeper("S")) as Arc<dyn Check>)
            .collect();
        let started = Instant::now();
        let results = run_checks(
            &checks,
            Arc::new(CheckContext::for_tests()),
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(results.len(), 5);
        assert!(
            started.elapsed() < Duration::from_millis(1200),
            "five 300 ms checks took {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_panicking_check_becomes_an_error_result() {
        let checks = [
            scripted("P001", Behaviour::Panic),
            scripted("P002", Behaviour::Pass),
        ];
        let results = run_checks(
            &checks,
            Arc::new(CheckContext::for_tests()),
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(results[0].status, Status::Error);
        assert!(results[0].message.contains("bug in gord"));
        assert_eq!(results[1].status, Status::Ok);
    }

    #[tokio::test]
    async fn results_carry_identity_doc_link_and_summary() {
        let checks = [scripted("T001", Behaviour::Pass)];
        let report = health_report(
            &checks,
            Arc::new(CheckContext::for_tests()),
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(report.checks[0].doc, "docs/rules/T001.md");
        assert_eq!(report.checks[0].title, "scripted");
        assert_eq!(report.summary.ok, 1);
        assert_eq!(report.version, crate::VERSION);
    }
}

//! What differs between operating systems, one module per concern, so the
//! rest of gord has no `cfg` of its own for it: the local user and host
//! ([`user`]), its network addresses ([`net`]), a local socket pair
//! ([`socket`]), and which jobs run on
//! Linux only ([`linux_only`]). The process runner's platform side is in
//! [`crate::lifeline`].

pub mod fs;
pub mod net;
pub mod signals;
pub mod socket;
pub mod user;

/// The kernel's clock ticks per second (the unit of /proc start times);
/// 100 where there is no such clock (Windows).
pub fn clock_ticks_per_second() -> u64 {
    #[cfg(unix)]
    let ticks = rustix::param::clock_ticks_per_second();
    #[cfg(windows)]
    let ticks = 100;
    ticks
}

/// The effective user id (Windows: 0, as for [`user::LocalUser::uid`]).
pub fn effective_uid() -> u32 {
    #[cfg(unix)]
    let uid = rustix::process::geteuid().as_raw();
    #[cfg(windows)]
    let uid = 0;
    uid
}

/// A job that needs Linux (it reads /proc, or uses ptrace) asked for on
/// another system.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{job} runs on Linux only: it {needs}")]
pub struct LinuxOnly {
    /// What was asked for (`gord attach`, "debug discovery").
    pub job: String,
    /// Why it needs Linux ("reads /proc").
    pub needs: String,
}

/// True when gord runs on Linux.
pub const fn is_linux() -> bool {
    cfg!(target_os = "linux")
}

/// Ok on Linux; elsewhere the plain answer that `job` needs Linux because
/// it `needs` (e.g. "reads /proc").
pub fn linux_only(job: &str, needs: &str) -> Result<(), LinuxOnly> {
    refuse_unless(is_linux(), job, needs)
}

/// [`linux_only`] for a given answer to "is this Linux?".
fn refuse_unless(linux: bool, job: &str, needs: &str) -> Result<(), LinuxOnly> {
    if linux {
        Ok(())
    } else {
        Err(LinuxOnly {
            job: job.to_string(),
            needs: needs.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elsewhere_a_linux_only_job_says_so_and_why() {
        let refusal = refuse_unless(false, "gord procs", "reads /proc").unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "gord procs runs on Linux only: it reads /proc"
        );
        assert_eq!(refuse_unless(true, "gord procs", "reads /proc"), Ok(()));
    }

    #[test]
    fn on_this_system_the_answer_matches_the_target() {
        assert_eq!(
            linux_only("x", "reads /proc").is_ok(),
            cfg!(target_os = "linux")
        );
    }
}

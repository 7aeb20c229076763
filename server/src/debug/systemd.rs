//! A systemd unit's main process, through `systemctl show`.

use std::time::Duration;

use crate::exec::{CommandSpec, ProcessRunner, SystemRunner};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UnitError {
    #[error("`{0}` is not a unit name (it must not be empty or start with '-')")]
    BadName(String),
    #[error("systemctl failed: {0}")]
    Systemctl(String),
    #[error("the unit {0} has no main process (not running?)")]
    NotRunning(String),
}

/// Refuses names systemctl would read as options.
pub fn check_unit_name(unit: &str) -> Result<(), UnitError> {
    if unit.is_empty() || unit.starts_with('-') || unit.contains('\0') {
        return Err(UnitError::BadName(unit.to_string()));
    }
    Ok(())
}

/// `systemctl show -p MainPID --value UNIT` prints the pid, `0` when not running.
pub fn parse_main_pid(unit: &str, stdout: &str) -> Result<u32, UnitError> {
    match stdout.trim().parse::<u32>() {
        Ok(0) => Err(UnitError::NotRunning(unit.to_string())),
        Ok(pid) => Ok(pid),
        Err(_) => Err(UnitError::Systemctl(format!(
            "unexpected output {:?}",
            crate::goenv::env::snippet(stdout)
        ))),
    }
}

pub fn main_pid(unit: &str) -> Result<u32, UnitError> {
    check_unit_name(unit)?;
    let spec = CommandSpec::new("systemctl")
        .args(["show", "-p", "MainPID", "--value", unit])
        .timeout(Duration::from_secs(10));
    let out = SystemRunner
        .run_blocking(spec)
        .map_err(|e| UnitError::Systemctl(e.to_string()))?;
    if !out.success() {
        return Err(UnitError::Systemctl(out.first_error_line()));
    }
    parse_main_pid(unit, &out.stdout_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_that_look_like_options_are_refused() {
        assert!(check_unit_name("api.service").is_ok());
        assert_eq!(
            check_unit_name("--help"),
            Err(UnitError::BadName("--help".into()))
        );
        assert!(check_unit_name("").is_err());
    }

    #[test]
    fn main_pid_zero_means_not_running() {
        assert_eq!(parse_main_pid("a", "1234\n"), Ok(1234));
        assert_eq!(
            parse_main_pid("a", "0\n"),
            Err(UnitError::NotRunning("a".into()))
        );
        assert!(parse_main_pid("a", "garbage").is_err());
    }
}

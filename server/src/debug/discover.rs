//! Process discovery from /proc (the edge: file reads only). The proc root is
//! a parameter so a copied tree can stand in for the real one.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::debug::buildinfo::{read_binary, BinaryInfo};
use crate::debug::procfs;

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("no process with pid {0} (nothing at {1})")]
    NoSuchProcess(u32, String),
    #[error("cannot list {0}: {1}")]
    ListFailed(String, std::io::Error),
}

/// A running process as gord sees it, with what its executable says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessInfo {
    pub pid: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ppid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// The user name from /etc/passwd, else the uid as text.
    pub user: String,
    /// The short name (`comm`).
    pub name: String,
    pub command: Vec<String>,
    /// Start time, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_unix: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    /// Why the executable could not be read (EACCES for other users' processes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary: Option<BinaryInfo>,
    /// 0 when not traced.
    pub tracer_pid: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracer_command: Option<String>,
}

impl ProcessInfo {
    pub fn is_go(&self) -> bool {
        self.binary.as_ref().is_some_and(|b| b.go.is_some())
    }
}

/// Where to read from, and what is shared between processes.
pub struct Discovery {
    proc_root: PathBuf,
    users: HashMap<u32, String>,
    boot_time: Option<u64>,
    ticks_per_second: u64,
    /// Executables by (device, inode): many processes share one binary.
    binaries: HashMap<(u64, u64), Result<BinaryInfo, String>>,
}

impl Discovery {
    /// Reads /etc/passwd and the boot time once.
    pub fn new(proc_root: impl Into<PathBuf>, passwd: &Path) -> Self {
        // This module reads /proc and /etc/passwd directly (not through
        // fsread): the kernel's and the system's files, not workspace,
        // config or report content.
        let proc_root = proc_root.into();
        let users = std::fs::read_to_string(passwd)
            .map(|t| procfs::parse_passwd(&t))
            .unwrap_or_default();
        let boot_time = std::fs::read_to_string(proc_root.join("stat"))
            .ok()
            .and_then(|t| procfs::parse_boot_time(&t));
        let ticks = crate::platform::clock_ticks_per_second();
        Discovery {
            proc_root,
            users,
            boot_time,
            ticks_per_second: Some(ticks).filter(|t| *t > 0).unwrap_or(100),
            binaries: HashMap::new(),
        }
    }

    /// This machine: /proc and /etc/passwd.
    pub fn system() -> Self {
        Self::new("/proc", Path::new("/etc/passwd"))
    }

    pub fn proc_root(&self) -> &Path {
        &self.proc_root
    }

    /// Every user process (kernel threads, which have no executable and no
    /// command line, are left out), in pid order.
    pub fn list(&mut self) -> Result<Vec<ProcessInfo>, DiscoverError> {
        let entries = std::fs::read_dir(&self.proc_root)
            .map_err(|e| DiscoverError::ListFailed(self.proc_root.display().to_string(), e))?;
        let mut pids: Vec<u32> = entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        pids.sort_unstable();
        let mut found = Vec::new();
        for pid in pids {
            // A process may exit between listing and reading: skip it.
            if let Ok(info) = self.inspect(pid) {
                if !info.command.is_empty() || info.exe.is_some() {
                    found.push(info);
                }
            }
        }
        Ok(found)
    }

    /// One process, by pid.
    pub fn inspect(&mut self, pid: u32) -> Result<ProcessInfo, DiscoverError> {
        let dir = self.proc_root.join(pid.to_string());
        let status_text = std::fs::read_to_string(dir.join("status"))
            .map_err(|_| DiscoverError::NoSuchProcess(pid, dir.display().to_string()))?;
        let status = procfs::parse_status(&status_text);
        let stat = std::fs::read_to_string(dir.join("stat"))
            .ok()
            .and_then(|t| procfs::parse_stat(&t));
        let command = std::fs::read(dir.join("cmdline"))
            .map(|b| procfs::parse_cmdline(&b))
            .unwrap_or_default();
        let started_unix = match (&stat, self.boot_time) {
            (Some(stat), Some(boot)) => Some(boot + stat.start_ticks / self.ticks_per_second),
            _ => None,
        };
        let (exe, exe_error, binary) = match std::fs::read_link(dir.join("exe")) {
            Ok(target) => {
                let (binary, error) = match self.read_executable(&dir.join("exe")) {
                    Ok(info) => (Some(info), None),
                    Err(e) => (None, Some(e)),
                };
                (Some(target.display().to_string()), error, binary)
            }
            // Kernel threads have no executable; say nothing for them.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, None, None),
            Err(e) => (None, Some(describe_io_error(&e)), None),
        };
        // TracerPid names the tracing thread (dlv traces from one of its
        // threads); the user needs its process.
        let tracer_pid = match status.tracer_pid {
            0 => 0,
            tid => self.process_of_thread(tid),
        };
        let tracer_command = (tracer_pid != 0)
            .then(|| self.command_line(tracer_pid))
            .flatten();
        Ok(ProcessInfo {
            pid,
            ppid: status.ppid,
            uid: status.uid,
            user: self.user_name(status.uid),
            name: stat.map(|s| s.comm).unwrap_or(status.name),
            command,
            started_unix,
            exe,
            exe_error,
            binary,
            tracer_pid,
            tracer_command,
        })
    }

    fn user_name(&self, uid: Option<u32>) -> String {
        match uid {
            Some(uid) => self
                .users
                .get(&uid)
                .cloned()
                .unwrap_or_else(|| uid.to_string()),
            None => "?".into(),
        }
    }

    /// The process a thread id belongs to (itself when it is a main thread,
    /// or when /proc does not say).
    fn process_of_thread(&self, tid: u32) -> u32 {
        std::fs::read_to_string(self.proc_root.join(tid.to_string()).join("status"))
            .ok()
            .and_then(|t| procfs::parse_status(&t).tgid)
            .unwrap_or(tid)
    }

    fn command_line(&self, pid: u32) -> Option<String> {
        let bytes = std::fs::read(self.proc_root.join(pid.to_string()).join("cmdline")).ok()?;
        let args = procfs::parse_cmdline(&bytes);
        (!args.is_empty()).then(|| args.join(" "))
    }

    /// Reads the executable through /proc/PID/exe, which works even when the
    /// file was deleted or replaced since the process started.
    fn read_executable(&mut self, exe_link: &Path) -> Result<BinaryInfo, String> {
        let file = File::open(exe_link).map_err(|e| describe_io_error(&e))?;
        let meta = file.metadata().map_err(|e| describe_io_error(&e))?;
        let key = crate::platform::fs::identity(&meta);
        if let Some(known) = key.and_then(|key| self.binaries.get(&key)) {
            return known.clone();
        }
        let info = read_binary(&file).map_err(|e| e.to_string());
        if let Some(key) = key {
            self.binaries.insert(key, info.clone());
        }
        info
    }
}

fn describe_io_error(e: &std::io::Error) -> String {
    // std maps both EACCES and EPERM to PermissionDenied.
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        format!("permission denied reading the executable (another user's process?): {e}")
    } else {
        e.to_string()
    }
}

/// What gord knows about itself: who it runs as, its capabilities, Yama.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelfFacts {
    pub uid: u32,
    pub cap_sys_ptrace: bool,
    /// None when Yama is not in the kernel (no restriction from it).
    pub ptrace_scope: Option<u8>,
}

impl SelfFacts {
    pub fn gather(proc_root: &Path) -> Self {
        let status = std::fs::read_to_string(proc_root.join("self/status"))
            .map(|t| procfs::parse_status(&t))
            .unwrap_or_default();
        let ptrace_scope = std::fs::read_to_string(proc_root.join("sys/kernel/yama/ptrace_scope"))
            .ok()
            .and_then(|t| procfs::parse_ptrace_scope(&t));
        SelfFacts {
            uid: status.euid.unwrap_or_else(crate::platform::effective_uid),
            cap_sys_ptrace: status.has_capability(procfs::CAP_SYS_PTRACE),
            ptrace_scope,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspects_this_test_process_from_the_real_proc() {
        let mut discovery = Discovery::system();
        let me = discovery.inspect(std::process::id()).unwrap();
        assert_eq!(me.pid, std::process::id());
        assert!(me.exe.is_some());
        assert!(
            me.binary.as_ref().is_some_and(|b| b.go.is_none()),
            "a Rust test is not Go"
        );
        assert!(me.started_unix.is_some());
        assert_eq!(me.tracer_pid, 0);
    }

    #[test]
    fn a_pid_that_does_not_exist_is_a_clear_error() {
        let err = Discovery::system().inspect(u32::MAX - 1).unwrap_err();
        assert!(err.to_string().starts_with("no process with pid"), "{err}");
    }

    #[test]
    fn listing_finds_this_process_and_no_kernel_threads() {
        let all = Discovery::system().list().unwrap();
        assert!(all.iter().any(|p| p.pid == std::process::id()));
        assert!(all.iter().all(|p| !p.command.is_empty() || p.exe.is_some()));
    }
}

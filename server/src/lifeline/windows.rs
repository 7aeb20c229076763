//! The Windows side of [`crate::lifeline`]: no sessions, process groups or
//! signals, so every child goes into a Job Object of its own, made with
//! `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`. Processes the child starts join the
//! job too, so terminating the job ends the whole tree (timeout,
//! cancellation), and because gord holds the job's only handle (not
//! inheritable), the system closes it when gord dies, which kills the tree.
//!
//! The child is created suspended and runs only once it is in its job
//! ([`Tree::adopt`] resumes its main thread): a process it started in its
//! first instructions would otherwise be outside the job and escape the kill.

use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, Thread32First, Thread32Next, TH32CS_SNAPTHREAD, THREADENTRY32,
};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
};
use windows_sys::Win32::System::Threading::{
    OpenProcess, OpenThread, ResumeThread, CREATE_NO_WINDOW, CREATE_SUSPENDED, PROCESS_SET_QUOTA,
    PROCESS_TERMINATE, THREAD_SUSPEND_RESUME,
};

use super::DeathSignal;

/// The exit code of a process ended with its job (as `TerminateProcess`
/// callers commonly use: 1).
const KILLED_EXIT_CODE: u32 = 1;

/// No console window for the child (the sidecar has none; each console
/// program would otherwise flash one), and created suspended: it runs once
/// [`Tree::adopt`] has put it in its job, which is also what ends it when
/// gord dies. A tokio command made from this one keeps the flags.
pub(super) fn prepare(command: &mut std::process::Command, _death: DeathSignal) {
    use std::os::windows::process::CommandExt;
    command.creation_flags(CREATE_NO_WINDOW | CREATE_SUSPENDED);
}

/// Windows has no SIGTERM for a console program gord started without a
/// console: nothing to ask.
pub(super) fn ask_to_stop(_pid: u32) -> bool {
    false
}

/// No SIGINT either.
pub(super) fn interrupt(_pid: u32) -> bool {
    false
}

/// The child's Job Object. The child was created suspended ([`prepare`]), is
/// assigned to the job, and only then resumed, so every process it starts
/// is in the job from its first instruction on.
#[derive(Debug)]
pub(super) struct Tree {
    job: OwnedHandle,
}

impl Tree {
    /// Puts the suspended child `pid` in a job of its own, then lets it run.
    /// It is resumed even when it could not join a job (None): it then runs
    /// as a plain child, as it would have before jobs, rather than never.
    /// Every child dies with gord on Windows, dlv too: there is no SIGINT to
    /// send it, so `death` makes no difference.
    pub(super) fn adopt(pid: u32, _death: DeathSignal) -> Option<Self> {
        let tree = Self::join_new_job(pid);
        if !resume(pid) {
            tracing::warn!(
                "process {pid} could not be resumed: {}",
                std::io::Error::last_os_error()
            );
        }
        tree
    }

    fn join_new_job(pid: u32) -> Option<Self> {
        let job = new_job()?;
        if !set_kill_on_close(&job, true) {
            return None;
        }
        // SAFETY: plain Win32 calls on handles this function owns; the
        // process handle is closed before returning. The caller has not
        // reaped the child, so `pid` is still that child.
        let assigned = unsafe {
            let process: HANDLE = OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, 0, pid);
            if process.is_null() {
                return None;
            }
            let ok = AssignProcessToJobObject(raw(&job), process) != 0;
            CloseHandle(process);
            ok
        };
        if !assigned {
            tracing::debug!(
                "process {pid} could not join a job: {}",
                std::io::Error::last_os_error()
            );
            return None;
        }
        Some(Tree { job })
    }

    /// Terminates every process in the job, then closes it.
    pub(super) fn kill(self) {
        // SAFETY: the job handle is owned and open.
        unsafe {
            TerminateJobObject(raw(&self.job), KILLED_EXIT_CODE);
        }
    }

    /// The child exited normally: whatever it left running keeps running,
    /// as on Unix (closing the job would otherwise kill it).
    pub(super) fn release(self) {
        set_kill_on_close(&self.job, false);
    }
}

/// Resumes the threads of the process `pid` (a process created suspended
/// has one, its main thread), found in a Toolhelp snapshot. True when at
/// least one was resumed.
fn resume(pid: u32) -> bool {
    // SAFETY: plain Win32 calls; the snapshot and each thread handle are
    // closed before returning, and `entry` is the structure Thread32First
    // and Thread32Next expect, with its size set.
    unsafe {
        let snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
        if snapshot == INVALID_HANDLE_VALUE {
            return false;
        }
        let mut entry = THREADENTRY32 {
            dwSize: u32::try_from(std::mem::size_of::<THREADENTRY32>()).unwrap_or(u32::MAX),
            ..THREADENTRY32::default()
        };
        let mut resumed = 0;
        let mut more = Thread32First(snapshot, &mut entry) != 0;
        while more {
            if entry.th32OwnerProcessID == pid {
                let thread = OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID);
                if !thread.is_null() {
                    if ResumeThread(thread) != u32::MAX {
                        resumed += 1;
                    }
                    CloseHandle(thread);
                }
            }
            more = Thread32Next(snapshot, &mut entry) != 0;
        }
        CloseHandle(snapshot);
        resumed > 0
    }
}

fn raw(job: &OwnedHandle) -> HANDLE {
    job.as_raw_handle() as HANDLE
}

/// A new, unnamed job whose handle no child inherits.
fn new_job() -> Option<OwnedHandle> {
    // SAFETY: null attributes (not inheritable) and no name; the returned
    // handle is owned from here on.
    unsafe {
        let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
        if job.is_null() {
            return None;
        }
        Some(OwnedHandle::from_raw_handle(job as _))
    }
}

/// Sets or clears `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE` (and every other
/// limit: gord sets none).
fn set_kill_on_close(job: &OwnedHandle, kill: bool) -> bool {
    let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
    if kill {
        limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    }
    let size = u32::try_from(std::mem::size_of_val(&limits)).unwrap_or(u32::MAX);
    // SAFETY: `limits` is the structure this information class expects,
    // `size` its size, and the job handle is open.
    unsafe {
        SetInformationJobObject(
            raw(job),
            JobObjectExtendedLimitInformation,
            std::ptr::from_ref(&limits).cast(),
            size,
        ) != 0
    }
}

//! Parsers for the /proc and /etc text gord reads: pure, text in, values out.

use std::collections::HashMap;

/// Bit of CAP_SYS_PTRACE in the capability sets.
pub const CAP_SYS_PTRACE: u32 = 19;

/// The lines of /proc/PID/status gord uses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub name: String,
    /// Real uid (the first of the four).
    pub uid: Option<u32>,
    /// Effective uid (the second).
    pub euid: Option<u32>,
    /// 0 when not traced.
    pub tracer_pid: u32,
    pub cap_eff: Option<u64>,
    pub ppid: Option<u32>,
    /// The thread group (process) id: for a thread's status, its process.
    pub tgid: Option<u32>,
}

impl Status {
    pub fn has_capability(&self, bit: u32) -> bool {
        self.cap_eff
            .is_some_and(|caps| bit < 64 && caps & (1u64 << bit) != 0)
    }
}

pub fn parse_status(text: &str) -> Status {
    let mut status = Status::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "Name" => status.name = value.to_string(),
            "Uid" => {
                let mut ids = value.split_whitespace().map(|v| v.parse::<u32>().ok());
                status.uid = ids.next().flatten();
                status.euid = ids.next().flatten();
            }
            "TracerPid" => status.tracer_pid = value.parse().unwrap_or(0),
            "PPid" => status.ppid = value.parse().ok(),
            "Tgid" => status.tgid = value.parse().ok(),
            "CapEff" => status.cap_eff = u64::from_str_radix(value, 16).ok(),
            _ => {}
        }
    }
    status
}

/// The fields of /proc/PID/stat gord uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    pub comm: String,
    pub state: char,
    /// Field 22: start time in clock ticks after boot.
    pub start_ticks: u64,
}

/// Parses /proc/PID/stat. The command (field 2) is in parentheses and may
/// itself contain spaces and `)`, so the fields after it are found from the
/// last `)`.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_string();
    let rest: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    // rest[0] is field 3, so field N is rest[N - 3].
    let state = rest.first()?.chars().next()?;
    let start_ticks = rest.get(22 - 3)?.parse().ok()?;
    Some(Stat {
        comm,
        state,
        start_ticks,
    })
}

/// `btime` of /proc/stat: boot time in seconds since the epoch.
pub fn parse_boot_time(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
}

/// uid → user name from /etc/passwd.
pub fn parse_passwd(text: &str) -> HashMap<u32, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let uid = fields.nth(1)?.parse().ok()?;
            (!name.is_empty()).then(|| (uid, name.to_string()))
        })
        .collect()
}

/// /proc/PID/cmdline: NUL-separated arguments.
pub fn parse_cmdline(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// `/proc/sys/kernel/yama/ptrace_scope`: 0 to 3.
pub fn parse_ptrace_scope(text: &str) -> Option<u8> {
    text.trim().parse().ok().filter(|v| *v <= 3)
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn format_utc(epoch_seconds: u64) -> String {
    let t = crate::clock::Utc::from_epoch(epoch_seconds);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_gives_uids_tracer_and_capabilities() {
        let text = "Name:\tserver\nTgid:\t77\nPPid:\t1\nTracerPid:\t4242\nUid:\t1000\t1001\t1000\t1000\nCapEff:\t0000000000080000\n";
        let status = parse_status(text);
        assert_eq!(status.name, "server");
        assert_eq!(status.tgid, Some(77));
        assert_eq!((status.uid, status.euid), (Some(1000), Some(1001)));
        assert_eq!(status.tracer_pid, 4242);
        assert!(status.has_capability(CAP_SYS_PTRACE));
        assert!(!parse_status("CapEff:\t0000000000000000\n").has_capability(CAP_SYS_PTRACE));
        assert!(!parse_status("").has_capability(CAP_SYS_PTRACE));
    }

    #[test]
    fn stat_fields_are_counted_from_the_last_parenthesis() {
        let text = "77 (my (odd) prog) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 123456 1000000 200 18446744073709551615";
        let stat = parse_stat(text).unwrap();
        assert_eq!(stat.comm, "my (odd) prog");
        assert_eq!(stat.state, 'S');
        assert_eq!(stat.start_ticks, 123456);
        assert_eq!(parse_stat("77 (x) S 1 2"), None);
        assert_eq!(parse_stat(")("), None);
    }

    #[test]
    fn boot_time_passwd_and_cmdline() {
        assert_eq!(
            parse_boot_time("cpu 1 2\nbtime 1700000000\n"),
            Some(1_700_000_000)
        );
        let users = parse_passwd(
            "root:x:0:0:root:/root:/bin/bash\n# c\nbad\nal:x:1000:1000::/home/al:/bin/sh\n",
        );
        assert_eq!(users.get(&1000).map(String::as_str), Some("al"));
        assert_eq!(users.get(&0).map(String::as_str), Some("root"));
        assert_eq!(
            parse_cmdline(b"/srv/app\0-port\08080\0"),
            ["/srv/app", "-port", "8080"]
        );
    }

    #[test]
    fn ptrace_scope_accepts_only_zero_to_three() {
        assert_eq!(parse_ptrace_scope("1\n"), Some(1));
        assert_eq!(parse_ptrace_scope("4"), None);
        assert_eq!(parse_ptrace_scope(""), None);
    }

    #[test]
    fn formats_epoch_seconds_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00");
    }
}

//! The keywords readconf.c parses by hand, whose checks and `ssh -G` lines
//! change with the release: IPQoS, EscapeChar, TunnelDevice,
//! CanonicalDomains, CanonicalizePermittedCNAMEs, LogVerbose and
//! PermitRemoteOpen. [`check`] refuses a line as the release does (its
//! error text); [`printed`] gives the value `ssh -G` prints from the
//! arguments of the line that won (kept as written, `Kind::ByRelease`).
//! Each rule is read off readconf.c and misc.c at the release tags. Pure.

use crate::ssh::config::options::{a2port, atoi_err};
use crate::ssh::release::Release;

/// The keywords this module reads.
pub const KEYWORDS: &[&str] = &[
    "ipqos",
    "escapechar",
    "tunneldevice",
    "canonicaldomains",
    "canonicalizepermittedcnames",
    "logverbose",
    "permitremoteopen",
];

const fn at(major: u16, minor: u16) -> Release {
    Release::new(major, minor, 0)
}

/// Whether `canonical` is one of [`KEYWORDS`].
pub fn is_special(canonical: &str) -> bool {
    KEYWORDS.contains(&canonical)
}

/// readconf.c's verdict on a line of `canonical` (written `written`) with
/// `args`, for `release`: the error text, without the file and line.
pub fn check(
    release: Release,
    canonical: &str,
    written: &str,
    args: &[&str],
) -> Result<(), String> {
    let extra = |max: usize| {
        if args.len() > max {
            Err(format!("keyword {written} extra arguments at end of line"))
        } else {
            Ok(())
        }
    };
    match canonical {
        "ipqos" => {
            for arg in [args.first().copied(), args.get(1).copied()]
                .into_iter()
                .take(args.len().max(1))
            {
                if ipqos_value(release, arg).is_none() {
                    return Err(format!("Bad IPQoS value: {}", arg.unwrap_or("(null)")));
                }
            }
            extra(2)
        }
        "escapechar" => {
            escape_value(args.first().copied())?;
            extra(1)
        }
        "tunneldevice" => {
            let arg = args
                .first()
                .filter(|a| !a.is_empty())
                .ok_or("Missing argument.")?;
            a2tun(arg).ok_or("Bad tun device.")?;
            extra(1)
        }
        "canonicaldomains" => canonical_domains(release, written, args),
        "canonicalizepermittedcnames" => permitted_cnames(release, written, args),
        "logverbose" => {
            for (i, arg) in args.iter().enumerate() {
                if arg.is_empty() {
                    return Err(format!("keyword {written} empty argument"));
                }
                none_alone(written, arg, i, args.len())?;
            }
            Ok(())
        }
        "permitremoteopen" => permit_remote_open(release, written, args),
        _ => Ok(()),
    }
}

/// `keyword K "none" argument must appear alone.`
fn none_alone(written: &str, arg: &str, i: usize, n: usize) -> Result<(), String> {
    if arg.eq_ignore_ascii_case("none") && (i > 0 || n > 1) {
        return Err(format!(
            "keyword {written} \"none\" argument must appear alone."
        ));
    }
    Ok(())
}

fn canonical_domains(release: Release, written: &str, args: &[&str]) -> Result<(), String> {
    let since_10 = release >= at(10, 0);
    for (i, arg) in args.iter().enumerate() {
        if arg.is_empty() && !since_10 {
            return Err(format!("keyword {written} empty argument"));
        }
        none_alone(written, arg, i, args.len())?;
        // 10.0 allows a leading underscore ("technically invalid, but common").
        valid_domain(arg, since_10)?;
    }
    if args.is_empty() && since_10 {
        return Err(format!("no {written} specified"));
    }
    Ok(())
}

/// misc.c's `valid_domain` (with `makelower`): the message names the
/// domain as far as it was lowered when the fault was found.
fn valid_domain(name: &str, underscore_first: bool) -> Result<(), String> {
    let clip = |s: &str| s.chars().take(100).collect::<String>();
    let Some(first) = name.bytes().next() else {
        return Err(String::from("empty domain name"));
    };
    if !(first.is_ascii_alphanumeric() || (underscore_first && first == b'_')) {
        return Err(format!(
            "domain name \"{}\" starts with invalid character",
            clip(name)
        ));
    }
    let mut last = 0u8;
    for (i, c) in name.bytes().enumerate() {
        let lowered = || {
            let cut = name
                .char_indices()
                .map(|(at, ch)| at + ch.len_utf8())
                .find(|end| *end > i)
                .unwrap_or(name.len());
            format!("{}{}", name[..cut].to_ascii_lowercase(), &name[cut..])
        };
        if last == b'.' && c == b'.' {
            return Err(format!(
                "domain name \"{}\" contains consecutive separators",
                clip(&lowered())
            ));
        }
        if c != b'.' && c != b'-' && c != b'_' && !c.is_ascii_alphanumeric() {
            return Err(format!(
                "domain name \"{}\" contains invalid characters",
                clip(&lowered())
            ));
        }
        last = c;
    }
    Ok(())
}

fn permitted_cnames(release: Release, written: &str, args: &[&str]) -> Result<(), String> {
    for (i, arg) in args.iter().enumerate() {
        // `none` from 8.8; before, it is a rule like any other (and has no `:`).
        if release >= at(8, 8) && arg.eq_ignore_ascii_case("none") {
            none_alone(written, arg, i, args.len())?;
            continue;
        }
        if *arg == "*" {
            continue;
        }
        let lowered = arg.to_ascii_lowercase();
        if lowered.split_once(':').is_none_or(|(_, to)| to.is_empty()) {
            return Err(format!("Invalid permitted CNAME \"{lowered}\""));
        }
    }
    if args.is_empty() && release >= at(10, 0) {
        return Err(format!("no {written} specified"));
    }
    Ok(())
}

fn permit_remote_open(release: Release, written: &str, args: &[&str]) -> Result<(), String> {
    const MISSING: &str = "missing permitremoteopen specification";
    let any_or_none = |a: &str| a.eq_ignore_ascii_case("any") || a.eq_ignore_ascii_case("none");
    if release < at(9, 2) {
        // 8.7 to 9.1: `any`/`none` (exact) alone end the line; otherwise
        // the first argument is read but never checked (nor kept).
        let first = args.first().filter(|a| !a.is_empty()).ok_or(MISSING)?;
        if *first == "any" || *first == "none" {
            if args.len() > 1 {
                return Err(format!("keyword {written} extra arguments at end of line"));
            }
            return Ok(());
        }
        for arg in &args[1..] {
            host_port(arg)?;
        }
        return Ok(());
    }
    for (i, arg) in args.iter().enumerate() {
        if any_or_none(arg) {
            if i > 0 || args.len() > 1 {
                return Err(format!(
                    "keyword {written} \"{arg}\" argument must appear alone."
                ));
            }
        } else {
            host_port(arg)?;
        }
    }
    if args.is_empty() {
        return Err(String::from(MISSING));
    }
    Ok(())
}

/// `hpdelim` then the port check of PermitRemoteOpen (a `/` between host
/// and port, which hpdelim2 accepts elsewhere, is "missing host" here).
fn host_port(arg: &str) -> Result<(), String> {
    const NO_HOST: &str = "missing host in permitremoteopen";
    const BAD_PORT: &str = "bad port number in permitremoteopen";
    let (rest, delim) = if let Some(inner) = arg.strip_prefix('[') {
        let close = inner.find(']').ok_or(NO_HOST)?;
        let after = &inner[close + 1..];
        match after.bytes().next() {
            None => (None, None),
            Some(d @ (b':' | b'/')) => (Some(&after[1..]), Some(d)),
            Some(_) => return Err(String::from(NO_HOST)),
        }
    } else {
        match arg.find([':', '/']) {
            None => (None, None),
            Some(at) => (Some(&arg[at + 1..]), Some(arg.as_bytes()[at])),
        }
    };
    if delim == Some(b'/') {
        return Err(String::from(NO_HOST));
    }
    match rest {
        Some("*") => Ok(()),
        Some(port) if a2port(port).is_some_and(|p| p > 0) => Ok(()),
        _ => Err(String::from(BAD_PORT)),
    }
}

/// What the line's arguments print as, for `release` (`debian`: Debian's
/// build); `args` empty when no line set the keyword.
pub fn printed(release: Release, debian: bool, canonical: &str, args: &[&str]) -> Option<String> {
    let joined = || {
        if args.is_empty() {
            String::from("none")
        } else {
            args.join(" ")
        }
    };
    match canonical {
        "ipqos" => Some(match args {
            [] if debian && release < at(10, 1) => String::from("lowdelay throughput"),
            [] if release >= at(10, 1) => String::from("ef cs0"),
            [] => String::from("af21 cs1"),
            [one] => {
                let name = ipqos_name(release, ipqos_value(release, Some(one))?);
                format!("{name} {name}")
            }
            [a, b, ..] => format!(
                "{} {}",
                ipqos_name(release, ipqos_value(release, Some(a))?),
                ipqos_name(release, ipqos_value(release, Some(b))?)
            ),
        }),
        "escapechar" => Some(match args.first() {
            None => String::from("~"),
            Some(arg) => match escape_value(Some(arg)).ok()? {
                None => String::from("none"),
                Some(byte) => vis(byte),
            },
        }),
        "tunneldevice" => {
            let (local, remote) = match args.first() {
                None => (None, None),
                Some(arg) => a2tun(arg)?,
            };
            let id = |n: Option<u32>| n.map_or_else(|| String::from("any"), |n| n.to_string());
            Some(format!("{}:{}", id(local), id(remote)))
        }
        "canonicaldomains" => Some(if args.is_empty() {
            String::from("none")
        } else {
            args.iter()
                .map(|a| {
                    let lower = a.to_ascii_lowercase();
                    lower.strip_suffix('.').unwrap_or(&lower).to_string()
                })
                .collect::<Vec<_>>()
                .join(" ")
        }),
        "canonicalizepermittedcnames" => {
            let rules: Vec<String> = args
                .iter()
                .filter(|a| !(release >= at(8, 8) && a.eq_ignore_ascii_case("none")))
                .map(|a| match a.to_ascii_lowercase().split_once(':') {
                    _ if *a == "*" => String::from("*:*"),
                    Some((from, to)) => format!("{from}:{to}"),
                    None => a.to_ascii_lowercase(),
                })
                .collect();
            match rules.is_empty() {
                // 8.7 prints the line only when there are rules.
                true if release < at(8, 8) => None,
                true => Some(String::from("none")),
                false => Some(rules.join(" ")),
            }
        }
        // readconf.c keeps only the first argument (it stops adding once
        // the list has one).
        "logverbose" => Some(args.first().map_or_else(joined, |a| a.to_string())),
        "permitremoteopen" => Some(match args {
            [] => String::from("any"),
            // 8.7 to 9.1 skip the first argument unless it is any/none.
            [first, rest @ ..] if skips_first_permit_argument(release, first) => {
                if rest.is_empty() {
                    String::from("any")
                } else {
                    rest.join(" ")
                }
            }
            _ => joined(),
        }),
        _ => None,
    }
}

/// 8.7 to 9.1 read a PermitRemoteOpen line's first argument and never keep
/// it, unless it is exactly `any` or `none`.
pub fn skips_first_permit_argument(release: Release, first: &str) -> bool {
    release < at(9, 2) && first != "any" && first != "none"
}

/// `none` in the IPQoS table: INT_MAX, "use the system's default".
const IPQOS_NONE: u32 = u32::MAX;

/// misc.c's `ipqos[]` for `release`, in its order (iptos2str prints the
/// first name with a value).
fn ipqos_table(release: Release) -> Vec<(&'static str, u32)> {
    let mut table = vec![
        ("none", IPQOS_NONE),
        ("af11", 0x28),
        ("af12", 0x30),
        ("af13", 0x38),
        ("af21", 0x48),
        ("af22", 0x50),
        ("af23", 0x58),
        ("af31", 0x68),
        ("af32", 0x70),
        ("af33", 0x78),
        ("af41", 0x88),
        ("af42", 0x90),
        ("af43", 0x98),
        ("cs0", 0x00),
        ("cs1", 0x20),
        ("cs2", 0x40),
        ("cs3", 0x60),
        ("cs4", 0x80),
        ("cs5", 0xa0),
        ("cs6", 0xc0),
        ("cs7", 0xe0),
        ("ef", 0xb8),
        // defines.h's IPTOS_DSCP_LE: 0x01 until 8.9 fixed it to 0x04.
        ("le", if release >= at(8, 9) { 0x04 } else { 0x01 }),
    ];
    if release >= at(10, 3) {
        table.push(("va", 0xb0));
    }
    // From 10.1 the old TOS names are deprecated: ignored, the system's
    // default (`none`) used instead.
    let tos = |v| if release >= at(10, 1) { IPQOS_NONE } else { v };
    table.extend([
        ("lowdelay", tos(0x10)),
        ("throughput", tos(0x08)),
        ("reliability", tos(0x04)),
    ]);
    table
}

/// `parse_ipqos`: a name, or a number 0..255 (strtol in any base before
/// 9.8, strtonum in decimal from 9.8).
fn ipqos_value(release: Release, arg: Option<&str>) -> Option<u32> {
    let arg = arg?;
    if let Some((_, value)) = ipqos_table(release)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(arg))
    {
        return Some(value);
    }
    let value = if release >= at(9, 8) {
        i64::from(atoi_err(arg).ok()?)
    } else {
        strtol_any_base(arg)?
    };
    u32::try_from(value).ok().filter(|v| *v <= 255)
}

/// `iptos2str`.
fn ipqos_name(release: Release, value: u32) -> String {
    ipqos_table(release)
        .into_iter()
        .find(|(_, v)| *v == value)
        .map_or_else(|| format!("0x{value:02x}"), |(name, _)| name.to_string())
}

/// `strtol(cp, &ep, 0)` with the whole string consumed: leading white
/// space, a sign, `0x` hex or `0` octal. None when not a number.
fn strtol_any_base(text: &str) -> Option<i64> {
    let t = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(hex) = t.strip_prefix("0x").or(t.strip_prefix("0X")) {
        (16, hex)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// EscapeChar: None for `none`, else the byte; the error text otherwise.
fn escape_value(arg: Option<&str>) -> Result<Option<u8>, String> {
    let arg = arg
        .filter(|a| !a.is_empty())
        .ok_or_else(|| String::from("Missing argument."))?;
    let bytes = arg.as_bytes();
    match bytes {
        _ if arg == "none" => Ok(None),
        [one] => Ok(Some(*one)),
        [b'^', c] if (64..128).contains(c) => Ok(Some(c & 31)),
        _ => Err(String::from("Bad escape character.")),
    }
}

/// `vis(buf, c, VIS_WHITE, 0)`: how `ssh -G` prints the escape character.
fn vis(c: u8) -> String {
    if c.is_ascii_graphic() {
        return if c == b'\\' {
            String::from("\\\\")
        } else {
            (c as char).to_string()
        };
    }
    if c & 0x7f == b' ' {
        return format!("\\{c:03o}");
    }
    let mut out = String::from("\\");
    let low = c & 0x7f;
    if c & 0x80 != 0 {
        out.push('M');
    }
    if low.is_ascii_control() {
        out.push('^');
        out.push(if low == 0x7f {
            '?'
        } else {
            (low + b'@') as char
        });
    } else {
        out.push('-');
        out.push(low as char);
    }
    out
}

/// misc.c's `a2tun` with a remote part: (local, remote), None for `any`;
/// None overall for a bad device.
fn a2tun(arg: &str) -> Option<(Option<u32>, Option<u32>)> {
    const MAX: i32 = i32::MAX - 2;
    let one = |s: &str| -> Option<Option<u32>> {
        if s.eq_ignore_ascii_case("any") {
            return Some(None);
        }
        let n = atoi_err(s).ok().filter(|n| (0..=MAX).contains(n))?;
        u32::try_from(n).ok().map(Some)
    };
    match arg.split_once(':') {
        None => Some((one(arg)?, None)),
        Some((local, remote)) => {
            let remote = one(remote)?;
            Some((one(local)?, remote))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R8_7: Release = Release::new(8, 7, 1);
    const R9_2: Release = Release::new(9, 2, 1);
    const R9_9: Release = Release::new(9, 9, 2);
    const R10_5: Release = Release::new(10, 5, 1);

    fn printed_as(release: Release, keyword: &str, args: &[&str]) -> Option<String> {
        printed(release, false, keyword, args)
    }

    #[test]
    fn ipqos_prints_names_numbers_and_defaults_by_release() {
        assert_eq!(printed_as(R9_2, "ipqos", &[]).as_deref(), Some("af21 cs1"));
        assert_eq!(
            printed(R9_2, true, "ipqos", &[]).as_deref(),
            Some("lowdelay throughput")
        );
        assert_eq!(printed_as(R10_5, "ipqos", &[]).as_deref(), Some("ef cs0"));
        assert_eq!(
            printed_as(R9_2, "ipqos", &["32"]).as_deref(),
            Some("cs1 cs1")
        );
        assert_eq!(
            printed_as(R9_2, "ipqos", &["AF11", "7"]).as_deref(),
            Some("af11 0x07")
        );
        assert_eq!(
            printed_as(R9_2, "ipqos", &["lowdelay", "throughput"]).as_deref(),
            Some("lowdelay throughput")
        );
        // Deprecated from 10.1: the system default, printed `none`.
        assert_eq!(
            printed_as(R10_5, "ipqos", &["lowdelay", "throughput"]).as_deref(),
            Some("none none")
        );
        // LE was 0x01 before 8.9; 4 is `le` after, `reliability` before.
        assert_eq!(
            printed_as(R8_7, "ipqos", &["4"]).as_deref(),
            Some("reliability reliability")
        );
        assert_eq!(printed_as(R9_2, "ipqos", &["4"]).as_deref(), Some("le le"));
        assert_eq!(
            printed_as(R10_5, "ipqos", &["176"]).as_deref(),
            Some("va va")
        );
        assert_eq!(
            printed_as(R9_9, "ipqos", &["176"]).as_deref(),
            Some("0xb0 0xb0")
        );
    }

    #[test]
    fn ipqos_refuses_what_parse_ipqos_refuses_in_each_release() {
        let bad = |r, args: &[&str]| check(r, "ipqos", "IPQoS", args).err();
        assert_eq!(
            bad(R10_5, &["256"]).as_deref(),
            Some("Bad IPQoS value: 256")
        );
        assert_eq!(
            bad(R10_5, &["ef", "x"]).as_deref(),
            Some("Bad IPQoS value: x")
        );
        assert_eq!(bad(R10_5, &[]).as_deref(), Some("Bad IPQoS value: (null)"));
        // Hexadecimal until strtonum replaced strtol in 9.8.
        assert_eq!(bad(R9_2, &["0x10"]), None);
        assert_eq!(
            bad(R9_9, &["0x10"]).as_deref(),
            Some("Bad IPQoS value: 0x10")
        );
        // `va` from 10.3.
        assert_eq!(bad(R9_9, &["va"]).as_deref(), Some("Bad IPQoS value: va"));
        assert_eq!(bad(R10_5, &["va"]), None);
        assert_eq!(
            bad(R10_5, &["ef", "cs0", "cs1"]).as_deref(),
            Some("keyword IPQoS extra arguments at end of line")
        );
    }

    #[test]
    fn escape_characters_are_one_character_a_caret_control_or_none() {
        let p = |a: &str| printed_as(R10_5, "escapechar", &[a]);
        assert_eq!(printed_as(R10_5, "escapechar", &[]).as_deref(), Some("~"));
        assert_eq!(p("%").as_deref(), Some("%"));
        assert_eq!(p("^a").as_deref(), Some("\\^A"));
        assert_eq!(p("^@").as_deref(), Some("\\^@"));
        assert_eq!(p(" ").as_deref(), Some("\\040"));
        assert_eq!(p("\\").as_deref(), Some("\\\\"));
        assert_eq!(p("none").as_deref(), Some("none"));
        let bad = |a: &[&str]| check(R10_5, "escapechar", "EscapeChar", a).err();
        assert_eq!(bad(&["^?"]).as_deref(), Some("Bad escape character."));
        assert_eq!(bad(&["~~"]).as_deref(), Some("Bad escape character."));
        assert_eq!(bad(&["é"]).as_deref(), Some("Bad escape character."));
        assert_eq!(bad(&[]).as_deref(), Some("Missing argument."));
    }

    #[test]
    fn tunnel_devices_are_numbers_or_any_local_and_remote() {
        let p = |a: &str| printed_as(R10_5, "tunneldevice", &[a]);
        assert_eq!(
            printed_as(R10_5, "tunneldevice", &[]).as_deref(),
            Some("any:any")
        );
        assert_eq!(p("3").as_deref(), Some("3:any"));
        assert_eq!(p("any:7").as_deref(), Some("any:7"));
        assert_eq!(p("0:ANY").as_deref(), Some("0:any"));
        let bad = |a: &str| check(R10_5, "tunneldevice", "TunnelDevice", &[a]).err();
        assert_eq!(bad("tun0").as_deref(), Some("Bad tun device."));
        assert_eq!(bad("1:x").as_deref(), Some("Bad tun device."));
        assert_eq!(bad("-1").as_deref(), Some("Bad tun device."));
        assert_eq!(bad("2147483646").as_deref(), Some("Bad tun device."));
        assert_eq!(bad("").as_deref(), Some("Missing argument."));
    }

    #[test]
    fn canonical_domains_are_valid_domains_lowered_without_the_final_dot() {
        assert_eq!(
            printed_as(R10_5, "canonicaldomains", &["Ex.COM.", "b.test"]).as_deref(),
            Some("ex.com b.test")
        );
        let bad = |r, a: &[&str]| check(r, "canonicaldomains", "CanonicalDomains", a).err();
        assert_eq!(
            bad(R10_5, &["a..b"]).as_deref(),
            Some("domain name \"a..b\" contains consecutive separators")
        );
        assert_eq!(
            bad(R10_5, &["A.B!C"]).as_deref(),
            Some("domain name \"a.b!C\" contains invalid characters")
        );
        assert_eq!(
            bad(R10_5, &["a", "none"]).as_deref(),
            Some("keyword CanonicalDomains \"none\" argument must appear alone.")
        );
        // A leading underscore from 10.0; no argument refused from 10.0.
        assert_eq!(
            bad(R9_9, &["_x.test"]).as_deref(),
            Some("domain name \"_x.test\" starts with invalid character")
        );
        assert_eq!(bad(R10_5, &["_x.test"]), None);
        assert_eq!(bad(R9_9, &[]), None);
        assert_eq!(
            bad(R10_5, &[]).as_deref(),
            Some("no CanonicalDomains specified")
        );
    }

    #[test]
    fn permitted_cnames_are_pairs_star_or_none() {
        assert_eq!(
            printed_as(
                R10_5,
                "canonicalizepermittedcnames",
                &["*.A.test:*.B.test", "*"]
            )
            .as_deref(),
            Some("*.a.test:*.b.test *:*")
        );
        assert_eq!(
            printed_as(R10_5, "canonicalizepermittedcnames", &[]).as_deref(),
            Some("none")
        );
        assert_eq!(printed_as(R8_7, "canonicalizepermittedcnames", &[]), None);
        let bad = |r, a: &[&str]| {
            check(
                r,
                "canonicalizepermittedcnames",
                "CanonicalizePermittedCNAMEs",
                a,
            )
            .err()
        };
        assert_eq!(
            bad(R10_5, &["A.test"]).as_deref(),
            Some("Invalid permitted CNAME \"a.test\"")
        );
        assert_eq!(
            bad(R10_5, &["a:"]).as_deref(),
            Some("Invalid permitted CNAME \"a:\"")
        );
        assert_eq!(bad(R9_2, &["none"]), None);
        assert_eq!(
            bad(R8_7, &["none"]).as_deref(),
            Some("Invalid permitted CNAME \"none\"")
        );
    }

    #[test]
    fn log_verbose_keeps_only_its_first_argument() {
        assert_eq!(
            printed_as(R10_5, "logverbose", &["kex.c:*:1000", "Foo"]).as_deref(),
            Some("kex.c:*:1000")
        );
        assert_eq!(
            printed_as(R10_5, "logverbose", &[]).as_deref(),
            Some("none")
        );
        assert_eq!(
            check(R10_5, "logverbose", "LogVerbose", &["a", "none"])
                .err()
                .as_deref(),
            Some("keyword LogVerbose \"none\" argument must appear alone.")
        );
    }

    #[test]
    fn permit_remote_open_takes_host_port_pairs_any_or_none() {
        let ok = |r, a: &[&str]| check(r, "permitremoteopen", "PermitRemoteOpen", a);
        assert!(ok(R10_5, &["[::1]:80", "h:*", "h:ssh"]).is_ok());
        assert_eq!(
            ok(R10_5, &["h/22"]).err().as_deref(),
            Some("missing host in permitremoteopen")
        );
        assert_eq!(
            ok(R10_5, &["h:0"]).err().as_deref(),
            Some("bad port number in permitremoteopen")
        );
        assert_eq!(
            ok(R10_5, &["[x]y"]).err().as_deref(),
            Some("missing host in permitremoteopen")
        );
        assert_eq!(
            ok(R10_5, &["h:1", "ANY"]).err().as_deref(),
            Some("keyword PermitRemoteOpen \"ANY\" argument must appear alone.")
        );
        assert_eq!(
            ok(R10_5, &[]).err().as_deref(),
            Some("missing permitremoteopen specification")
        );
        // 8.7 neither checks nor keeps the first pair.
        assert!(ok(R8_7, &["h:0"]).is_ok());
        assert_eq!(
            ok(R8_7, &["a:1", "h/80"]).err().as_deref(),
            Some("missing host in permitremoteopen")
        );
        let p = |r, a: &[&str]| printed_as(r, "permitremoteopen", a);
        assert_eq!(p(R8_7, &["a:1", "b:2"]).as_deref(), Some("b:2"));
        assert_eq!(p(R8_7, &["a:1"]).as_deref(), Some("any"));
        assert_eq!(p(R10_5, &["a:1", "b:2"]).as_deref(), Some("a:1 b:2"));
        assert_eq!(p(R10_5, &[]).as_deref(), Some("any"));
    }
}

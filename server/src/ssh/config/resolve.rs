//! Resolving the configuration for one host exactly as `ssh` does: files read
//! in order, Host and Match switching blocks on and off, Include pulling other
//! files in, a second pass for `Match final`. Reads go through [`ConfigFs`] and
//! `Match exec` through a caller-supplied policy, so resolution itself is pure.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ssh::config::cidr::match_cidr_list;
use crate::ssh::config::keywords::{self, Kind};
use crate::ssh::config::lexer::{strdelim, Directive, LineSyntax};
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::options::{
    agent_path_with_variables, unset_agent_variable, Options, Origin, FORWARD_AGENT_SOCKET,
};
use crate::ssh::config::pattern::{match_hostname, match_pattern, match_pattern_list, ListMatch};
pub use crate::ssh::config::platform::Platform;
use crate::ssh::config::source::{
    HostIndex, InactiveOutcome, LineFacts, LineKeyword, SourceFile, SourceLine,
};
use crate::ssh::config::tokens::{connection_hash, has_tokens, tilde_expand, TokenValues};
use crate::ssh::release::history::{self, Knows};
use crate::ssh::release::values;
use crate::ssh::release::SshVersion;

/// OpenSSH's READCONF_MAX_DEPTH.
pub const MAX_INCLUDE_DEPTH: usize = 16;

/// File access for resolution: the real file system, or a map in tests.
pub trait ConfigFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// Whether something is at `path` (for Include paths without wildcards),
    /// without reading it.
    fn exists(&self, path: &Path) -> bool {
        self.read(path).is_ok()
    }
    /// Names in a directory (for Include globs).
    fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>>;
    fn is_dir(&self, path: &Path) -> bool;
    /// (mode, owner uid) of a file, for the permission check on included files.
    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)>;
}

pub struct RealFs;

impl ConfigFs for RealFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        // Regular files of at most 4 MiB: an Include can name /dev/zero or
        // /proc/self/fd/0 (the sidecar's own stdin).
        Ok(crate::fsread::read(path, crate::fsread::Kind::SshConfig)?)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>> {
        Ok(std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect())
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
        std::fs::metadata(path)
            .ok()
            .and_then(|m| crate::platform::fs::mode_and_owner(&m))
    }
}

/// One file ssh reads at the top level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSource {
    pub path: PathBuf,
    /// A user config: `~` allowed in Include, relative includes under ~/.ssh
    /// (else /etc/ssh).
    pub user: bool,
    /// ssh refuses its default ~/.ssh/config when others can write it.
    pub check_permissions: bool,
    /// Missing is an error (a file named with -F) rather than silently skipped.
    pub required: bool,
}

impl ConfigSource {
    /// A file named with `ssh -F`.
    pub fn explicit(path: &Path) -> Self {
        ConfigSource {
            path: path.to_path_buf(),
            user: true,
            check_permissions: false,
            required: true,
        }
    }

    /// What ssh reads without -F: ~/.ssh/config, then /etc/ssh/ssh_config
    /// (on Windows `%ProgramData%\ssh\ssh_config`).
    pub fn defaults(home: &Path) -> Vec<Self> {
        let program_data = std::env::var_os("ProgramData")
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from("C:\\ProgramData"), PathBuf::from);
        Self::defaults_on(home, Platform::current(), &program_data)
    }

    /// [`ConfigSource::defaults`] for the ssh of `platform`. Win32-OpenSSH
    /// checks the system file's permissions too (readconf.c under WINDOWS).
    pub fn defaults_on(home: &Path, platform: Platform, program_data: &Path) -> Vec<Self> {
        let system = match platform {
            Platform::Unix => PathBuf::from("/etc/ssh/ssh_config"),
            Platform::Windows => program_data.join("ssh").join("ssh_config"),
        };
        vec![
            ConfigSource {
                path: home.join(".ssh").join("config"),
                user: true,
                check_permissions: true,
                required: false,
            },
            ConfigSource {
                path: system,
                user: false,
                check_permissions: platform == Platform::Windows,
                required: false,
            },
        ]
    }
}

/// Parsed config files by path, shared between the resolutions of one run.
pub type FileCache = std::cell::RefCell<HashMap<PathBuf, Arc<SourceFile>>>;

/// What `Match exec` may do.
pub enum ExecPolicy<'a> {
    /// Never run commands: such Match blocks count as not matching and are
    /// reported as not evaluated.
    Deny,
    /// Run the command (already token-expanded); Ok(true) when it exits 0.
    Allow(&'a dyn Fn(&str) -> Result<bool, String>),
}

/// A problem OpenSSH would report; any of these makes `ssh` refuse to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub origin: Option<Origin>,
    pub message: String,
}

/// Something worth telling that is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub origin: Origin,
    pub kind: NoteKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteKind {
    /// A `Match exec` was not run because exec is not allowed.
    ExecNotEvaluated,
    /// An Include pattern matched no file.
    IncludeMatchedNothing(String),
    /// An Include path's `${VAR}` did not expand (9.9+): ssh says so and
    /// goes on without it.
    IncludeNotExpanded(String),
    /// An Include named a directory, which reads as empty.
    IncludedDirectory(String),
    /// CanonicalizeHostname is on: ssh would look the name up in DNS, gord does not.
    CanonicalizationSkipped,
}

/// Everything one resolution produced.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// The host as given on the command line.
    pub host_arg: String,
    pub files: Vec<Arc<SourceFile>>,
    pub options: Options,
    pub errors: Vec<ConfigError>,
    pub notes: Vec<Note>,
    /// Lines of Host/Match headers that were active, per file: for "which
    /// blocks applied" displays.
    pub applied_blocks: Vec<Origin>,
}

impl Resolution {
    pub fn origin_path(&self, origin: Origin) -> &Path {
        self.files
            .get(origin.file)
            .map_or(Path::new("(command line)"), |f| f.path.as_path())
    }
}

pub struct Resolver<'a> {
    fs: &'a dyn ConfigFs,
    local: &'a LocalFacts,
    exec: ExecPolicy<'a>,
    cache: HashMap<PathBuf, usize>,
    files: Vec<Arc<SourceFile>>,
    /// Bytes of the files loaded so far, held to the include set's cap.
    loaded_bytes: u64,
    /// Set by the errors after which ssh stops at once (`fatal()` in OpenSSH):
    /// the include depth limit, bad permissions, a failed `Match exec`.
    fatal: bool,
    /// Parsed files shared between resolutions (a lint resolves many hosts).
    shared: Option<&'a FileCache>,
    errors: Vec<ConfigError>,
    notes: Vec<Note>,
    applied: Vec<Origin>,
    /// The release whose keywords and `Match` criteria are accepted.
    version: SshVersion,
    /// How paths in Include lines read (Unix, or Win32-OpenSSH's).
    platform: Platform,
    /// The machine's addresses for `Match localnetwork` (none unless given:
    /// [`Resolver::with_interfaces`]).
    interfaces: Vec<IpAddr>,
    /// `${VAR}` in Include paths (9.9+): [`Resolver::with_env`]; none set
    /// unless given. Agent socket paths' `${VAR}`s are checked only
    /// against a given environment.
    env: Option<&'a EnvLookup>,
}

/// Answers `${VAR}`: the variable's value, if set.
pub type EnvLookup = dyn Fn(&str) -> Option<String>;

/// The options ssh sets between the first and the final pass, so that the
/// final pass cannot change them (the first value wins): the
/// canonicalisation defaults (readconf.c's
/// `fill_default_options_for_canonicalization`) and HostName (ssh.c sets it
/// to the host name the first pass arrived at).
const CANONICALISATION_DEFAULTED: &[&str] = &[
    "hostname",
    "canonicalizemaxdots",
    "canonicalizefallbacklocal",
    "canonicalizehostname",
];

/// The release gord's resolution models (its defaults and `ssh -G` output);
/// other releases change which keywords and criteria are accepted.
pub fn modelled_version() -> SshVersion {
    SshVersion::new(
        crate::ssh::release::Release::new(9, 2, 1),
        crate::ssh::release::Flavour::Upstream,
    )
}

struct Pass<'h> {
    host_arg: &'h str,
    final_pass: bool,
    want_final: bool,
    /// In pass two, the hostname as the first pass left it.
    final_hostname: Option<String>,
}

impl<'a> Resolver<'a> {
    pub fn new(fs: &'a dyn ConfigFs, local: &'a LocalFacts, exec: ExecPolicy<'a>) -> Self {
        Resolver {
            fs,
            local,
            exec,
            cache: HashMap::new(),
            files: Vec::new(),
            loaded_bytes: 0,
            fatal: false,
            shared: None,
            errors: Vec::new(),
            notes: Vec::new(),
            applied: Vec::new(),
            version: modelled_version(),
            platform: Platform::current(),
            interfaces: Vec::new(),
            env: None,
        }
    }

    /// Answers `${VAR}` in Include paths (from 9.9) with `env`.
    pub fn with_env(mut self, env: &'a EnvLookup) -> Self {
        self.env = Some(env);
        self
    }

    /// The tokens of `expand_match_exec_or_include_path` (readconf.c): the
    /// connection as far as the options read so far tell, for `Match exec`
    /// and (9.9+) Include paths; `%j` and the jump host in `%C` only when
    /// `with_jump`.
    fn connection_tokens(
        &self,
        options: &Options,
        pass: &Pass,
        with_jump: bool,
    ) -> Result<TokenValues, String> {
        let local = self.local;
        let port = options
            .get("port")
            .map_or_else(|| String::from("22"), |v| v.text.clone());
        let user = options
            .get("user")
            .map_or_else(|| local.user.clone(), |v| v.text.clone());
        let host = connection_host(options, pass)?;
        let jump = options
            .jump
            .as_ref()
            .filter(|j| with_jump && j.host != "none")
            .map_or_else(String::new, |j| j.host.clone());
        let alias = options
            .get("hostkeyalias")
            .map_or_else(|| host.clone(), |v| v.text.clone());
        let mut values = vec![
            (
                'C',
                connection_hash(&local.hostname, &host, &port, &user, &jump),
            ),
            (
                'L',
                local.hostname.split('.').next().unwrap_or("").to_string(),
            ),
            ('d', local.home.to_string_lossy().into_owned()),
            ('h', host),
            ('k', alias),
            ('l', local.hostname.clone()),
            ('n', pass.host_arg.to_string()),
            ('p', port),
            ('r', user),
            ('u', local.user.clone()),
            ('i', local.uid.to_string()),
        ];
        if with_jump {
            values.push(('j', jump));
        }
        Ok(TokenValues::new(&values))
    }

    /// An Include path as 9.9+ reads it: the connection's `%` tokens and
    /// `${VAR}` expanded.
    fn expand_include_path(
        &self,
        path: &str,
        options: &Options,
        pass: &Pass,
    ) -> Result<String, String> {
        if !has_tokens(path) {
            // Nothing to expand (and no %C to hash); the host name is still
            // expanded first, and a bad token in it stops ssh all the same.
            connection_host(options, pass)?;
            return Ok(path.to_string());
        }
        let none = |_: &str| None;
        self.connection_tokens(options, pass, true)?
            .expand(path, true, self.env.unwrap_or(&none))
    }

    /// Evaluates `Match localnetwork` against `addresses` (the machine's:
    /// `crate::platform::net::interface_addresses`); without them no local
    /// network matches.
    pub fn with_interfaces(mut self, addresses: Vec<IpAddr>) -> Self {
        self.interfaces = addresses;
        self
    }

    /// Reads paths as ssh on `platform` does (default: the platform gord
    /// runs on, or Windows for a Win32-OpenSSH release).
    pub fn with_platform(mut self, platform: Platform) -> Self {
        self.platform = platform;
        self
    }

    /// Accepts the keywords and `Match` criteria of `version` (default:
    /// [`modelled_version`]).
    pub fn with_version(mut self, version: SshVersion) -> Self {
        if version.flavour == crate::ssh::release::Flavour::Windows {
            self.platform = Platform::Windows;
        }
        self.version = version;
        self
    }

    /// Reuses (and fills) `cache` instead of reading and parsing each file again.
    pub fn with_cache(mut self, cache: &'a FileCache) -> Self {
        self.shared = Some(cache);
        self
    }

    /// Resolves `host` with `config` as the user's config file (`ssh -F`).
    pub fn resolve(self, config: &Path, host: &str) -> Resolution {
        self.resolve_sources(&[ConfigSource::explicit(config)], host)
    }

    /// Resolves `host` reading `sources` in order, as ssh reads its files.
    pub fn resolve_sources(mut self, sources: &[ConfigSource], host: &str) -> Resolution {
        let mut options = Options {
            jump_cut_at_blank: self.cuts_jump_at_blank(),
            proxy_command_after_jump_none: self.keeps_proxy_command_after_jump_none(),
            limits_canonical_lists: self.version.semantics().release
                < crate::ssh::release::Release::new(9, 7, 0),
            pubkey_auth_is_flag: pubkey_auth_is_flag(self.version),
            permit_remote_open_skips_first: self.version.semantics().release
                < crate::ssh::release::Release::new(9, 2, 0),
            ..Options::default()
        };
        // `ssh user@host`: the user given there beats any User line.
        let host = match host.rsplit_once('@') {
            Some((user, rest)) if !user.is_empty() && !rest.is_empty() => {
                options.single.insert(
                    "user",
                    crate::ssh::config::options::Value {
                        text: user.to_string(),
                        origin: Origin::COMMAND_LINE,
                    },
                );
                rest
            }
            _ => host,
        };
        let mut pass = Pass {
            host_arg: host,
            final_pass: false,
            want_final: false,
            final_hostname: None,
        };
        self.read_sources(sources, &mut options, &mut pass);
        let canonicalize = options
            .get("canonicalizehostname")
            .is_some_and(|v| v.text != "false");
        if canonicalize {
            if let Some(v) = options.get("canonicalizehostname") {
                self.notes.push(Note {
                    origin: v.origin,
                    kind: NoteKind::CanonicalizationSkipped,
                });
            }
        }
        if (pass.want_final || canonicalize) && self.errors.is_empty() {
            pass.final_hostname = Some(
                effective_hostname(&options, host).unwrap_or_else(|_| host.to_ascii_lowercase()),
            );
            pass.final_pass = true;
            // ssh fills the canonicalisation defaults before the final pass
            // (fill_default_options_for_canonicalization), and the first
            // value wins: the final pass cannot set these.
            let unset: Vec<&str> = CANONICALISATION_DEFAULTED
                .iter()
                .copied()
                .filter(|k| options.get(k).is_none())
                .collect();
            self.read_sources(sources, &mut options, &mut pass);
            for key in unset {
                options.single.remove(key);
            }
        }
        if self.errors.is_empty() {
            self.check_agent_socket(&options, &pass);
        }
        Resolution {
            host_arg: host.to_string(),
            files: self.files,
            options,
            errors: self.errors,
            notes: self.notes,
            applied_blocks: self.applied,
        }
    }

    /// ssh.c stats ForwardAgent's socket path (expanded) before it does
    /// anything else, even for `-G`, and stops when it is missing and
    /// ExitOnForwardFailure is on (else it only says so). A path whose
    /// expansion fails is left to the listing, which reports it.
    fn check_agent_socket(&mut self, options: &Options, pass: &Pass) {
        let Some(socket) = options.get(FORWARD_AGENT_SOCKET) else {
            return;
        };
        if options
            .get("exitonforwardfailure")
            .is_none_or(|v| v.text != "yes")
        {
            return;
        }
        let home = self.local.home.to_string_lossy().into_owned();
        let none = |_: &str| None;
        let Ok(path) = self
            .connection_tokens(options, pass, true)
            .and_then(|tokens| {
                tokens.expand(
                    &tilde_expand(&socket.text, &home),
                    true,
                    self.env.unwrap_or(&none),
                )
            })
        else {
            return;
        };
        if !self.fs.exists(Path::new(&path)) {
            self.error(
                socket.origin,
                format!("Cannot forward agent socket path \"{path}\": No such file or directory"),
            );
        }
    }

    fn read_sources(&mut self, sources: &[ConfigSource], options: &mut Options, pass: &mut Pass) {
        for source in sources {
            if source.check_permissions {
                if let Some((mode, owner)) = self.fs.mode_and_owner(&source.path) {
                    if (owner != 0 && owner != self.local.uid) || mode & 0o022 != 0 {
                        self.errors.push(ConfigError {
                            origin: None,
                            message: format!(
                                "Bad owner or permissions on {}",
                                source.path.display()
                            ),
                        });
                        return;
                    }
                }
            }
            match self.load(&source.path) {
                Ok(index) => {
                    let mut active = true;
                    self.read_file(index, options, pass, &mut active, false, 0, source.user);
                }
                Err(e) if source.required || e.kind() != std::io::ErrorKind::NotFound => {
                    self.errors.push(ConfigError {
                        origin: None,
                        message: format!(
                            "Can't open user config file {}: {}",
                            source.path.display(),
                            io_words(&e)
                        ),
                    });
                    return;
                }
                Err(_) => {}
            }
        }
    }

    fn load(&mut self, path: &Path) -> std::io::Result<usize> {
        if let Some(&index) = self.cache.get(path) {
            return Ok(index);
        }
        // One config and everything it includes stay under one budget, so
        // a fan-out of includes cannot read without end.
        if self.files.len() >= crate::fsread::SSH_INCLUDE_SET_FILES
            || self.loaded_bytes >= crate::fsread::SSH_INCLUDE_SET_BYTES
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                include_set_too_large(),
            ));
        }
        let cached = self.shared.and_then(|c| c.borrow().get(path).cloned());
        let file = match cached {
            Some(file) => file,
            None => {
                let bytes = self.fs.read(path)?;
                if self.loaded_bytes + bytes.len() as u64 > crate::fsread::SSH_INCLUDE_SET_BYTES {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        include_set_too_large(),
                    ));
                }
                let file = Arc::new(SourceFile::from_bytes(path.to_path_buf(), &bytes));
                if let Some(cache) = self.shared {
                    cache
                        .borrow_mut()
                        .insert(path.to_path_buf(), Arc::clone(&file));
                }
                file
            }
        };
        self.loaded_bytes += file.text.len() as u64;
        self.files.push(file);
        let index = self.files.len() - 1;
        self.cache.insert(path.to_path_buf(), index);
        Ok(index)
    }

    fn error(&mut self, origin: Origin, message: String) {
        self.errors.push(ConfigError {
            origin: Some(origin),
            message,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn read_file(
        &mut self,
        index: usize,
        options: &mut Options,
        pass: &mut Pass,
        active: &mut bool,
        never_match: bool,
        depth: usize,
        user: bool,
    ) {
        let file = Arc::clone(&self.files[index]);
        let mut at = 0;
        // The file's host index and this host's literal Host lines in it,
        // looked up once.
        let host_index = std::cell::OnceCell::new();
        let mut host_lines: Option<Vec<usize>> = None;
        while let Some(line) = file.lines.get(at) {
            at += 1;
            if self.fatal {
                return;
            }
            let origin = Origin {
                file: index,
                line: line.index,
            };
            match &line.syntax {
                LineSyntax::Ignored => {}
                LineSyntax::Error { message, .. } => self.error(origin, message.clone()),
                LineSyntax::Directive(d) => {
                    self.directive(
                        line,
                        d,
                        origin,
                        options,
                        pass,
                        active,
                        never_match,
                        depth,
                        user,
                    );
                    // A block that does not apply to this host, and whose lines
                    // are valid for any host, need not be walked line by line.
                    let header = line
                        .keyword
                        .is_some_and(|k| matches!(k.kind, Kind::Host | Kind::Match));
                    if header && !*active && segment_is_clean(&file, line, self.version) {
                        // Past it, jump to the next block that could matter to
                        // this host: past literal blocks that do not name it and
                        // wildcard blocks whose prefixes it does not start with.
                        let subject = match (&pass.final_hostname, pass.final_pass) {
                            (Some(h), true) => h.as_str(),
                            _ => pass.host_arg,
                        };
                        let version = self.version;
                        let index: &HostIndex = host_index.get_or_init(|| {
                            file.host_index(version, &|l| segment_is_clean(&file, l, version))
                        });
                        let lines = host_lines.get_or_insert_with(|| index.lines_for(subject));
                        at = HostIndex::next_for(lines, line.index, file.lines.len())
                            .max(line.segment_end);
                    }
                }
            }
        }
    }

    fn cuts_jump_at_blank(&self) -> bool {
        cuts_jump_at_blank(self.version)
    }

    /// From 10.3 (and in Debian's build, which has the fix) a ProxyCommand
    /// after `ProxyJump none` counts ([`Options::proxy_command_after_jump_none`]).
    fn keeps_proxy_command_after_jump_none(&self) -> bool {
        let version = self.version.semantics();
        version.release >= crate::ssh::release::Release::new(10, 3, 0)
            || version.flavour == crate::ssh::release::Flavour::Debian
    }

    #[allow(clippy::too_many_arguments)]
    fn directive(
        &mut self,
        line: &SourceLine,
        d: &Directive,
        origin: Origin,
        options: &mut Options,
        pass: &mut Pass,
        active: &mut bool,
        never_match: bool,
        depth: usize,
        user: bool,
    ) {
        let facts = line_facts(line, d, self.version);
        // A line of a block that does not apply: for most lines the same
        // answer for every host.
        if !*active {
            if let InactiveOutcome::Fixed(verdict) = facts.inactive {
                if let Some(message) = verdict {
                    self.error(origin, message);
                }
                return;
            }
        }
        let keyword = match facts.keyword {
            LineKeyword::Known(k) => k,
            LineKeyword::NoEffect => return,
            LineKeyword::Unknown => {
                let ignored = options.get("ignoreunknown").is_some_and(|v| {
                    match_pattern_list(&d.keyword, &v.text, true) == ListMatch::Matched
                });
                if !ignored {
                    self.error(origin, format!("Bad configuration option: {}", d.keyword));
                }
                return;
            }
        };
        // Refused by this release whether the line applies or not.
        if let Some(message) = facts.refusal {
            self.error(origin, message);
            return;
        }
        // An agent socket path's `${VAR}`s must be set, whether the line
        // applies or not (such a line's inactive outcome depends on them).
        // Only an environment can tell: without one the path is taken as
        // written.
        if let Some(path) = agent_path_with_variables(keyword, d) {
            if let Some(message) = self.env.and_then(|env| unset_agent_variable(path, env)) {
                self.error(origin, message);
                return;
            }
            if !*active {
                if let Err(message) = options.apply(keyword, d, origin, false) {
                    self.error(origin, message);
                }
                return;
            }
        }
        match keyword.kind {
            Kind::Host => {
                *active = false;
                for arg in &d.args {
                    if arg.value.is_empty() {
                        self.error(origin, format!("keyword {} empty argument", d.keyword));
                        return;
                    }
                    if never_match {
                        break;
                    }
                    let (negated, pattern) = match arg.value.strip_prefix('!') {
                        Some(p) => (true, p),
                        None => (false, arg.value.as_str()),
                    };
                    // ssh's second pass matches Host lines against the final
                    // hostname, the first against the name as typed.
                    let subject = match (&pass.final_hostname, pass.final_pass) {
                        (Some(h), true) => h.as_str(),
                        _ => pass.host_arg,
                    };
                    if match_pattern(subject, pattern) {
                        if negated {
                            *active = false;
                            break;
                        }
                        *active = true;
                    }
                }
                if *active {
                    self.applied.push(origin);
                }
            }
            Kind::Match => match self.match_line(d, origin, options, pass) {
                Ok(result) => {
                    *active = !never_match && result;
                    if *active {
                        self.applied.push(origin);
                    }
                }
                Err(message) => {
                    self.error(origin, message);
                    self.error(origin, String::from("Bad Match condition"));
                }
            },
            Kind::Include => {
                self.include(d, origin, options, pass, active, never_match, depth, user)
            }
            // Kept from every line (readconf.c ignores `*activep` here).
            kind if kind.kept_when_inactive() => {
                if let Err(message) = options.apply(keyword, d, origin, true) {
                    self.error(origin, message);
                }
            }
            // Any other line of an inactive block was answered above (its
            // InactiveOutcome is fixed): here the line applies.
            _ => {
                if let Err(message) = options.apply(keyword, d, origin, true) {
                    self.error(origin, message);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        d: &Directive,
        origin: Origin,
        options: &mut Options,
        pass: &mut Pass,
        active: &mut bool,
        never_match: bool,
        depth: usize,
        user: bool,
    ) {
        let home = self.local.home.to_string_lossy().into_owned();
        let expands =
            self.version.semantics().release >= crate::ssh::release::Release::new(9, 9, 0);
        for arg in &d.args {
            if arg.value.is_empty() {
                self.error(origin, format!("keyword {} empty argument", d.keyword));
                return;
            }
            // From 9.9 the path expands `%` tokens and `${VAR}` first.
            let path = if expands {
                match self.expand_include_path(&arg.value, options, pass) {
                    Ok(p) => p,
                    // A bad `%` is fatal (percent_expand); a `${VAR}` that
                    // does not expand skips the path with an error that does
                    // not stop ssh.
                    Err(e) if e.starts_with("unknown key") || e == "invalid format" => {
                        self.error(origin, format!("vdollar_percent_expand: {e}"));
                        self.fatal = true;
                        return;
                    }
                    Err(_) => {
                        let shown: String = arg.value.chars().take(100).collect();
                        self.notes.push(Note {
                            origin,
                            kind: NoteKind::IncludeNotExpanded(format!(
                                "Unable to expand user config file '{shown}'"
                            )),
                        });
                        continue;
                    }
                }
            } else {
                arg.value.clone()
            };
            if path.starts_with('~') && !user {
                self.error(origin, format!("bad include path {path}."));
                return;
            }
            let pattern = self.platform.include_pattern(&path, user);
            let pattern = tilde_expand(&pattern, &home);
            let matches = glob(self.fs, &pattern);
            if matches.is_empty() {
                self.notes.push(Note {
                    origin,
                    kind: NoteKind::IncludeMatchedNothing(pattern.clone()),
                });
                continue;
            }
            let outer = *active;
            for path in matches {
                if self.fatal {
                    return;
                }
                if depth + 1 > MAX_INCLUDE_DEPTH {
                    self.error(
                        origin,
                        String::from("Too many recursive configuration includes"),
                    );
                    self.fatal = true;
                    return;
                }
                if self.fs.is_dir(&path) {
                    self.notes.push(Note {
                        origin,
                        kind: NoteKind::IncludedDirectory(path.display().to_string()),
                    });
                    continue;
                }
                if let Some((mode, owner)) = self.fs.mode_and_owner(&path) {
                    if (owner != 0 && owner != self.local.uid) || mode & 0o022 != 0 {
                        self.error(
                            origin,
                            format!("Bad owner or permissions on {}", path.display()),
                        );
                        self.fatal = true;
                        return;
                    }
                }
                match self.load(&path) {
                    Ok(index) => {
                        self.read_file(
                            index,
                            options,
                            pass,
                            active,
                            never_match || !outer,
                            depth + 1,
                            user,
                        );
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        self.error(
                            origin,
                            format!(
                                "Can't open user config file {}: {}",
                                path.display(),
                                io_words(&e)
                            ),
                        );
                        // Not a regular file, too large, or over the include
                        // set's budget: nothing after it can be trusted.
                        self.fatal = e.kind() == std::io::ErrorKind::InvalidData;
                        return;
                    }
                }
                // A Match inside an included file must not change the includer's state.
                *active = outer;
            }
        }
    }

    /// `match_cfg_line`: evaluates the criteria of a Match line.
    fn match_line(
        &mut self,
        d: &Directive,
        origin: Origin,
        options: &Options,
        pass: &mut Pass,
    ) -> Result<bool, String> {
        let local = self.local;
        let remote_user = options
            .get("user")
            .map(|v| v.text.clone())
            .unwrap_or_else(|| local.user.clone());
        let host = match &pass.final_hostname {
            Some(h) if pass.final_pass => h.clone(),
            _ => match options.get("hostname") {
                Some(v) => TokenValues::new(&[('h', pass.host_arg.to_string())])
                    .expand(&v.text, false, &|_| None)
                    .map_err(|e| format!("percent_expand: {e}"))?,
                None => pass.host_arg.to_string(),
            },
        };
        let text = &d.rest;
        let mut cursor = Some(0usize);
        let mut result = true;
        let mut attributes = 0;
        while let Some(span) = strdelim(text, &mut cursor) {
            let word = &text[span];
            if word.is_empty() {
                break;
            }
            if word.starts_with('#') {
                break;
            }
            let (negate, attribute) = match word.strip_prefix('!') {
                Some(a) => (true, a),
                None => (false, word),
            };
            let attribute = attribute.to_ascii_lowercase();
            if attribute == "all" {
                let next = strdelim(text, &mut cursor).map(|s| text[s].to_string());
                if attributes > 1
                    || next
                        .as_deref()
                        .is_some_and(|n| !n.is_empty() && !n.starts_with('#'))
                {
                    return Err(format!(
                        "'{word}' cannot be combined with other Match attributes"
                    ));
                }
                if result {
                    result = !negate;
                }
                return Ok(result);
            }
            attributes += 1;
            if attribute == "canonical" || attribute == "final" {
                if attribute == "final" {
                    pass.want_final = true;
                }
                if pass.final_pass == negate {
                    result = false;
                }
                continue;
            }
            let argument = match strdelim(text, &mut cursor) {
                Some(s) if !text[s.clone()].is_empty() && !text[s.clone()].starts_with('#') => {
                    text[s].to_string()
                }
                // As written: 10.0's argv parser names the whole word.
                _ if self.version.semantics().release
                    >= crate::ssh::release::Release::new(10, 0, 0) =>
                {
                    return Err(format!("missing argument for Match '{word}'"))
                }
                _ => {
                    let written = word.strip_prefix('!').unwrap_or(word);
                    return Err(format!("Missing Match criteria for {written}"));
                }
            };
            let matched = match attribute.as_str() {
                "host" => match_hostname(&host, &argument) == ListMatch::Matched,
                "originalhost" => match_hostname(pass.host_arg, &argument) == ListMatch::Matched,
                "user" => match_pattern_list(&remote_user, &argument, false) == ListMatch::Matched,
                "localuser" => {
                    match_pattern_list(&local.user, &argument, false) == ListMatch::Matched
                }
                "exec" => {
                    if !result {
                        // OpenSSH skips the command once an earlier criterion failed.
                        continue;
                    }
                    let values = self.connection_tokens(options, pass, false)?;
                    let command = values
                        .expand(&argument, false, &|_| None)
                        .map_err(|e| format!("percent_expand: {e}"))?;
                    match &self.exec {
                        ExecPolicy::Deny => {
                            self.notes.push(Note {
                                origin,
                                kind: NoteKind::ExecNotEvaluated,
                            });
                            false
                        }
                        ExecPolicy::Allow(run) => run(&command).map_err(|e| {
                            self.fatal = true;
                            format!("match exec '{command}' error: {e}")
                        })?,
                    }
                }
                other => match history::criterion(other, self.version, false) {
                    Knows::Yes if other == "localnetwork" => {
                        match_cidr_list(None, &argument)?;
                        self.interfaces.iter().any(|a| {
                            match_cidr_list(Some(*a), &argument).is_ok_and(|matched| matched)
                        })
                    }
                    Knows::Yes => newer_criterion(other, &argument, options, self.version),
                    _ => return Err(format!("Unsupported Match attribute {other}")),
                },
            };
            if matched == negate {
                result = false;
            }
        }
        if attributes == 0 {
            return Err(String::from("One or more attributes required for Match"));
        }
        Ok(result)
    }
}

/// The host of the connection tokens (`%h`): the final pass's host name,
/// else HostName with its `%h` expanded, else the host as given.
fn connection_host(options: &Options, pass: &Pass) -> Result<String, String> {
    Ok(match (&pass.final_hostname, options.get("hostname")) {
        (Some(h), _) if pass.final_pass => h.clone(),
        (_, Some(v)) => TokenValues::new(&[('h', pass.host_arg.to_string())])
            .expand(&v.text, false, &|_| None)
            .map_err(|e| format!("percent_expand: {e}"))?,
        _ => pass.host_arg.to_string(),
    })
}

/// The `Match` criteria of releases after 9.2p1, as `ssh -G` with no
/// command evaluates them (`localnetwork`, which reads the machine's
/// addresses, is [`Resolver::match_line`]'s).
fn newer_criterion(name: &str, argument: &str, options: &Options, version: SshVersion) -> bool {
    let list = |subject: &str| match_pattern_list(subject, argument, false) == ListMatch::Matched;
    match name {
        "tagged" => options.get("tag").is_some_and(|v| list(&v.text)),
        "version" => list(&format!("OpenSSH_{}", version.release)),
        "sessiontype" => match options.get("sessiontype").map(|v| v.text.as_str()) {
            Some("subsystem") => list("subsystem"),
            Some("none") => list("none"),
            _ => list("shell"),
        },
        // `ssh -G host` runs no command: the criterion is the empty string.
        "command" => false,
        _ => false,
    }
}

/// The hostname ssh connects to: HostName with `%h` expanded, else the host
/// argument; lowercased unless it is an address.
pub fn effective_hostname(options: &Options, host_arg: &str) -> Result<String, String> {
    let host = match options.get("hostname") {
        Some(v) => {
            TokenValues::new(&[('h', host_arg.to_string())]).expand(&v.text, false, &|_| None)?
        }
        None => host_arg.to_string(),
    };
    Ok(if host.parse::<std::net::IpAddr>().is_ok() {
        host
    } else {
        host.to_ascii_lowercase()
    })
}

/// Whether every line of a block's segment is valid for any host (so the
/// block can be skipped when it does not apply). Unknown keywords are not:
/// whether IgnoreUnknown covers them depends on what came before.
fn segment_is_clean(file: &SourceFile, header: &SourceLine, version: SshVersion) -> bool {
    header.segment_clean.get_or_init(version, || {
        let body = file
            .lines
            .get(header.index + 1..header.segment_end)
            .unwrap_or(&[]);
        body.iter().all(|line| match &line.syntax {
            LineSyntax::Ignored => true,
            LineSyntax::Directive(d) => {
                line_facts(line, d, version).inactive == InactiveOutcome::Fixed(None)
            }
            LineSyntax::Error { .. } => false,
        })
    })
}

fn line_keyword(line: &SourceLine, d: &Directive, version: SshVersion) -> LineKeyword {
    let known = history::keyword(&d.keyword, version, line.keyword.is_some());
    match line.keyword {
        // A build's own keyword: checked and kept when gord models it
        // (Apple's flags), else accepted with no effect.
        None if known == Knows::Yes => {
            keywords::lookup_build(&d.keyword).map_or(LineKeyword::NoEffect, LineKeyword::Known)
        }
        Some(k) if known == Knows::Yes => LineKeyword::Known(keywords::for_build(
            k,
            version.flavour == crate::ssh::release::Flavour::Debian,
        )),
        _ => LineKeyword::Unknown,
    }
}

/// What `version` refuses in a line whether it applies or not.
fn release_refusal(
    keyword: &keywords::Keyword,
    d: &Directive,
    version: SshVersion,
) -> Option<String> {
    let args: Vec<&str> = d.args.iter().map(|a| a.value.as_str()).collect();
    values::line_refusal(version, keyword.canonical, &d.keyword, &args)
}

/// What the ssh of `version` makes of a line whatever the host, remembered
/// in the line.
fn line_facts(line: &SourceLine, d: &Directive, version: SshVersion) -> LineFacts {
    line.facts.get_or_init(version, || {
        let keyword = line_keyword(line, d, version);
        let refusal = match keyword {
            LineKeyword::Known(k) => release_refusal(k, d, version),
            _ => None,
        };
        let inactive = inactive_outcome(line, d, version, keyword, &refusal);
        LineFacts {
            keyword,
            refusal,
            inactive,
        }
    })
}

/// What the ssh of `version` makes of a line in a block that does not
/// apply, when that is the same for every host: the release's refusal, or
/// the value checked but not kept.
fn inactive_outcome(
    line: &SourceLine,
    d: &Directive,
    version: SshVersion,
    keyword: LineKeyword,
    refusal: &Option<String>,
) -> InactiveOutcome {
    let keyword = match keyword {
        LineKeyword::Known(k) => k,
        LineKeyword::NoEffect => return InactiveOutcome::Fixed(None),
        LineKeyword::Unknown => return InactiveOutcome::Depends,
    };
    if refusal.is_some() {
        return InactiveOutcome::Fixed(refusal.clone());
    }
    if matches!(keyword.kind, Kind::Host | Kind::Match | Kind::Include)
        || keyword.kind.kept_when_inactive()
        || agent_path_with_variables(keyword, d).is_some()
    {
        return InactiveOutcome::Depends;
    }
    let origin = Origin {
        file: 0,
        line: line.index,
    };
    let verdict = Options {
        jump_cut_at_blank: cuts_jump_at_blank(version),
        pubkey_auth_is_flag: pubkey_auth_is_flag(version),
        ..Options::default()
    }
    .apply(keyword, d, origin, false)
    .err();
    InactiveOutcome::Fixed(verdict)
}

/// Before 10.1 a ProxyJump list ends at its first blank
/// ([`Options::jump_cut_at_blank`]).
fn cuts_jump_at_blank(version: SshVersion) -> bool {
    version.semantics().release < crate::ssh::release::Release::new(10, 1, 0)
}

/// Before 8.9 PubkeyAuthentication is a flag ([`Options::pubkey_auth_is_flag`]).
fn pubkey_auth_is_flag(version: SshVersion) -> bool {
    version.semantics().release < crate::ssh::release::Release::new(8, 9, 0)
}

/// `glob(3)` with `*` and `?` per path component, sorted, hidden files only
/// when the pattern asks for them.
pub fn glob(fs: &dyn ConfigFs, pattern: &str) -> Vec<PathBuf> {
    if !pattern.contains(['*', '?']) {
        let path = PathBuf::from(pattern);
        return if fs.exists(&path) || fs.is_dir(&path) {
            vec![path]
        } else {
            Vec::new()
        };
    }
    let (root, rest) = glob_root(pattern);
    let mut current = vec![root];
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for dir in &current {
            if part.contains(['*', '?']) {
                let Ok(mut names) = fs.list_dir(dir) else {
                    continue;
                };
                names.sort();
                for name in names {
                    if name.starts_with('.') && !part.starts_with('.') {
                        continue;
                    }
                    if match_pattern(&name, part) {
                        let path = slash_join(dir, &name);
                        if last || fs.is_dir(&path) {
                            next.push(path);
                        }
                    }
                }
            } else {
                let path = slash_join(dir, part);
                if last || fs.is_dir(&path) {
                    next.push(path);
                }
            }
        }
        current = next;
    }
    current.sort();
    current
}

/// `dir/name` with a forward slash on every platform, as glob(3) builds
/// its matches (Win32-OpenSSH then prints `C:\\Users\\me/.ssh/conf.d/work`).
fn slash_join(dir: &Path, name: &str) -> PathBuf {
    let mut joined = dir.as_os_str().to_os_string();
    let last = dir.as_os_str().as_encoded_bytes().last().copied();
    if !(last == Some(b'/') || (cfg!(windows) && last == Some(b'\\'))) {
        joined.push("/");
    }
    joined.push(name);
    PathBuf::from(joined)
}

/// Where a glob pattern starts, and the rest of it: `/` on Unix; on
/// Windows a drive (`C:/`), a share (`//server/share/`), or the profile
/// as `~` expanded it (`C:\Users\me`, up to the first slash) when it has no
/// wildcard; `.` for anything else.
fn glob_root(pattern: &str) -> (PathBuf, &str) {
    if let Some(share) = pattern.strip_prefix("//") {
        let mut pieces = share.splitn(3, '/');
        if let (Some(server), Some(name)) = (pieces.next(), pieces.next()) {
            if !server.is_empty()
                && !name.is_empty()
                && !server.contains(['*', '?'])
                && !name.contains(['*', '?'])
            {
                let rest = pieces.next().unwrap_or("");
                return (PathBuf::from(format!("//{server}/{name}/")), rest);
            }
        }
    }
    if let Some(rest) = pattern.strip_prefix('/') {
        return (PathBuf::from("/"), rest);
    }
    let (first, rest) = pattern.split_once('/').unwrap_or((pattern, ""));
    if first.is_empty() || first.contains(['*', '?']) || rest.is_empty() {
        return (PathBuf::from("."), pattern);
    }
    if first.len() == 2 && first.ends_with(':') {
        return (PathBuf::from(format!("{first}/")), rest);
    }
    (PathBuf::from(first), rest)
}

/// Why an include set is refused past its budget.
pub fn include_set_too_large() -> String {
    format!(
        "the config and the files it includes are over gord's limit of {} files or {} MiB together; gord stops reading there",
        crate::fsread::SSH_INCLUDE_SET_FILES,
        crate::fsread::SSH_INCLUDE_SET_BYTES / (1024 * 1024)
    )
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => String::from("No such file or directory"),
        std::io::ErrorKind::PermissionDenied => String::from("Permission denied"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod memory {
    use super::*;
    use std::collections::BTreeMap;

    /// An in-memory file system for resolver tests.
    #[derive(Default)]
    pub struct MemoryFs {
        pub files: BTreeMap<PathBuf, (String, u32)>,
    }

    impl MemoryFs {
        pub fn with(files: &[(&str, &str)]) -> Self {
            MemoryFs {
                files: files
                    .iter()
                    .map(|(p, t)| (PathBuf::from(p), (t.to_string(), 0o600)))
                    .collect(),
            }
        }
    }

    impl ConfigFs for MemoryFs {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            self.files
                .get(path)
                .map(|(t, _)| t.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        }
        fn list_dir(&self, dir: &Path) -> std::io::Result<Vec<String>> {
            let mut names: Vec<String> = self
                .files
                .keys()
                .filter_map(|p| p.strip_prefix(dir).ok())
                .filter_map(|rest| rest.components().next())
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            names.dedup();
            Ok(names)
        }
        fn is_dir(&self, path: &Path) -> bool {
            self.files.keys().any(|p| p != path && p.starts_with(path))
        }
        fn mode_and_owner(&self, path: &Path) -> Option<(u32, u32)> {
            self.files.get(path).map(|(_, mode)| (*mode, 1000))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::MemoryFs;
    use super::*;

    #[test]
    fn the_windows_system_config_is_under_program_data_and_checked() {
        let files = ConfigSource::defaults_on(
            Path::new("C:\\Users\\me"),
            Platform::Windows,
            Path::new("D:\\ProgramData"),
        );
        assert_eq!(
            files[1].path,
            Path::new("D:\\ProgramData").join("ssh").join("ssh_config")
        );
        assert!(files[1].check_permissions && !files[1].user);
        let unix =
            ConfigSource::defaults_on(Path::new("/home/me"), Platform::Unix, Path::new("/x"));
        assert_eq!(unix[1].path, Path::new("/etc/ssh/ssh_config"));
        assert!(!unix[1].check_permissions);
    }

    #[test]
    fn glob_roots_are_drives_shares_and_the_expanded_profile() {
        assert_eq!(
            glob_root("C:/Users/me/*"),
            (PathBuf::from("C:/"), "Users/me/*")
        );
        assert_eq!(
            glob_root("//files/home/me/*.conf"),
            (PathBuf::from("//files/home/"), "me/*.conf")
        );
        assert_eq!(
            glob_root("C:\\Users\\me/.ssh/conf.d/*"),
            (PathBuf::from("C:\\Users\\me"), ".ssh/conf.d/*")
        );
        assert_eq!(glob_root("/etc/ssh/*"), (PathBuf::from("/"), "etc/ssh/*"));
        // Odd shapes fall back to the current directory, never panic.
        for odd in [
            "", "/", "//", "///", "//*/x/*", "//a", "*/x", "a*", "C:", "::/*",
        ] {
            let (root, rest) = glob_root(odd);
            assert!(odd.ends_with(rest), "{odd:?} -> {root:?} {rest:?}");
        }
    }

    #[test]
    fn a_windows_ssh_reads_includes_with_backslashes_and_drive_letters() {
        let fs = MemoryFs::with(&[
            (
                "/cfg",
                "Include C:\\ssh\\*.conf\nHost b\n  Include conf.d\\b\n",
            ),
            ("C:/ssh/a.conf", "User from-a\n"),
            ("C:\\Users\\me/.ssh/conf.d/b", "Port 2222\n"),
        ]);
        let local = LocalFacts {
            home: "C:\\Users\\me".into(),
            ..facts()
        };
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny)
            .with_platform(Platform::Windows)
            .resolve(Path::new("/cfg"), "b");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.options.get("user").unwrap().text, "from-a");
        assert_eq!(r.options.get("port").unwrap().text, "2222");
        // The same lines on Unix name files that do not exist.
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny)
            .with_platform(Platform::Unix)
            .resolve(Path::new("/cfg"), "b");
        assert!(r.options.get("user").is_none());
    }

    fn facts() -> LocalFacts {
        LocalFacts {
            user: "me".into(),
            uid: 1000,
            home: "/home/me".into(),
            hostname: "box.local".into(),
        }
    }

    fn resolve(files: &[(&str, &str)], host: &str) -> Resolution {
        let fs = MemoryFs::with(files);
        let local = facts();
        Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new("/cfg"), host)
    }

    fn value(r: &Resolution, key: &str) -> Option<String> {
        r.options.get(key).map(|v| v.text.clone())
    }

    /// The User `files` (the first read) give `host`.
    fn user_of(files: &[(&str, &str)], host: &str) -> Option<String> {
        value(&resolve(files, host), "user")
    }

    fn resolve_as(files: &[(&str, &str)], host: &str, version: &str) -> Resolution {
        let fs = MemoryFs::with(files);
        let local = facts();
        let env = |name: &str| (name == "SITE").then(|| String::from("lab"));
        Resolver::new(&fs, &local, ExecPolicy::Deny)
            .with_version(crate::ssh::release::parse_version_argument(version).expect("a version"))
            .with_env(&env)
            .resolve(Path::new("/cfg"), host)
    }

    fn errors(r: &Resolution) -> Vec<&str> {
        r.errors.iter().map(|e| e.message.as_str()).collect()
    }

    #[test]
    fn an_agent_socket_path_needs_its_variables_set_even_in_a_block_that_does_not_apply() {
        for line in ["ForwardAgent ${NOPE}/a", "IdentityAgent ${NOPE}"] {
            let config = format!("Host other\n  {line}\nHost *\n  User u\n");
            let files = [("/cfg", config.as_str())];
            let path = line.split_once(' ').unwrap().1;
            assert_eq!(
                errors(&resolve_as(&files, "h", "10.5p1")),
                [format!("Invalid environment expansion {path}.")],
                "{line}"
            );
            // A set variable passes, and the block still does not apply.
            let set = config.replace("NOPE", "SITE");
            let r = resolve_as(&[("/cfg", set.as_str())], "h", "10.5p1");
            assert!(r.errors.is_empty(), "{:?}", r.errors);
            assert_eq!(value(&r, "user").as_deref(), Some("u"));
            assert_eq!(value(&r, "identityagent"), None);
            // Without an environment (the lint's resolutions) nothing can tell.
            assert!(resolve(&files, "h").errors.is_empty(), "{line}");
        }
        // `ForwardAgent yes` names no path: nothing to expand.
        let r = resolve_as(&[("/cfg", "ForwardAgent yes\n")], "h", "10.5p1");
        assert!(r.errors.is_empty());
    }

    #[test]
    fn a_missing_agent_socket_stops_ssh_only_with_exit_on_forward_failure() {
        let config = "ForwardAgent no\nForwardAgent ~/agent.%h\nExitOnForwardFailure yes\n";
        let r = resolve_as(&[("/cfg", config)], "h", "9.2p1");
        assert_eq!(
            errors(&r),
            ["Cannot forward agent socket path \"/home/me/agent.h\": No such file or directory"]
        );
        assert_eq!(
            r.errors[0].origin.map(|o| o.line),
            Some(1),
            "on the path's line"
        );
        // There, it is only a warning of ssh's; a socket that exists passes.
        let warned = config.replace("yes", "no");
        assert!(resolve_as(&[("/cfg", warned.as_str())], "h", "9.2p1")
            .errors
            .is_empty());
        let present = [("/cfg", config), ("/home/me/agent.h", "")];
        assert!(resolve_as(&present, "h", "9.2p1").errors.is_empty());
    }

    #[test]
    fn before_9_2_a_permit_remote_open_line_of_one_argument_leaves_the_list_unset() {
        // readconf.c 8.7-9.1 reads the first argument and keeps only the
        // rest: `h:22` alone adds nothing, so the next line still counts.
        let config = "PermitRemoteOpen h:22\nPermitRemoteOpen [::1]:80 h:*\n";
        let kept = |version| -> Vec<String> {
            resolve_as(&[("/cfg", config)], "h", version)
                .options
                .list("permitremoteopen")
                .iter()
                .map(|v| v.text.clone())
                .collect()
        };
        assert_eq!(kept("8.7p1"), ["[::1]:80", "h:*"]);
        assert_eq!(kept("9.1p1"), ["[::1]:80", "h:*"]);
        assert_eq!(kept("9.2p1"), ["h:22"]);
    }

    #[test]
    fn pubkey_authentication_took_unbound_and_host_bound_from_8_9() {
        let config = "Host other\n  PubkeyAuthentication host-bound\nHost *\n  PubkeyAuthentication unbound\n";
        let files = [("/cfg", config)];
        assert_eq!(
            errors(&resolve_as(&files, "h", "8.7p1")),
            [
                "unsupported option \"host-bound\".",
                "unsupported option \"unbound\"."
            ]
        );
        let r = resolve_as(&files, "h", "8.9p1");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(
            value(&r, "pubkeyauthentication").as_deref(),
            Some("unbound")
        );
    }

    #[test]
    fn runs_sharing_parsed_files_answer_each_release_as_a_fresh_resolution() {
        // A block that does not apply, with a line one release refuses and
        // another accepts: what is remembered for one release must not
        // answer for another.
        let files = [(
            "/cfg",
            "Host other
  KexAlgorithms mlkem768x25519-sha256
  ProxyJump jump
Host wild* !wilder
  User wild
Host target
  User me
",
        )];
        let fs = MemoryFs::with(&files);
        let local = facts();
        let cache = FileCache::default();
        let brief = |r: &Resolution| {
            let errors: Vec<String> = r.errors.iter().map(|e| e.message.clone()).collect();
            (errors, value(r, "user"), r.applied_blocks.clone())
        };
        let fresh = |host: &str, version: &str| brief(&resolve_as(&files, host, version));
        assert!(!fresh("target", "9.2p1").0.is_empty(), "9.2 refuses mlkem");
        assert!(fresh("target", "10.0p2").0.is_empty(), "10.0 knows mlkem");
        for version in ["10.0p2", "9.2p1", "10.0p2", "8.7p1", "9.2p1"] {
            for host in ["target", "wildcat", "wilder", "other"] {
                let shared = Resolver::new(&fs, &local, ExecPolicy::Deny)
                    .with_cache(&cache)
                    .with_version(
                        crate::ssh::release::parse_version_argument(version).expect("a version"),
                    )
                    .resolve(Path::new("/cfg"), host);
                assert_eq!(
                    brief(&shared),
                    fresh(host, version),
                    "{host} under {version}"
                );
            }
        }
    }

    #[test]
    fn include_paths_expand_tokens_and_variables_from_9_9() {
        let files = [
            (
                "/cfg",
                "Host *.test
  Include /inc/%h-${SITE}.conf
",
            ),
            (
                "/inc/a.test-lab.conf",
                "User included
",
            ),
        ];
        let user = |v| value(&resolve_as(&files, "a.test", v), "user");
        assert_eq!(user("9.9p1").as_deref(), Some("included"));
        assert_eq!(user("10.5p1").as_deref(), Some("included"));
        // Before 9.9 the path is a glob as written: it matches nothing.
        assert_eq!(user("9.8p1"), None);
    }

    #[test]
    fn an_include_variable_without_a_value_is_skipped_a_bad_token_is_fatal() {
        let unset = [(
            "/cfg",
            "Include /inc/${NOPE}.conf
User after
",
        )];
        let r = resolve_as(&unset, "h", "10.5p1");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(value(&r, "user").as_deref(), Some("after"));
        assert!(r.notes.iter().any(|n| n.kind
            == NoteKind::IncludeNotExpanded(String::from(
                "Unable to expand user config file '/inc/${NOPE}.conf'"
            ))));
        let bad = [(
            "/cfg",
            "Include /inc/%X
User after
",
        )];
        let r = resolve_as(&bad, "h", "10.5p1");
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(
            r.errors[0].message,
            "vdollar_percent_expand: unknown key %X"
        );
        assert_eq!(value(&r, "user"), None);
        assert!(resolve_as(&bad, "h", "9.6p1").errors.is_empty());
    }

    #[test]
    fn an_earlier_wildcard_block_wins_over_a_later_specific_one() {
        let r = resolve(
            &[(
                "/cfg",
                "Host *\n  User everyone\nHost db\n  User dba\n  Port 5432\n",
            )],
            "db",
        );
        assert_eq!(value(&r, "user").as_deref(), Some("everyone"));
        assert_eq!(value(&r, "port").as_deref(), Some("5432"));
        assert_eq!(r.options.get("user").unwrap().origin.line, 1);
    }

    #[test]
    fn negation_excludes_a_host_from_a_block() {
        let cfg = "Host *.corp !bastion.corp\n  User dev\n";
        assert_eq!(
            user_of(&[("/cfg", cfg)], "web.corp").as_deref(),
            Some("dev")
        );
        assert_eq!(user_of(&[("/cfg", cfg)], "bastion.corp"), None);
    }

    #[test]
    fn wildcard_blocks_apply_to_the_hosts_they_match_and_report_errors_to_all() {
        // Blocks a resolution may jump over (by the literal prefix of their
        // patterns) and blocks it must visit, side by side.
        let cfg = "Host web-0?? !web-007
  User fleet
Host !db*
  Port 2
Host db* *.lan
  Port 3
Host web-00?
  Bogus x
Host w*b-1
  User star
Host *
  User any
";
        let files = [("/cfg", cfg)];
        let brief = |host: &str| {
            let r = resolve(&files, host);
            let errors: Vec<usize> = r
                .errors
                .iter()
                .filter_map(|e| e.origin.map(|o| o.line))
                .collect();
            (value(&r, "user"), value(&r, "port"), errors)
        };
        let line_7 = vec![7];
        let s = |v: &str| Some(String::from(v));
        assert_eq!(brief("web-001"), (s("fleet"), None, line_7.clone()));
        assert_eq!(brief("web-007"), (s("any"), None, line_7.clone()));
        assert_eq!(brief("web-0010"), (s("any"), None, line_7.clone()));
        assert_eq!(brief("db1"), (s("any"), s("3"), line_7.clone()));
        assert_eq!(brief("x.lan"), (s("any"), s("3"), line_7.clone()));
        assert_eq!(brief("wxyzb-1"), (s("star"), None, line_7.clone()));
        assert_eq!(brief("we"), (s("any"), None, line_7));
    }

    #[test]
    fn host_patterns_are_case_sensitive_against_the_argument() {
        let r = resolve(&[("/cfg", "Host DB\n  User upper\n")], "db");
        assert_eq!(value(&r, "user"), None);
    }

    #[test]
    fn match_host_sees_the_hostname_and_originalhost_the_alias() {
        let cfg = "Host alias\n  HostName real.example.com\nMatch host real.example.com\n  User byhost\nMatch originalhost alias\n  Port 2200\n";
        let r = resolve(&[("/cfg", cfg)], "alias");
        assert_eq!(value(&r, "user").as_deref(), Some("byhost"));
        assert_eq!(value(&r, "port").as_deref(), Some("2200"));
    }

    #[test]
    fn match_exec_is_not_run_without_permission_and_says_so() {
        let r = resolve(&[("/cfg", "Match exec \"true\"\n  User ran\n")], "h");
        assert_eq!(value(&r, "user"), None);
        assert_eq!(r.notes[0].kind, NoteKind::ExecNotEvaluated);
    }

    #[test]
    fn match_exec_runs_the_expanded_command_when_allowed() {
        let fs = MemoryFs::with(&[("/cfg", "Match exec \"check %h %p\"\n  User ran\n")]);
        let local = facts();
        let seen = std::cell::RefCell::new(Vec::new());
        let run = |cmd: &str| {
            seen.borrow_mut().push(cmd.to_string());
            Ok(true)
        };
        let r =
            Resolver::new(&fs, &local, ExecPolicy::Allow(&run)).resolve(Path::new("/cfg"), "h1");
        assert_eq!(value(&r, "user").as_deref(), Some("ran"));
        assert_eq!(seen.borrow().as_slice(), ["check h1 22"]);
    }

    #[test]
    fn match_final_cannot_set_the_host_name_nor_the_canonicalisation_options_ssh_has_set() {
        let cfg =
            "Match final\n  CanonicalizeMaxDots 0\n  CanonicalizeFallbackLocal no\n  User late\n";
        let fs = MemoryFs::with(&[("/cfg", cfg)]);
        let local = facts();
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new("/cfg"), "h");
        assert_eq!(value(&r, "canonicalizemaxdots"), None);
        assert_eq!(value(&r, "canonicalizefallbacklocal"), None);
        assert_eq!(value(&r, "user").as_deref(), Some("late"));
        let cfg = "Match final\n  HostName other-%C\n";
        let fs = MemoryFs::with(&[("/cfg", cfg)]);
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new("/cfg"), "h");
        assert_eq!(value(&r, "hostname"), None);
        let cfg = "CanonicalizeMaxDots 3\nMatch final\n  CanonicalizeMaxDots 0\n";
        let fs = MemoryFs::with(&[("/cfg", cfg)]);
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new("/cfg"), "h");
        assert_eq!(value(&r, "canonicalizemaxdots").as_deref(), Some("3"));
    }

    #[test]
    fn match_final_triggers_a_second_pass() {
        let cfg = "Match final\n  User late\nHost h\n  Port 22\n";
        assert_eq!(user_of(&[("/cfg", cfg)], "h").as_deref(), Some("late"));
    }

    #[test]
    fn includes_expand_globs_in_order_and_respect_the_enclosing_block() {
        let files = [
            (
                "/cfg",
                "Host a\n  Include /inc/*.conf\nHost b\n  Include /inc/z.conf\n",
            ),
            ("/inc/1.conf", "User one\n"),
            ("/inc/2.conf", "User two\nPort 2\n"),
            ("/inc/z.conf", "Port 9\n"),
        ];
        let r = resolve(&files, "a");
        assert_eq!(value(&r, "user").as_deref(), Some("one"));
        assert_eq!(value(&r, "port").as_deref(), Some("2"));
        let origin = r.options.get("port").unwrap().origin;
        assert_eq!(r.origin_path(origin), Path::new("/inc/2.conf"));
        let r = resolve(&files, "b");
        assert_eq!(value(&r, "port").as_deref(), Some("9"));
        assert_eq!(value(&r, "user"), None);
    }

    #[test]
    fn a_match_inside_an_include_does_not_leak_out() {
        let files = [
            ("/cfg", "Include /inc.conf\nUser outer\n"),
            ("/inc.conf", "Match host nothing\n  Port 1\n"),
        ];
        assert_eq!(user_of(&files, "h").as_deref(), Some("outer"));
    }

    #[test]
    fn include_loops_stop_at_the_depth_limit_with_an_error() {
        let r = resolve(&[("/cfg", "Include /cfg\n")], "h");
        assert!(
            r.errors
                .iter()
                .any(|e| e.message == "Too many recursive configuration includes"),
            "{:?}",
            r.errors
        );
    }

    #[test]
    fn an_include_fan_out_loop_stops_at_the_first_depth_error() {
        let looped = "Include /d/*\nUser x\n";
        let files = [
            ("/cfg", "Include /d/*\n"),
            ("/d/a", looped),
            ("/d/b", looped),
            ("/d/c", looped),
        ];
        let started = std::time::Instant::now();
        let r = resolve(&files, "h");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "took {:?}",
            started.elapsed()
        );
        let depth_errors = r
            .errors
            .iter()
            .filter(|e| e.message == "Too many recursive configuration includes")
            .count();
        assert_eq!(
            depth_errors,
            1,
            "ssh stops at the first: {:?}",
            r.errors.len()
        );
    }

    #[test]
    fn relative_includes_are_under_the_users_ssh_directory() {
        let files = [
            ("/cfg", "Include conf.d/*\n"),
            ("/home/me/.ssh/conf.d/x", "User fromdir\n"),
        ];
        assert_eq!(user_of(&files, "h").as_deref(), Some("fromdir"));
    }

    #[test]
    fn a_missing_include_is_a_note_not_an_error() {
        let r = resolve(&[("/cfg", "Include /nope/*.conf\n")], "h");
        assert!(r.errors.is_empty());
        assert!(matches!(
            r.notes[0].kind,
            NoteKind::IncludeMatchedNothing(_)
        ));
    }

    #[test]
    fn group_writable_includes_are_refused_like_openssh() {
        let mut fs = MemoryFs::with(&[("/cfg", "Include /inc.conf\n"), ("/inc.conf", "User x\n")]);
        fs.files.get_mut(Path::new("/inc.conf")).unwrap().1 = 0o664;
        let local = facts();
        let r = Resolver::new(&fs, &local, ExecPolicy::Deny).resolve(Path::new("/cfg"), "h");
        assert_eq!(r.errors[0].message, "Bad owner or permissions on /inc.conf");
    }

    #[test]
    fn unknown_keywords_are_errors_unless_ignored() {
        let r = resolve(&[("/cfg", "Bogus yes\n")], "h");
        assert_eq!(r.errors[0].message, "Bad configuration option: bogus");
        let r = resolve(&[("/cfg", "IgnoreUnknown bog*\nBogus yes\n")], "h");
        assert!(r.errors.is_empty());
    }

    #[test]
    fn a_missing_config_file_is_an_error() {
        let r = resolve(&[], "h");
        assert_eq!(
            r.errors[0].message,
            "Can't open user config file /cfg: No such file or directory"
        );
    }
}

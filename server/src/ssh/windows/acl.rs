//! A file's security as Win32-OpenSSH judges it before it reads a config or
//! a private key (`check_secure_file_permission` in
//! contrib/win32/win32compat/w32-sshfileperm.c):
//!
//! - the owner must be the user ssh runs as, SYSTEM, the Administrators
//!   group or TrustedInstaller;
//! - every *allow* entry of the DACL must name one of those four, or (for a
//!   config, which others may read) give no write right: `FILE_WRITE_DATA`,
//!   `FILE_APPEND_DATA`, `FILE_WRITE_EA` or `FILE_WRITE_ATTRIBUTES`. For a
//!   private key any other allow entry is too much;
//! - deny entries and allow entries of other types (object, callback) are
//!   not looked at, inherited entries count like explicit ones, and generic
//!   rights (`GENERIC_WRITE`) are not mapped: ssh tests the four bits only;
//! - an entry whose SID is not the user's but names the same account (a SID
//!   history entry: same domain, name and account type) is the user's;
//! - a file with no DACL (anyone may do anything) is refused.
//!
//! Pure: the reader (`reader.rs`, Windows only) fills the model in.

/// `S-1-5-18`, NT AUTHORITY\SYSTEM.
pub const SYSTEM: &str = "S-1-5-18";
/// `S-1-5-32-544`, BUILTIN\Administrators.
pub const ADMINISTRATORS: &str = "S-1-5-32-544";
/// NT SERVICE\TrustedInstaller (a service SID: SHA-1 of the service name).
pub const TRUSTED_INSTALLER: &str =
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
/// `S-1-1-0`, Everyone.
pub const EVERYONE: &str = "S-1-1-0";
/// `S-1-5-11`, NT AUTHORITY\Authenticated Users.
pub const AUTHENTICATED_USERS: &str = "S-1-5-11";
/// `S-1-5-32-545`, BUILTIN\Users.
pub const USERS: &str = "S-1-5-32-545";

/// The write rights ssh looks for in an entry.
pub const FILE_WRITE_DATA: u32 = 0x0002;
pub const FILE_APPEND_DATA: u32 = 0x0004;
pub const FILE_WRITE_EA: u32 = 0x0010;
pub const FILE_WRITE_ATTRIBUTES: u32 = 0x0100;
const WRITE_BITS: u32 = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES;
/// Rights that let a principal read a file's data.
pub const FILE_READ_DATA: u32 = 0x0001;
pub const GENERIC_ALL: u32 = 0x1000_0000;
pub const GENERIC_READ: u32 = 0x8000_0000;
/// `FILE_ALL_ACCESS`, what icacls shows as (F).
pub const FILE_ALL_ACCESS: u32 = 0x001F_01FF;
/// What icacls shows as (R): `FILE_GENERIC_READ`.
pub const FILE_GENERIC_READ: u32 = 0x0012_0089;
/// What icacls shows as (M): modify.
pub const FILE_MODIFY: u32 = 0x0013_01BF;

/// The account a SID names, as `LookupAccountSidW` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub domain: String,
    pub name: String,
    /// `SID_NAME_USE`: 1 user, 2 group, 4 alias, 5 well-known group, ...
    pub kind: u32,
}

/// A SID (in its string form, `S-1-5-...`) and, when it could be looked
/// up, the account it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub sid: String,
    pub account: Option<Account>,
}

impl Principal {
    pub fn new(sid: &str) -> Self {
        Principal {
            sid: sid.to_string(),
            account: None,
        }
    }

    pub fn named(sid: &str, domain: &str, name: &str, kind: u32) -> Self {
        Principal {
            sid: sid.to_string(),
            account: Some(Account {
                domain: domain.to_string(),
                name: name.to_string(),
                kind,
            }),
        }
    }

    /// `DOMAIN\name` as ssh prints it (`UNKNOWN\UNKNOWN` when the lookup
    /// failed).
    pub fn account_name(&self) -> String {
        match &self.account {
            Some(a) if a.domain.is_empty() => a.name.clone(),
            Some(a) => format!("{}\\{}", a.domain, a.name),
            None => String::from("UNKNOWN\\UNKNOWN"),
        }
    }

    /// How a person reads it: the account, else the SID.
    pub fn shown(&self) -> String {
        match &self.account {
            Some(_) => format!("{} ({})", self.account_name(), self.sid),
            None => self.sid.clone(),
        }
    }

    fn is(&self, sid: &str) -> bool {
        self.sid.eq_ignore_ascii_case(sid)
    }

    /// The four principals ssh always trusts.
    fn is_trusted(&self, user: &Principal) -> bool {
        self.is(ADMINISTRATORS)
            || self.is(SYSTEM)
            || self.is(&user.sid)
            || self.is(TRUSTED_INSTALLER)
    }

    /// The same account as `user` by name, domain and type (a SID history
    /// entry), as ssh's reverse lookup decides it.
    fn same_account(&self, user: &Principal) -> bool {
        match (&self.account, &user.account) {
            (Some(a), Some(b)) => {
                a.name.to_lowercase() == b.name.to_lowercase()
                    && a.domain.to_lowercase() == b.domain.to_lowercase()
                    && a.kind == b.kind
            }
            _ => false,
        }
    }
}

/// The type of an access control entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AceKind {
    /// `ACCESS_ALLOWED_ACE_TYPE` (0): the only kind ssh looks at.
    Allow,
    /// `ACCESS_DENIED_ACE_TYPE` (1).
    Deny,
    /// Any other type (object, callback, audit, ...), by number.
    Other(u8),
}

impl AceKind {
    pub fn from_type(ace_type: u8) -> Self {
        match ace_type {
            0 => AceKind::Allow,
            1 => AceKind::Deny,
            other => AceKind::Other(other),
        }
    }
}

/// One entry of a DACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    pub kind: AceKind,
    pub trustee: Principal,
    pub mask: u32,
    /// Inherited from the folder (`INHERITED_ACE`): icacls shows `(I)`.
    pub inherited: bool,
}

impl Ace {
    pub fn allow(trustee: Principal, mask: u32) -> Self {
        Ace {
            kind: AceKind::Allow,
            trustee,
            mask,
            inherited: false,
        }
    }

    pub fn deny(trustee: Principal, mask: u32) -> Self {
        Ace {
            kind: AceKind::Deny,
            ..Ace::allow(trustee, mask)
        }
    }

    pub fn inherited(mut self) -> Self {
        self.inherited = true;
        self
    }

    fn writes(&self) -> bool {
        self.mask & WRITE_BITS != 0
    }

    fn reads(&self) -> bool {
        self.mask & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL) != 0
    }
}

/// What `GetNamedSecurityInfoW` gives for a file: its owner and DACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSecurity {
    pub owner: Principal,
    /// `None`: the file has no DACL at all (everyone has full access).
    pub dacl: Option<Vec<Ace>>,
}

/// What the file is to ssh, which decides whether others may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A config file (`read_ok`): others may read, not write.
    Config,
    /// A private key: nobody else may have any allowed access.
    PrivateKey,
}

/// Why ssh refuses a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Owned by someone other than the user, SYSTEM, Administrators or
    /// TrustedInstaller.
    Owner(Principal),
    /// No DACL: everyone may write.
    NoDacl,
    /// Allow entries ssh does not accept, in DACL order: ssh names the first
    /// and stops there.
    Entries(Vec<Ace>),
}

/// Judges `security` as ssh running as `user` does for a file used as
/// `usage`. `None`: ssh reads the file.
pub fn judge(security: &FileSecurity, user: &Principal, usage: Use) -> Option<Refusal> {
    if !security.owner.is_trusted(user) {
        return Some(Refusal::Owner(security.owner.clone()));
    }
    let Some(dacl) = &security.dacl else {
        return Some(Refusal::NoDacl);
    };
    let bad: Vec<Ace> = dacl
        .iter()
        .filter(|ace| ace.kind == AceKind::Allow)
        .filter(|ace| !ace.trustee.is_trusted(user))
        .filter(|ace| usage == Use::PrivateKey || ace.writes())
        .filter(|ace| !ace.trustee.same_account(user))
        .cloned()
        .collect();
    (!bad.is_empty()).then_some(Refusal::Entries(bad))
}

/// Whether `user` can still read the file once the `removed` entries are
/// gone: through an allow entry of their own, of SYSTEM's or of the
/// Administrators' that is not removed (an unelevated administrator does
/// not count as Administrators, so only the user's own entry counts).
pub fn user_keeps_read(security: &FileSecurity, user: &Principal, removed: &[Ace]) -> bool {
    let Some(dacl) = &security.dacl else {
        return false;
    };
    dacl.iter().any(|ace| {
        ace.kind == AceKind::Allow
            && (ace.trustee.is(&user.sid) || ace.trustee.same_account(user))
            && ace.reads()
            && !removed.contains(ace)
    })
}

/// The rights of an entry in icacls' short words: `F`, `M`, `RX`, `R`,
/// `W`, else the mask in hex.
pub fn rights(mask: u32) -> String {
    const READ_EXECUTE: u32 = 0x0012_00A9;
    const WRITE: u32 = 0x0010_0116;
    match mask {
        FILE_ALL_ACCESS | GENERIC_ALL => String::from("F"),
        FILE_MODIFY => String::from("M"),
        READ_EXECUTE => String::from("RX"),
        FILE_GENERIC_READ | GENERIC_READ => String::from("R"),
        WRITE => String::from("W"),
        _ if mask & WRITE_BITS != 0 => format!("write, 0x{mask:x}"),
        _ => format!("0x{mask:x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";
    const OTHER: &str = "S-1-5-21-1004336348-1177238915-682003330-1002";

    fn me() -> Principal {
        Principal::named(ME, "LAPTOP", "me", 1)
    }

    /// What a file created in the profile gets: SYSTEM, Administrators and
    /// the user, all inherited, owned by the user.
    fn profile_file() -> FileSecurity {
        FileSecurity {
            owner: me(),
            dacl: Some(vec![
                Ace::allow(Principal::new(SYSTEM), FILE_ALL_ACCESS).inherited(),
                Ace::allow(Principal::new(ADMINISTRATORS), FILE_ALL_ACCESS).inherited(),
                Ace::allow(me(), FILE_ALL_ACCESS).inherited(),
            ]),
        }
    }

    fn with(mut security: FileSecurity, ace: Ace) -> FileSecurity {
        security.dacl.get_or_insert_with(Vec::new).push(ace);
        security
    }

    fn offenders(refusal: Option<Refusal>) -> Vec<String> {
        match refusal {
            Some(Refusal::Entries(aces)) => aces.into_iter().map(|a| a.trustee.sid).collect(),
            other => panic!("entries expected, got {other:?}"),
        }
    }

    #[test]
    fn a_profile_file_is_accepted_as_config_and_as_key() {
        assert_eq!(judge(&profile_file(), &me(), Use::Config), None);
        assert_eq!(judge(&profile_file(), &me(), Use::PrivateKey), None);
    }

    #[test]
    fn everyone_reading_is_fine_for_a_config_but_not_for_a_key() {
        let security = with(
            profile_file(),
            Ace::allow(Principal::new(EVERYONE), FILE_GENERIC_READ),
        );
        assert_eq!(judge(&security, &me(), Use::Config), None);
        assert_eq!(
            offenders(judge(&security, &me(), Use::PrivateKey)),
            [EVERYONE]
        );
    }

    #[test]
    fn authenticated_users_writing_is_refused_even_when_inherited() {
        let security = with(
            profile_file(),
            Ace::allow(Principal::new(AUTHENTICATED_USERS), FILE_MODIFY).inherited(),
        );
        assert_eq!(
            offenders(judge(&security, &me(), Use::Config)),
            [AUTHENTICATED_USERS]
        );
    }

    #[test]
    fn each_write_bit_alone_is_refused_and_generic_write_is_not_seen() {
        for bit in [
            FILE_WRITE_DATA,
            FILE_APPEND_DATA,
            FILE_WRITE_EA,
            FILE_WRITE_ATTRIBUTES,
        ] {
            let security = with(profile_file(), Ace::allow(Principal::new(USERS), bit));
            assert!(judge(&security, &me(), Use::Config).is_some(), "{bit:#x}");
        }
        // ssh tests the four bits, not GENERIC_WRITE: it lets this pass.
        let generic = with(
            profile_file(),
            Ace::allow(Principal::new(USERS), 0x4000_0000),
        );
        assert_eq!(judge(&generic, &me(), Use::Config), None);
    }

    #[test]
    fn an_owner_other_than_the_user_system_or_administrators_is_refused() {
        let mut security = profile_file();
        security.owner = Principal::named(OTHER, "LAPTOP", "other", 1);
        assert_eq!(
            judge(&security, &me(), Use::Config),
            Some(Refusal::Owner(security.owner.clone()))
        );
        for owner in [SYSTEM, ADMINISTRATORS, TRUSTED_INSTALLER] {
            security.owner = Principal::new(owner);
            assert_eq!(judge(&security, &me(), Use::Config), None, "{owner}");
        }
    }

    #[test]
    fn deny_entries_and_other_types_are_not_looked_at() {
        let denied = with(
            profile_file(),
            Ace::deny(Principal::new(EVERYONE), FILE_ALL_ACCESS),
        );
        assert_eq!(judge(&denied, &me(), Use::PrivateKey), None);
        let mut callback = Ace::allow(Principal::new(EVERYONE), FILE_ALL_ACCESS);
        callback.kind = AceKind::Other(9);
        assert_eq!(
            judge(&with(profile_file(), callback), &me(), Use::Config),
            None
        );
    }

    #[test]
    fn a_sid_history_entry_of_the_same_account_counts_as_the_user() {
        let old = Principal::named("S-1-5-21-1-2-3-500", "laptop", "ME", 1);
        let security = with(profile_file(), Ace::allow(old, FILE_ALL_ACCESS));
        assert_eq!(judge(&security, &me(), Use::PrivateKey), None);
        // A different account type is someone else.
        let group = Principal::named("S-1-5-21-1-2-3-501", "LAPTOP", "me", 2);
        let security = with(profile_file(), Ace::allow(group, FILE_ALL_ACCESS));
        assert!(judge(&security, &me(), Use::Config).is_some());
    }

    #[test]
    fn no_dacl_is_refused() {
        let security = FileSecurity {
            owner: me(),
            dacl: None,
        };
        assert_eq!(judge(&security, &me(), Use::Config), Some(Refusal::NoDacl));
    }

    #[test]
    fn every_bad_entry_is_listed_in_dacl_order() {
        let security = with(
            with(
                profile_file(),
                Ace::allow(Principal::new(USERS), FILE_MODIFY),
            ),
            Ace::allow(Principal::new(EVERYONE), FILE_ALL_ACCESS),
        );
        assert_eq!(
            offenders(judge(&security, &me(), Use::Config)),
            [USERS, EVERYONE]
        );
    }

    #[test]
    fn the_user_keeps_read_only_through_an_entry_of_their_own() {
        let security = with(
            profile_file(),
            Ace::allow(Principal::new(USERS), FILE_MODIFY),
        );
        let removed = [Ace::allow(Principal::new(USERS), FILE_MODIFY)];
        assert!(user_keeps_read(&security, &me(), &removed));
        let only_group = FileSecurity {
            owner: me(),
            dacl: Some(vec![Ace::allow(Principal::new(USERS), FILE_MODIFY)]),
        };
        assert!(!user_keeps_read(&only_group, &me(), &removed));
    }

    #[test]
    fn rights_read_as_icacls_writes_them() {
        assert_eq!(rights(FILE_ALL_ACCESS), "F");
        assert_eq!(rights(FILE_MODIFY), "M");
        assert_eq!(rights(FILE_GENERIC_READ), "R");
        assert_eq!(rights(0x0012_00A9), "RX");
        assert_eq!(rights(FILE_APPEND_DATA), "write, 0x4");
    }

    #[test]
    fn accounts_print_as_ssh_prints_them() {
        assert_eq!(me().account_name(), "LAPTOP\\me");
        assert_eq!(Principal::new(EVERYONE).account_name(), "UNKNOWN\\UNKNOWN");
        assert_eq!(
            Principal::named(EVERYONE, "", "Everyone", 5).shown(),
            "Everyone (S-1-1-0)"
        );
    }
}

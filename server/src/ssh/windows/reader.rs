//! Windows only: reads a file's owner and DACL as Win32-OpenSSH does
//! (`GetNamedSecurityInfoW`, then each entry with `GetAce`), the account of
//! each SID (`LookupAccountSidW`), and the user the process runs as (its
//! token's user, what Win32-OpenSSH's `get_sid(NULL)` gives).

use std::ffi::OsStr;
use std::os::windows::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use windows_sys::Win32::Foundation::{
    CloseHandle, LocalFree, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, HANDLE,
};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    GetAce, GetTokenInformation, IsValidSid, LookupAccountSidW, TokenUser, ACCESS_ALLOWED_ACE,
    ACE_HEADER, ACL, DACL_SECURITY_INFORMATION, INHERITED_ACE, OWNER_SECURITY_INFORMATION,
    PSECURITY_DESCRIPTOR, PSID, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::acl::{Account, Ace, AceKind, FileSecurity, Principal};
use super::{SecurityError, SecurityReader};

/// This machine's security descriptors.
pub struct SystemSecurity;

fn wide(text: &OsStr) -> Vec<u16> {
    text.encode_wide().chain(std::iter::once(0)).collect()
}

fn failed(code: u32) -> SecurityError {
    if code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND {
        return SecurityError::NotFound;
    }
    let message = std::io::Error::from_raw_os_error(code as i32).to_string();
    SecurityError::Failed { code, message }
}

fn last_error() -> SecurityError {
    let code = std::io::Error::last_os_error()
        .raw_os_error()
        .map_or(0, |c| c as u32);
    failed(code)
}

/// A SID's string form and, when it can be looked up, its account.
///
/// # Safety
/// `sid` must point to a valid SID for the duration of the call.
unsafe fn principal(sid: PSID) -> Result<Principal, SecurityError> {
    // SAFETY: the caller guarantees `sid`; the string ConvertSidToStringSidW
    // allocates is copied and freed with LocalFree, as documented.
    let text = unsafe {
        if IsValidSid(sid) == 0 {
            return Err(SecurityError::Failed {
                code: 1337,
                message: String::from("the security ID structure is invalid"),
            });
        }
        let mut raw: *mut u16 = std::ptr::null_mut();
        if ConvertSidToStringSidW(sid, &mut raw) == 0 || raw.is_null() {
            return Err(last_error());
        }
        let mut len = 0;
        while *raw.add(len) != 0 {
            len += 1;
        }
        let text = String::from_utf16_lossy(std::slice::from_raw_parts(raw, len));
        LocalFree(raw.cast());
        text
    };
    // SAFETY: as above; the buffers are large enough for the lengths passed.
    let account = unsafe { lookup(sid) };
    Ok(Principal { sid: text, account })
}

/// `LookupAccountSidW` on the local machine, as ssh calls it.
///
/// # Safety
/// `sid` must point to a valid SID.
unsafe fn lookup(sid: PSID) -> Option<Account> {
    let mut name = [0u16; 257];
    let mut domain = [0u16; 257];
    let mut name_len = name.len() as u32;
    let mut domain_len = domain.len() as u32;
    let mut kind = 0i32;
    // SAFETY: the buffers and their lengths match; `sid` is the caller's.
    let ok = unsafe {
        LookupAccountSidW(
            std::ptr::null(),
            sid,
            name.as_mut_ptr(),
            &mut name_len,
            domain.as_mut_ptr(),
            &mut domain_len,
            &mut kind,
        )
    };
    if ok == 0 {
        return None;
    }
    Some(Account {
        domain: String::from_utf16_lossy(&domain[..domain_len as usize]),
        name: String::from_utf16_lossy(&name[..name_len as usize]),
        kind: kind as u32,
    })
}

impl SecurityReader for SystemSecurity {
    fn user(&self) -> Result<Principal, SecurityError> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: the pseudo-handle of the current process needs no closing;
        // `token` is closed below; the buffer is sized by the first call and
        // aligned for TOKEN_USER (u64 elements).
        unsafe {
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                return Err(last_error());
            }
            let mut needed = 0u32;
            GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut needed);
            let mut buffer = vec![0u64; (needed as usize).div_ceil(8).max(1)];
            let ok = GetTokenInformation(
                token,
                TokenUser,
                buffer.as_mut_ptr().cast(),
                (buffer.len() * 8) as u32,
                &mut needed,
            );
            let result = if ok == 0 {
                Err(last_error())
            } else {
                let user = &*(buffer.as_ptr() as *const TOKEN_USER);
                principal(user.User.Sid)
            };
            CloseHandle(token);
            result
        }
    }

    fn program_data(&self) -> Option<PathBuf> {
        std::env::var_os("ProgramData")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| Some(PathBuf::from("C:\\ProgramData")))
    }

    fn read(&self, path: &Path) -> Result<FileSecurity, SecurityError> {
        // Win32-OpenSSH opens forward-slash paths as they are; Windows takes both.
        let name = wide(path.as_os_str());
        let mut owner: PSID = std::ptr::null_mut();
        let mut dacl: *mut ACL = std::ptr::null_mut();
        let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        // SAFETY: `name` is NUL-terminated; the out pointers point into
        // `descriptor`, which is freed with LocalFree after they are read.
        unsafe {
            let code = GetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                &mut owner,
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut descriptor,
            );
            if code != 0 {
                return Err(failed(code));
            }
            let result = security_of(owner, dacl);
            LocalFree(descriptor);
            result
        }
    }
}

/// The model of an owner SID and a DACL (null: no DACL).
///
/// # Safety
/// Both must point into a live security descriptor (or `dacl` be null).
unsafe fn security_of(owner: PSID, dacl: *mut ACL) -> Result<FileSecurity, SecurityError> {
    // SAFETY: the caller's; each ACE is read within the ACL GetAce returns it from.
    unsafe {
        let owner = principal(owner)?;
        if dacl.is_null() {
            return Ok(FileSecurity { owner, dacl: None });
        }
        let count = (*dacl).AceCount;
        let mut entries = Vec::with_capacity(usize::from(count));
        for index in 0..u32::from(count) {
            let mut ace: *mut core::ffi::c_void = std::ptr::null_mut();
            if GetAce(dacl, index, &mut ace) == 0 || ace.is_null() {
                return Err(last_error());
            }
            let header = &*(ace as *const ACE_HEADER);
            let kind = AceKind::from_type(header.AceType);
            let inherited = u32::from(header.AceFlags) & INHERITED_ACE != 0;
            // Allowed and denied ACEs share ACCESS_ALLOWED_ACE's layout;
            // other types are kept by kind only (ssh skips them).
            let (mask, trustee) = match kind {
                AceKind::Allow | AceKind::Deny => {
                    let allowed = &*(ace as *const ACCESS_ALLOWED_ACE);
                    let sid = std::ptr::addr_of!(allowed.SidStart) as PSID;
                    (allowed.Mask, principal(sid)?)
                }
                AceKind::Other(_) => (0, Principal::new("")),
            };
            entries.push(Ace {
                kind,
                trustee,
                mask,
                inherited,
            });
        }
        Ok(FileSecurity {
            owner,
            dacl: Some(entries),
        })
    }
}

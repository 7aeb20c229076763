//! Whether a private key file needs a passphrase, read from its text alone,
//! so gord can say so instead of prompting. Pure.

use base64::Engine;

/// What a private key file is, as far as authentication without a prompt goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFileKind {
    /// Usable without a passphrase.
    Plain,
    /// Protected by a passphrase.
    Encrypted,
    /// Not a private key gord recognises (libssh2 may still try it).
    Unknown,
}

const OPENSSH_BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
const OPENSSH_END: &str = "-----END OPENSSH PRIVATE KEY-----";
const OPENSSH_MAGIC: &[u8] = b"openssh-key-v1\0";

/// Classifies a private key file's text: the `openssh-key-v1` format names its
/// cipher (`none` when plain); PEM keys say `Proc-Type: 4,ENCRYPTED`, and
/// PKCS#8 ones `BEGIN ENCRYPTED PRIVATE KEY`.
pub fn classify_key(text: &str) -> KeyFileKind {
    if let Some(start) = text.find(OPENSSH_BEGIN) {
        let body = &text[start + OPENSSH_BEGIN.len()..];
        let body = body.split(OPENSSH_END).next().unwrap_or_default();
        let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) else {
            return KeyFileKind::Unknown;
        };
        let Some(rest) = bytes.strip_prefix(OPENSSH_MAGIC) else {
            return KeyFileKind::Unknown;
        };
        let Some(len) = rest.get(..4) else {
            return KeyFileKind::Unknown;
        };
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        return match rest.get(4..4usize.saturating_add(len)) {
            Some(b"none") => KeyFileKind::Plain,
            Some(_) => KeyFileKind::Encrypted,
            None => KeyFileKind::Unknown,
        };
    }
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || (text.contains("PRIVATE KEY-----") && text.contains("Proc-Type: 4,ENCRYPTED"))
    {
        return KeyFileKind::Encrypted;
    }
    if text.contains("PRIVATE KEY-----") {
        return KeyFileKind::Plain;
    }
    KeyFileKind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openssh_key(cipher: &str) -> String {
        let mut blob = OPENSSH_MAGIC.to_vec();
        blob.extend_from_slice(&(cipher.len() as u32).to_be_bytes());
        blob.extend_from_slice(cipher.as_bytes());
        blob.extend_from_slice(b"\0\0\0\x04none");
        let b64 = base64::engine::general_purpose::STANDARD.encode(blob);
        format!("{OPENSSH_BEGIN}\n{b64}\n{OPENSSH_END}\n")
    }

    #[test]
    fn an_openssh_key_says_whether_it_has_a_passphrase() {
        assert_eq!(classify_key(&openssh_key("none")), KeyFileKind::Plain);
        assert_eq!(
            classify_key(&openssh_key("aes256-ctr")),
            KeyFileKind::Encrypted
        );
    }

    #[test]
    fn pem_keys_say_so_in_their_headers() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(classify_key(pem), KeyFileKind::Encrypted);
        assert_eq!(
            classify_key("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
            KeyFileKind::Plain
        );
        assert_eq!(
            classify_key("ssh-ed25519 AAAA me@box"),
            KeyFileKind::Unknown
        );
        assert_eq!(
            classify_key(&format!("{OPENSSH_BEGIN}\n!!!\n{OPENSSH_END}")),
            KeyFileKind::Unknown
        );
    }
}

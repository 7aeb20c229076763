//! RekeyLimit: `default`, or an amount of data with an optional
//! K/M/G/T/P/E suffix (powers of 1024, fractions allowed: `1.5G`), read by
//! OpenBSD's `scan_scaled` (openbsd-compat/fmt_scaled.c), at least 16
//! bytes unless 0; then an optional interval (`none` or a time). readconf.c
//! is the same from 8.7p1 to 10.5p1; fmt_scaled.c's scaling of a fraction
//! changed in 10.4 (it keeps more precision), which [`scan_scaled`] follows.
//! Pure.

use crate::ssh::release::Release;

/// Why `scan_scaled` failed, as `strerror` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanError {
    /// EINVAL
    Invalid,
    /// ERANGE
    Range,
}

impl ScanError {
    pub fn strerror(self) -> &'static str {
        match self {
            ScanError::Invalid => "Invalid argument",
            ScanError::Range => "Numerical result out of range",
        }
    }
}

const SCALE_CHARS: &[u8] = b"BKMGTPE";
/// SCALE_LENGTH * 3: at most 20 digits in the whole part.
const MAX_DIGITS: u32 = 21;
/// The release whose fmt_scaled.c interleaves the fraction's scaling.
const PRECISE_FRACTIONS: Release = Release::new(10, 4, 0);

/// `scan_scaled`: a number with an optional scale letter.
pub fn scan_scaled(text: &str, release: Release) -> Result<i64, ScanError> {
    let bytes = text.as_bytes();
    let mut p = 0;
    while p < bytes.len() && bytes[p].is_ascii_whitespace() {
        p += 1;
    }
    let mut sign: i64 = 0;
    while p < bytes.len() && (bytes[p] == b'-' || bytes[p] == b'+') {
        if sign != 0 {
            return Err(ScanError::Invalid);
        }
        sign = if bytes[p] == b'-' { -1 } else { 1 };
        p += 1;
    }
    let (mut whole, mut fpart) = (0i64, 0i64);
    let (mut ndigits, mut fract_digits) = (0u32, 0u32);
    while p < bytes.len() && (bytes[p].is_ascii_digit() || bytes[p] == b'.') {
        let c = bytes[p];
        p += 1;
        if c == b'.' {
            if fract_digits > 0 {
                return Err(ScanError::Invalid);
            }
            fract_digits = 1;
            continue;
        }
        let digit = i64::from(c - b'0');
        if fract_digits > 0 {
            if fract_digits >= MAX_DIGITS - 1 {
                continue;
            }
            fract_digits += 1;
            fpart = fpart
                .checked_mul(10)
                .and_then(|f| f.checked_add(digit))
                .ok_or(ScanError::Range)?;
        } else {
            ndigits += 1;
            if ndigits >= MAX_DIGITS {
                return Err(ScanError::Range);
            }
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(digit))
                .ok_or(ScanError::Range)?;
        }
    }
    if sign != 0 {
        whole *= sign;
    }
    let Some(&unit) = bytes.get(p) else {
        return Ok(whole);
    };
    let index = SCALE_CHARS
        .iter()
        .position(|c| *c == unit || c.to_ascii_lowercase() == unit)
        .ok_or(ScanError::Invalid)?;
    if bytes.get(p + 1).is_some_and(u8::is_ascii_alphanumeric) {
        return Err(ScanError::Invalid);
    }
    let factor = 1i64 << (10 * index);
    let mut whole = whole.checked_mul(factor).ok_or(ScanError::Range)?;
    let fraction = if release >= PRECISE_FRACTIONS {
        let mut muls = index;
        let mut divs = fract_digits.saturating_sub(1);
        while muls > 0 && divs > 0 {
            if fpart <= i64::MAX / 1024 {
                fpart *= 1024;
                muls -= 1;
            } else {
                fpart /= 10;
                divs -= 1;
            }
        }
        for _ in 0..muls {
            fpart = fpart.wrapping_mul(1024);
        }
        for _ in 0..divs {
            fpart /= 10;
        }
        fpart
    } else {
        while fpart >= i64::MAX / factor {
            fpart /= 10;
            fract_digits = fract_digits.saturating_sub(1);
        }
        fpart *= factor;
        for _ in 0..fract_digits.saturating_sub(1) {
            fpart /= 10;
        }
        fpart
    };
    if sign == -1 {
        whole -= fraction;
    } else {
        whole += fraction;
    }
    Ok(whole)
}

/// The limit RekeyLimit's first argument sets, or readconf.c's error.
pub fn rekey_limit(arg: &str, release: Release) -> Result<i64, String> {
    if arg.is_empty() {
        return Err(String::from("Missing argument."));
    }
    if arg == "default" {
        return Ok(0);
    }
    let value =
        scan_scaled(arg, release).map_err(|e| format!("Bad number '{arg}': {}", e.strerror()))?;
    if value != 0 && value < 16 {
        return Err(String::from("RekeyLimit too small"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Release = Release::new(10, 5, 1);
    const OLD: Release = Release::new(9, 2, 1);

    #[test]
    fn amounts_scale_by_powers_of_1024() {
        assert_eq!(rekey_limit("1G", NOW), Ok(1 << 30));
        assert_eq!(rekey_limit("500m", NOW), Ok(500 << 20));
        assert_eq!(rekey_limit("1.5K", NOW), Ok(1536));
        assert_eq!(rekey_limit("1.5K", OLD), Ok(1536));
        assert_eq!(rekey_limit("16", NOW), Ok(16));
        assert_eq!(
            rekey_limit("2B", NOW),
            Err(String::from("RekeyLimit too small"))
        );
        assert_eq!(rekey_limit("default", NOW), Ok(0));
        assert_eq!(rekey_limit("0", NOW), Ok(0));
    }

    #[test]
    fn bad_numbers_get_strerror_s_words() {
        assert_eq!(
            rekey_limit("1X", NOW),
            Err(String::from("Bad number '1X': Invalid argument"))
        );
        assert_eq!(
            rekey_limit("1Gb", NOW),
            Err(String::from("Bad number '1Gb': Invalid argument"))
        );
        assert_eq!(
            rekey_limit("99999999999E", NOW),
            Err(String::from(
                "Bad number '99999999999E': Numerical result out of range"
            ))
        );
        assert_eq!(
            rekey_limit("123456789012345678901", NOW),
            Err(String::from(
                "Bad number '123456789012345678901': Numerical result out of range"
            ))
        );
        assert_eq!(
            rekey_limit("-1G", NOW),
            Err(String::from("RekeyLimit too small"))
        );
        assert_eq!(
            rekey_limit("1..5", NOW).map_err(|e| e.contains("Invalid")),
            Err(true)
        );
        assert_eq!(rekey_limit("", NOW), Err(String::from("Missing argument.")));
    }

    #[test]
    fn what_follows_a_scale_letter_must_not_be_a_letter_or_digit() {
        assert_eq!(scan_scaled("1K-", NOW), Ok(1024));
        assert_eq!(scan_scaled("1K1", NOW), Err(ScanError::Invalid));
        assert_eq!(scan_scaled(" 7", NOW), Ok(7));
        assert_eq!(scan_scaled("+-1", NOW), Err(ScanError::Invalid));
    }
}

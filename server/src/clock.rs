//! Calendar dates (UTC) for seconds since the Unix epoch, without a time crate.

/// A UTC date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: u64,
    pub minute: u64,
    pub second: u64,
}

impl Utc {
    /// The date and time `epoch_seconds` after 1970-01-01 00:00:00 UTC.
    pub fn from_epoch(epoch_seconds: u64) -> Self {
        let days = (epoch_seconds / 86_400) as i64;
        let secs = epoch_seconds % 86_400;
        // Howard Hinnant's civil-from-days, for days since 1970-01-01.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Self {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leap_day_after_a_century_is_a_date() {
        let t = Utc::from_epoch(951_825_600 + 3_723);
        let parts = (t.year, t.month, t.day, t.hour, t.minute, t.second);
        assert_eq!(parts, (2000, 2, 29, 13, 2, 3));
    }

    #[test]
    fn the_epoch_is_the_first_of_january_1970() {
        assert_eq!(
            Utc::from_epoch(0),
            Utc {
                year: 1970,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0
            }
        );
    }
}

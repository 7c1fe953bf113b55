//! Dates as French users read them (SPEC §0): Europe/Paris, "jj/mm/aaaa" and "jj/mm/aaaa à HH:MM".
//!
//! Paris is UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00
//! UTC (EU rule since 1996): computed here rather than with a time-zone database.

use crate::rules::format::civil_from_days;
use crate::rules::mesure::days_from_civil;

/// Unix seconds of 01:00 UTC on the last Sunday of `month` of `year`.
fn last_sunday_1h_utc(year: i64, month: u32) -> i64 {
    // Day 31 of March and October exists; walk back to a Sunday.
    let days = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday when (days + 4) % 7 == 0.
    let weekday = (days + 4).rem_euclid(7);
    (days - weekday) * 86_400 + 3600
}

/// The Paris offset in seconds at a Unix time.
pub fn paris_offset(at: i64) -> i64 {
    let (year, _, _) = civil_from_days(at.div_euclid(86_400));
    if at >= last_sunday_1h_utc(year, 3) && at < last_sunday_1h_utc(year, 10) {
        7200
    } else {
        3600
    }
}

/// "jj/mm/aaaa à HH:MM", Paris time.
pub fn paris_timestamp(at: i64) -> String {
    let local = at + paris_offset(at);
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    format!(
        "{day:02}/{month:02}/{year} à {:02}:{:02}",
        seconds / 3600,
        (seconds % 3600) / 60
    )
}

/// "jj/mm/aaaa", Paris time.
pub fn paris_date(at: i64) -> String {
    paris_timestamp(at)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Today's date in Paris, ISO "aaaa-mm-jj" (SPEC §0: "today" and "future" use the Europe/Paris date).
pub fn paris_today_iso() -> String {
    let now = crate::db::now();
    crate::rules::format::iso_date((now + paris_offset(now)).div_euclid(86_400))
}

/// Today's year in Paris.
pub fn paris_year() -> i64 {
    crate::rules::mesure::year_of(&paris_today_iso())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_time_follows_summer_time() {
        // 2026-01-15 12:00 UTC → 13:00 in Paris.
        assert_eq!(paris_timestamp(1_768_478_400), "15/01/2026 à 13:00");
        // 2026-07-14 10:00 UTC → 12:00 in Paris.
        assert_eq!(paris_timestamp(1_784_023_200), "14/07/2026 à 12:00");
        // 2026-03-29 00:59 UTC is still winter (01:59), 01:00 UTC is summer (03:00).
        assert_eq!(paris_timestamp(1_774_745_940), "29/03/2026 à 01:59");
        assert_eq!(paris_timestamp(1_774_746_000), "29/03/2026 à 03:00");
        assert_eq!(paris_date(1_784_023_200), "14/07/2026");
    }
}

//! Dates and times in the jurisdiction's time zone (SPEC §0): "today", "jj/mm/aaaa" and "jj/mm/aaaa à
//! HH:MM". The zone is a setting (`--fuseau-horaire`, `EMJPM_FUSEAU_HORAIRE`, `Europe/Paris` by default:
//! an overseas jurisdiction shows and checks its own dates); the rules come from jiff's bundled time-zone
//! database, so the binary needs no system tzdata.

use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The default zone: metropolitan France.
pub const DEFAULT_ZONE: &str = "Europe/Paris";

static ZONE: OnceLock<TimeZone> = OnceLock::new();

/// The zone named by an IANA name ("Indian/Reunion"), or the French reason it is refused.
pub fn zone_named(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name.trim()).map_err(|_| {
        format!(
            "fuseau horaire inconnu : « {} » (exemples : Europe/Paris, Indian/Reunion, America/Martinique, America/Cayenne, Indian/Mayotte)",
            name.trim()
        )
    })
}

/// Sets the jurisdiction's zone, once, at start-up (before any date is shown).
pub fn set_zone(zone: TimeZone) {
    if ZONE.set(zone).is_err() {
        tracing::debug!("fuseau horaire déjà choisi");
    }
}

/// The jurisdiction's zone.
pub fn zone() -> &'static TimeZone {
    ZONE.get_or_init(|| TimeZone::get(DEFAULT_ZONE).unwrap_or(TimeZone::UTC))
}

fn zoned(at: i64, zone: &TimeZone) -> jiff::ZonedDateTime {
    Timestamp::from_second(at)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
}

/// "jj/mm/aaaa à HH:MM" of a Unix time in `zone`.
pub fn timestamp_in(at: i64, zone: &TimeZone) -> String {
    zoned(at, zone).strftime("%d/%m/%Y à %H:%M").to_string()
}

/// The civil date of a Unix time in `zone`.
pub fn date_in(at: i64, zone: &TimeZone) -> Date {
    zoned(at, zone).date()
}

/// "jj/mm/aaaa à HH:MM", in the jurisdiction's zone.
pub fn local_timestamp(at: i64) -> String {
    timestamp_in(at, zone())
}

/// "jj/mm/aaaa", in the jurisdiction's zone.
pub fn local_date(at: i64) -> String {
    crate::rules::date::display(date_in(at, zone()))
}

/// The first and the last Unix second of the day "aaaa-mm-jj" in the jurisdiction; `None` when it is no
/// date.
pub fn day_bounds(iso: &str) -> Option<(i64, i64)> {
    let date: Date = iso.parse().ok()?;
    let start = |d: Date| {
        d.to_zoned_datetime(zone().clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    Some((start(date)?, start(date.tomorrow().ok()?)? - 1))
}

/// Today in the jurisdiction (SPEC §0: "today" and "future" use the local date).
pub fn today() -> Date {
    date_in(crate::db::now(), zone())
}

/// Today, as stored: "aaaa-mm-jj".
pub fn today_iso() -> String {
    crate::rules::date::iso(today())
}

/// The current year in the jurisdiction.
pub fn current_year() -> i64 {
    i64::from(today().year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        zone_named("Europe/Paris").unwrap()
    }

    #[test]
    fn paris_time_follows_summer_time() {
        // 2026-01-15 12:00 UTC → 13:00 in Paris.
        assert_eq!(timestamp_in(1_768_478_400, &paris()), "15/01/2026 à 13:00");
        // 2026-07-14 10:00 UTC → 12:00 in Paris.
        assert_eq!(timestamp_in(1_784_023_200, &paris()), "14/07/2026 à 12:00");
        // 2026-03-29 00:59 UTC is still winter (01:59), 01:00 UTC is summer (03:00).
        assert_eq!(timestamp_in(1_774_745_940, &paris()), "29/03/2026 à 01:59");
        assert_eq!(timestamp_in(1_774_746_000, &paris()), "29/03/2026 à 03:00");
        // 2026-10-25 00:59 UTC is still summer (02:59), 01:00 UTC is winter again (02:00).
        assert_eq!(timestamp_in(1_792_889_940, &paris()), "25/10/2026 à 02:59");
        assert_eq!(timestamp_in(1_792_890_000, &paris()), "25/10/2026 à 02:00");
        assert_eq!(
            crate::rules::date::display(date_in(1_784_023_200, &paris())),
            "14/07/2026"
        );
    }

    #[test]
    fn overseas_jurisdictions_have_their_own_today() {
        // 2026-12-01 22:30 UTC: already the 2nd in La Réunion (UTC+4) and Mayotte (UTC+3), still the 1st in
        // Paris (UTC+1), Martinique (UTC−4) and Guyane (UTC−3).
        let at = 1_796_164_200;
        let day = |name: &str| crate::rules::date::iso(date_in(at, &zone_named(name).unwrap()));
        assert_eq!(day("Indian/Reunion"), "2026-12-02");
        assert_eq!(day("Indian/Mayotte"), "2026-12-02");
        assert_eq!(day("Europe/Paris"), "2026-12-01");
        assert_eq!(day("America/Martinique"), "2026-12-01");
        assert_eq!(day("America/Cayenne"), "2026-12-01");
        assert_eq!(
            timestamp_in(at, &zone_named("Indian/Reunion").unwrap()),
            "02/12/2026 à 02:30"
        );
        // No summer time there: the same offset in July.
        assert_eq!(
            timestamp_in(1_784_023_200, &zone_named("America/Martinique").unwrap()),
            "14/07/2026 à 06:00"
        );
    }

    #[test]
    fn unknown_zones_are_refused_in_french() {
        let message = zone_named("Europe/Atlantide").unwrap_err();
        assert!(
            message.starts_with("fuseau horaire inconnu : « Europe/Atlantide »"),
            "{message}"
        );
    }
}

//! Calendar dates as French users type and read them (SPEC §0): "jj/mm/aaaa" on screen, ISO "aaaa-mm-jj" in
//! storage. The calendar is jiff's; this module only says which texts are dates.

use jiff::civil::Date;

/// "La date n'est pas valide…", for any text that is not a date of the calendar from 1900 on.
pub const DATE_INVALID: &str = "Saisissez une date valide au format jj/mm/aaaa.";

/// "jj/mm/aaaa" (also "j/m/aaaa" and, from browsers' date inputs, "aaaa-mm-jj"), from 01/01/1900 on.
/// Whether it is in the future is the caller's question (it knows today's date).
pub fn parse(input: &str) -> Result<Date, &'static str> {
    let value = input.trim();
    let (year, month, day) = match value.split('/').collect::<Vec<_>>().as_slice() {
        [d, m, y] => (*y, *m, *d),
        _ => match value.split('-').collect::<Vec<_>>().as_slice() {
            [y, m, d] => (*y, *m, *d),
            _ => return Err(DATE_INVALID),
        },
    };
    let digits = |s: &str, max_len: usize| {
        !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
    };
    if year.len() != 4 || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return Err(DATE_INVALID);
    }
    let (Ok(y), Ok(m), Ok(d)) = (year.parse::<i16>(), month.parse::<i8>(), day.parse::<i8>())
    else {
        return Err(DATE_INVALID);
    };
    if y < 1900 {
        return Err(DATE_INVALID);
    }
    Date::new(y, m, d).map_err(|_| DATE_INVALID)
}

/// `parse`, as the stored ISO text.
pub fn parse_iso(input: &str) -> Result<String, &'static str> {
    parse(input).map(iso)
}

/// The stored form: "aaaa-mm-jj".
pub fn iso(date: Date) -> String {
    date.to_string()
}

/// "jj/mm/aaaa".
pub fn display(date: Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

/// A stored ISO date as "jj/mm/aaaa"; anything else is shown as it is.
pub fn display_iso(stored: &str) -> String {
    stored
        .parse::<Date>()
        .map_or_else(|_| stored.to_owned(), display)
}

/// The date `days` days after 1970-01-01 (before it when negative).
pub fn from_epoch_days(days: i64) -> Date {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(Date::MAX)
}

/// The year of a stored ISO date (0 when it is not one).
pub fn year_of(stored: &str) -> i64 {
    stored.parse::<Date>().map_or(0, |d| i64::from(d.year()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_iso_texts_are_dates() {
        assert_eq!(parse_iso("05/03/2024"), Ok("2024-03-05".to_owned()));
        assert_eq!(parse_iso(" 5/3/2024 "), Ok("2024-03-05".to_owned()));
        assert_eq!(parse_iso("2024-03-05"), Ok("2024-03-05".to_owned()));
        assert_eq!(parse_iso("29/02/2024"), Ok("2024-02-29".to_owned()));
        for bad in [
            "29/02/2023",
            "31/04/2024",
            "32/01/2024",
            "00/01/2024",
            "01/13/2024",
            "1/1/24",
            "01/01/1899",
            "demain",
            "",
            "2024/03/05/01",
            "+1/01/2024",
            "01-01-2024",
        ] {
            assert_eq!(parse(bad), Err(DATE_INVALID), "{bad}");
        }
    }

    #[test]
    fn dates_are_shown_day_first() {
        assert_eq!(display_iso("2019-12-31"), "31/12/2019");
        assert_eq!(display_iso("2024-03-05"), "05/03/2024");
        assert_eq!(display_iso("pas une date"), "pas une date");
        assert_eq!(year_of("2024-03-05"), 2024);
        assert_eq!(year_of(""), 0);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(iso(from_epoch_days(0)), "1970-01-01");
        assert_eq!(iso(from_epoch_days(19_782)), "2024-02-29");
        assert_eq!(iso(from_epoch_days(20_785)), "2026-11-28");
        assert_eq!(iso(from_epoch_days(-1)), "1969-12-31");
    }

    #[test]
    fn dates_are_read_in_both_forms_and_checked() {
        assert_eq!(parse_iso("31/12/2019").ok().as_deref(), Some("2019-12-31"));
        assert_eq!(parse_iso("2019-12-31").ok().as_deref(), Some("2019-12-31"));
        assert_eq!(parse_iso("29/02/2024").ok().as_deref(), Some("2024-02-29"));
        assert_eq!(parse_iso("29/02/2023").ok(), None);
        assert_eq!(parse_iso("32/01/2020").ok(), None);
        assert_eq!(parse_iso("demain").ok(), None);
        assert_eq!(display_iso("2019-12-31"), "31/12/2019");
    }
}

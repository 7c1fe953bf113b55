//! French display formats (SPEC §0 "Formats"): thousands with a narrow space, decimals with a comma.

/// "67571" → "67 571" (narrow no-break space, as French typography wants).
pub fn integer(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A decimal with a comma and at most `places` decimals, trailing zeros removed: 0.80 → "0,8".
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    text.replace('.', ",")
}

/// "<n> <singular>" or "<n> <plural>", French rule: 0 and 1 take the singular.
pub fn plural(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count <= 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_group_by_thousands() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(67_571), "67\u{202f}571");
        assert_eq!(integer(2_133_111), "2\u{202f}133\u{202f}111");
    }

    #[test]
    fn decimals_use_a_comma() {
        assert_eq!(decimal(0.8, 2), "0,8");
        assert_eq!(decimal(50.95284, 5), "50,95284");
        assert_eq!(decimal(3.0, 2), "3");
    }

    #[test]
    fn french_plural_keeps_zero_and_one_singular() {
        assert_eq!(plural(0, "erreur", "erreurs"), "0 erreur");
        assert_eq!(plural(1, "erreur", "erreurs"), "1 erreur");
        assert_eq!(plural(2, "erreur", "erreurs"), "2 erreurs");
    }
}

//! Services mandataires (issue 16): the SIRET rule, the service's own texts, and the disponibilité of a
//! service made of antennes. Pure and wasm-safe.

pub const SIRET_INVALID: &str =
    "Le numéro SIRET doit comporter 14 chiffres et être valide (clé de contrôle). Par exemple : 732 829 320 00074";
pub const NOM_SERVICE_LABEL: &str = "Nom du service";
/// The most antennes one service may declare: a large association has a few dozen branch offices.
pub const MAX_ANTENNES: usize = 100;
/// The most members one service may have, invitations waiting included.
pub const MAX_MEMBRES: usize = 500;
/// An invitation link is valid seven days (issue 16).
pub const INVITATION_SECONDS: i64 = 7 * 24 * 3600;

/// The SIRET as stored: 14 digits, spaces and dots typed between groups removed, the Luhn key checked
/// (INSEE's rule). La Poste's establishments (SIREN 356 000 000) use their own key: the digits' sum is a
/// multiple of 5, as INSEE documents.
pub fn siret(input: &str) -> Result<String, &'static str> {
    if input.len() > 40 {
        return Err(SIRET_INVALID);
    }
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '\u{a0}' | '\u{202f}' | '-'))
        .collect();
    if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SIRET_INVALID);
    }
    let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let valid = if digits.starts_with("356000000") {
        values.iter().sum::<u32>().is_multiple_of(5)
    } else {
        luhn(&values)
    };
    if valid {
        Ok(digits)
    } else {
        Err(SIRET_INVALID)
    }
}

/// The Luhn check: from the right, every second digit doubled (minus 9 past 9), the sum a multiple of 10.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if !i.is_multiple_of(2) {
                let double = d * 2;
                if double > 9 {
                    double - 9
                } else {
                    double
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// "732 829 320 00074": the SIRET in its usual groups, for reading.
pub fn siret_display(siret: &str) -> String {
    if siret.len() != 14 || !siret.is_ascii() {
        return siret.to_owned();
    }
    format!(
        "{} {} {} {}",
        &siret[0..3],
        &siret[3..6],
        &siret[6..9],
        &siret[9..14]
    )
}

/// What an antenne that still holds mesures answers to "Supprimer".
pub fn antenne_not_empty(count: usize) -> String {
    format!(
        "Cette antenne ne peut pas être supprimée : elle compte encore {}. Rattachez-les à une autre antenne ou mettez-y fin d'abord.",
        crate::rules::format::plural(count, "mesure", "mesures")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirets_are_checked_with_their_key() {
        // Real SIRETs: INSEE's own, and a La Poste establishment.
        assert_eq!(siret("732 829 320 00074"), Ok("73282932000074".to_owned()));
        assert_eq!(siret("13002526500013"), Ok("13002526500013".to_owned()));
        assert_eq!(siret("35600000049837"), Ok("35600000049837".to_owned()));
        // Luhn-valid, but La Poste's rule applies to its SIREN.
        assert_eq!(siret("35600000000048"), Err(SIRET_INVALID));
        assert_eq!(siret("73282932000075"), Err(SIRET_INVALID), "wrong key");
        assert_eq!(siret("7328293200007"), Err(SIRET_INVALID), "13 digits");
        assert_eq!(siret("7328293200007A"), Err(SIRET_INVALID));
        assert_eq!(siret(""), Err(SIRET_INVALID));
        assert_eq!(siret(&"1".repeat(5000)), Err(SIRET_INVALID));
        assert_eq!(siret_display("73282932000074"), "732 829 320 00074");
    }

    #[test]
    fn the_refusal_of_a_full_antenne_says_how_many() {
        assert!(antenne_not_empty(1).contains("1 mesure."));
        assert!(antenne_not_empty(12).contains("12 mesures."));
    }
}

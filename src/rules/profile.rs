//! The profile fields of sign-up and "Mes informations" (SPEC §4.1, §4.2, §5.7): rules and French messages,
//! shared by the browser and the server.

use serde::{Deserialize, Serialize};

pub const GENRE_MISSING: &str = "Indiquez votre genre.";
pub const CODE_POSTAL_INVALID: &str =
    "Le code postal doit comporter 5 chiffres. Par exemple : 62100";
pub const CODE_POSTAL_UNKNOWN: &str =
    "Ce code postal n'existe pas (les codes CEDEX ne sont pas acceptés).";
pub const TELEPHONE_INVALID: &str =
    "Saisissez un numéro de téléphone à 10 chiffres. Par exemple : 0321000000";
pub const CAPACITY_INVALID: &str = "Saisissez un nombre entier entre 0 et 999. Par exemple : 50";
pub const PASSWORDS_DIFFER: &str = "Les mots de passe ne sont pas identiques.";
pub const TRIBUNAUX_MISSING: &str = "Sélectionnez au moins un tribunal où vous êtes agréé.";
pub const KIND_MISSING: &str = "Indiquez si vous êtes mandataire individuel, préposé ou service.";
pub const TRIBUNAL_MISSING: &str = "Sélectionnez votre tribunal.";
pub const CABINET_TOO_LONG: &str = "Le cabinet ne doit pas dépasser 20 caractères.";

/// "Genre": `F` "Femme", `H` "Homme" (SPEC §8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Genre {
    F,
    H,
}

impl Genre {
    pub const ALL: [Genre; 2] = [Genre::F, Genre::H];

    pub fn code(self) -> &'static str {
        match self {
            Genre::F => "F",
            Genre::H => "H",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Genre::F => "Femme",
            Genre::H => "Homme",
        }
    }

    pub fn from_code(code: &str) -> Option<Genre> {
        Genre::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// The message of an empty required field (SPEC §2).
pub fn required(label: &str) -> String {
    format!("Le champ « {label} » est obligatoire.")
}

/// A trimmed text of at most `max` characters. `what` is the message's subject: "Le nom", "L'adresse"…
pub fn bounded_text(
    input: &str,
    label: &str,
    max: usize,
    subject: &str,
    required_field: bool,
) -> Result<String, String> {
    let value = input.trim();
    if value.is_empty() && required_field {
        return Err(required(label));
    }
    if value.chars().count() > max {
        return Err(format!(
            "{subject} ne doit pas dépasser {} caractères.",
            crate::rules::format::integer(max as u64)
        ));
    }
    // One line: no control character (a line break in a name would forge a line of an e-mail).
    if value.chars().any(char::is_control) {
        return Err(format!("{subject} contient des caractères non autorisés."));
    }
    Ok(value.to_owned())
}

/// A text of several lines (a textarea): like `bounded_text`, but line breaks and tabs are allowed.
pub fn bounded_paragraph(
    input: &str,
    label: &str,
    max: usize,
    subject: &str,
    required_field: bool,
) -> Result<String, String> {
    let single_line: String = input
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    bounded_text(&single_line, label, max, subject, required_field)?;
    Ok(input.trim().to_owned())
}

/// Five digits; whether the code exists is the server's question (embedded list).
pub fn code_postal_format(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(CODE_POSTAL_INVALID)
    }
}

/// 10 digits starting with 0, or "+" and 11 to 15 digits; spaces, dots and dashes ignored. Returns the
/// digits (with the "+").
pub fn telephone(input: &str) -> Result<String, &'static str> {
    let compact: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let valid = if let Some(rest) = compact.strip_prefix('+') {
        (11..=15).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
    } else {
        compact.len() == 10
            && compact.starts_with('0')
            && compact.bytes().all(|b| b.is_ascii_digit())
    };
    if valid {
        Ok(compact)
    } else {
        Err(TELEPHONE_INVALID)
    }
}

/// "Nombre de mesures souhaitées": an integer from 0 to 999.
pub fn capacity(input: &str) -> Result<u32, &'static str> {
    let value = input.trim();
    if value.is_empty() || value.len() > 3 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CAPACITY_INVALID);
    }
    value.parse().map_err(|_| CAPACITY_INVALID)
}

pub const ETP_INVALID: &str =
    "Saisissez un nombre d'ETP entre 0,1 et 99 (par exemple 0,8 pour un temps partiel à 80 %).";
pub const ETP_HINT: &str = "Si temps partiel à 80 %, mettre 0,8";
pub const INFORMATIONS_TOO_LONG: &str = "Ce texte ne doit pas dépasser 2 000 caractères.";
pub const INFORMATIONS_HINT: &str = "Ces informations sont visibles par les magistrats. N'y mentionnez aucune information sur les majeurs protégés.";
pub const LAST_TRIBUNAL: &str = "Vous devez rester agréé auprès d'au moins un tribunal.";
pub const CURRENT_PASSWORD_NEEDED: &str =
    "Saisissez votre mot de passe actuel pour changer d'adresse email.";

/// "Nombre d'ETP de secrétariat": 0,1 to 99 with a comma or a point, at most two decimals; in hundredths.
pub fn etp(input: &str) -> Result<u32, &'static str> {
    let value = input.trim().replace(',', ".");
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || whole.len() > 2
        || fraction.len() > 2
        || !digits(whole)
        || !digits(fraction)
        || (value.contains('.') && fraction.is_empty())
    {
        return Err(ETP_INVALID);
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ETP_INVALID)?
    };
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| ETP_INVALID)?;
    let hundredths = whole * 100 + fraction;
    if !(10..=9900).contains(&hundredths) {
        return Err(ETP_INVALID);
    }
    Ok(hundredths)
}

/// "Secrétariat : Oui (0,8 ETP)" / "Secrétariat : Non".
pub fn secretariat_sentence(secretariat: bool, etp_centiemes: Option<u32>) -> String {
    match (secretariat, etp_centiemes) {
        (true, Some(etp)) => format!(
            "Secrétariat : Oui ({} ETP)",
            crate::rules::format::decimal(f64::from(etp) / 100.0, 2)
        ),
        (true, None) => "Secrétariat : Oui".to_owned(),
        (false, _) => "Secrétariat : Non".to_owned(),
    }
}

/// Disponibilité = souhaitées − en cours − en attente (SPEC §8.4); negative when over capacity.
pub fn disponibilite(souhaitees: u32, en_cours: u32, en_attente: u32) -> i64 {
    i64::from(souhaitees) - i64::from(en_cours) - i64::from(en_attente)
}

/// The colour of a capacity figure (SPEC §5.1): red ≤ 0, orange ≤ 5, green otherwise. The number is always
/// shown beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapacityLevel {
    Full,
    Low,
    Available,
}

impl CapacityLevel {
    pub fn of(remaining: i64) -> CapacityLevel {
        match remaining {
            i64::MIN..=0 => CapacityLevel::Full,
            1..=5 => CapacityLevel::Low,
            _ => CapacityLevel::Available,
        }
    }

    /// The CSS class of badges and markers.
    pub fn class(self) -> &'static str {
        match self {
            CapacityLevel::Full => "level-full",
            CapacityLevel::Low => "level-low",
            CapacityLevel::Available => "level-available",
        }
    }
}

/// The header sentence of the mandataire space (SPEC §5.1).
pub fn capacity_sentence(disponibilite: i64) -> String {
    if disponibilite >= 0 {
        let n = disponibilite as usize;
        format!(
            "Je déclare actuellement aux juges pouvoir prendre {}.",
            crate::rules::format::plural(n, "mesure supplémentaire", "mesures supplémentaires")
        )
    } else {
        format!(
            "Attention : vos mesures en cours et en attente dépassent de {} le nombre de mesures souhaitées.",
            disponibilite.unsigned_abs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etp_takes_a_comma_or_a_point() {
        assert_eq!(etp("0,8"), Ok(80));
        assert_eq!(etp("0.8"), Ok(80));
        assert_eq!(etp(",5"), Ok(50));
        assert_eq!(etp("1"), Ok(100));
        assert_eq!(etp("99"), Ok(9900));
        assert_eq!(etp("0,75"), Ok(75));
        for bad in ["", "0", "0,05", "99,5", "100", "1,", "abc", "0,755", "-1"] {
            assert_eq!(etp(bad), Err(ETP_INVALID), "{bad}");
        }
        assert_eq!(
            secretariat_sentence(true, Some(80)),
            "Secrétariat : Oui (0,8 ETP)"
        );
        assert_eq!(secretariat_sentence(false, Some(80)), "Secrétariat : Non");
    }

    #[test]
    fn capacity_sentences_and_levels() {
        assert_eq!(
            capacity_sentence(1),
            "Je déclare actuellement aux juges pouvoir prendre 1 mesure supplémentaire."
        );
        assert_eq!(
            capacity_sentence(29),
            "Je déclare actuellement aux juges pouvoir prendre 29 mesures supplémentaires."
        );
        assert_eq!(
            capacity_sentence(-3),
            "Attention : vos mesures en cours et en attente dépassent de 3 le nombre de mesures souhaitées."
        );
        assert_eq!(CapacityLevel::of(0), CapacityLevel::Full);
        assert_eq!(CapacityLevel::of(5), CapacityLevel::Low);
        assert_eq!(CapacityLevel::of(6), CapacityLevel::Available);
        assert_eq!(disponibilite(30, 1, 0), 29);
    }

    #[test]
    fn telephones_accept_french_and_international_forms() {
        assert_eq!(telephone("03 21 00 00 00"), Ok("0321000000".to_owned()));
        assert_eq!(telephone("03.21.00.00.00"), Ok("0321000000".to_owned()));
        assert_eq!(
            telephone("+33 3 21 00 00 00"),
            Ok("+33321000000".to_owned())
        );
        for bad in [
            "12345",
            "1321000000",
            "032100000",
            "+3332",
            "03210000000",
            "03 21 AB 00 00",
            "",
        ] {
            assert_eq!(telephone(bad), Err(TELEPHONE_INVALID), "{bad}");
        }
    }

    #[test]
    fn capacity_is_an_integer_from_0_to_999() {
        assert_eq!(capacity(" 50 "), Ok(50));
        assert_eq!(capacity("0"), Ok(0));
        assert_eq!(capacity("999"), Ok(999));
        for bad in ["", "1000", "-1", "2,5", "abc"] {
            assert_eq!(capacity(bad), Err(CAPACITY_INVALID), "{bad}");
        }
    }

    #[test]
    fn texts_are_bounded_and_required() {
        assert_eq!(
            bounded_text("  Dupont ", "Nom", 100, "Le nom", true),
            Ok("Dupont".to_owned())
        );
        assert_eq!(
            bounded_text(" ", "Nom", 100, "Le nom", true),
            Err("Le champ « Nom » est obligatoire.".to_owned())
        );
        assert_eq!(
            bounded_text(&"é".repeat(101), "Nom", 100, "Le nom", true),
            Err("Le nom ne doit pas dépasser 100 caractères.".to_owned())
        );
        assert_eq!(
            bounded_text("Dupont\nObjet : faux", "Nom", 100, "Le nom", true),
            Err("Le nom contient des caractères non autorisés.".to_owned())
        );
        assert_eq!(
            bounded_paragraph("Ligne 1\r\nLigne 2\t", "", 2000, "Ce texte", false),
            Ok("Ligne 1\r\nLigne 2".to_owned())
        );
        assert_eq!(
            bounded_paragraph("a\u{7}b", "", 2000, "Ce texte", false),
            Err("Ce texte contient des caractères non autorisés.".to_owned())
        );
        assert_eq!(
            bounded_text(&"é".repeat(101), "Nom", 100, "Le nom", true),
            Err("Le nom ne doit pas dépasser 100 caractères.".to_owned())
        );
        assert_eq!(
            bounded_text(
                &"a".repeat(21),
                "Cabinet (optionnel)",
                20,
                "Le cabinet",
                false
            ),
            Err(CABINET_TOO_LONG.to_owned())
        );
    }

    #[test]
    fn codes_postaux_have_five_digits() {
        assert_eq!(code_postal_format(" 62100 "), Ok("62100".to_owned()));
        assert_eq!(code_postal_format("6210"), Err(CODE_POSTAL_INVALID));
        assert_eq!(code_postal_format("2A004"), Err(CODE_POSTAL_INVALID));
    }
}

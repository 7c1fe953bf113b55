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
    Ok(value.to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

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

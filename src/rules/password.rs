//! The password policy of SPEC §4.4, shared by sign-up, reset, change and `create-admin`.
//!
//! The structural rules run here (browser and server alike); the list of common passwords is checked by the
//! server only (`server::auth::password`), so that it does not weigh on the browser code.

pub const TOO_SHORT: &str = "Votre mot de passe doit être composé de 10 caractères minimum.";
pub const TOO_LONG: &str = "Votre mot de passe ne doit pas dépasser 128 caractères.";
pub const TOO_SIMPLE: &str = "Votre mot de passe doit contenir au moins deux types de caractères parmi : minuscules, majuscules, chiffres, caractères spéciaux.";
pub const TOO_COMMON: &str = "Ce mot de passe est trop courant. Choisissez-en un autre.";
pub const SAME_AS_LOGIN: &str =
    "Votre mot de passe ne doit pas être identique à votre identifiant ou à votre adresse email.";

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 128;

/// The first rule a password breaks, common-password list excepted; `None` when it passes. Lengths count
/// characters, not bytes, and nothing is ever truncated.
pub fn structural_error(password: &str, identifiant: &str, email: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < MIN_CHARS {
        return Some(TOO_SHORT);
    }
    if length > MAX_CHARS {
        return Some(TOO_LONG);
    }
    let classes = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&present| present).count() < 2 {
        return Some(TOO_SIMPLE);
    }
    let lowered = password.to_lowercase();
    let same = |other: &str| !other.trim().is_empty() && lowered == other.trim().to_lowercase();
    if same(identifiant) || same(email) {
        return Some(SAME_AS_LOGIN);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_gives_its_message() {
        assert_eq!(structural_error("abc123", "x", "x@y.fr"), Some(TOO_SHORT));
        assert_eq!(
            structural_error(&"aB1".repeat(43), "x", "x@y.fr"),
            Some(TOO_LONG)
        );
        assert_eq!(
            structural_error("abcdefghijkl", "x", "x@y.fr"),
            Some(TOO_SIMPLE)
        );
        assert_eq!(
            structural_error("ABCDEFGHIJKL", "x", "x@y.fr"),
            Some(TOO_SIMPLE)
        );
        assert_eq!(
            structural_error("Prepose.Calais", "prepose.calais", "a@b.fr"),
            Some(SAME_AS_LOGIN)
        );
        assert_eq!(
            structural_error("Nom@Exemple.fr", "x", "nom@exemple.fr"),
            Some(SAME_AS_LOGIN)
        );
        assert_eq!(structural_error("Tribunal-62100", "x", "x@y.fr"), None);
    }

    #[test]
    fn lengths_count_characters_and_boundaries_hold() {
        assert_eq!(
            structural_error("éééééééé1É", "x", "x@y.fr"),
            None,
            "10 characters, more bytes"
        );
        assert_eq!(
            structural_error("aaaaaaaa1", "x", "x@y.fr"),
            Some(TOO_SHORT)
        );
        assert_eq!(
            structural_error(&format!("{}1", "a".repeat(127)), "x", "x@y.fr"),
            None
        );
        assert_eq!(
            structural_error(&format!("{}1", "a".repeat(128)), "x", "x@y.fr"),
            Some(TOO_LONG)
        );
    }
}

//! The magistrats' notes on a mandataire's fiche (SPEC §6.2 P2, issue 18): the exact texts and the rule of
//! the text.

pub const LABEL: &str = "Ajoutez vos notes :";
pub const WARNING: &str = "Attention à la sensibilité des données. Ces notes sont uniquement accessibles aux magistrats de votre tribunal.";
pub const MISSING: &str = "Saisissez le texte de la note.";
pub const TOO_LONG: &str = "La note ne doit pas dépasser 2 000 caractères.";
pub const INVALID: &str = "La note contient des caractères non autorisés.";
pub const SAVED: &str = "La note a été enregistrée.";
pub const DELETED: &str = "La note a été supprimée.";
/// The longest note.
pub const MAX_CHARS: usize = 2_000;

/// A note's text: trimmed, not empty, at most 2,000 characters, no control characters but line breaks and
/// tabs.
pub fn text(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err(MISSING);
    }
    if value.chars().count() > MAX_CHARS {
        return Err(TOO_LONG);
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(INVALID);
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_short_printable_text() {
        assert_eq!(
            text("  Très réactive.\nJoignable le mardi. "),
            Ok("Très réactive.\nJoignable le mardi.".to_owned())
        );
        assert_eq!(text("   "), Err(MISSING));
        assert_eq!(
            text(&"é".repeat(2_000)).map(|t| t.chars().count()),
            Ok(2_000)
        );
        assert_eq!(text(&"é".repeat(2_001)), Err(TOO_LONG));
        assert_eq!(text("a\u{0}b"), Err(INVALID));
        assert_eq!(text("a\u{1b}[31mb"), Err(INVALID));
    }
}

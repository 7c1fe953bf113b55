//! Text normalisation used wherever a user's words are compared with reference names.

/// The longest text a search field is read for: longer names do not exist, and a search costs in proportion
/// to its text (issue 14, point 9: a 1 MB search once took 13 s).
pub const MAX_SEARCH_CHARS: usize = 100;

/// A search field as it is searched: trimmed, cut at `MAX_SEARCH_CHARS`.
pub fn search_input(input: &str) -> &str {
    let input = input.trim();
    match input.char_indices().nth(MAX_SEARCH_CHARS) {
        Some((cut, _)) => input[..cut].trim_end(),
        None => input,
    }
}

/// Lower-cases and removes French (and other Latin) diacritics, expanding ligatures: "Œuvre Élan" → "oeuvre elan".
///
/// It agrees with tantivy's `LowerCaser` + `AsciiFoldingFilter` on the letters French names use, so that a
/// comparison done here and a search done in the index treat a word alike.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                out.push('a')
            }
            'ç' | 'Ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => out.push('i'),
            'ñ' | 'Ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => out.push('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Splits folded text into words of letters and digits: "Saint-Étienne (42)" → ["saint", "etienne", "42"].
pub fn words(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// True when two texts are the same once case, accents, punctuation and spacing are ignored.
pub fn same_words(a: &str, b: &str) -> bool {
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Châteauroux"), "chateauroux");
        assert_eq!(fold("SAINT-ÉTIENNE"), "saint-etienne");
        assert_eq!(fold("Œuvre"), "oeuvre");
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(words("Saint-Étienne (42)"), vec!["saint", "etienne", "42"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn same_words_ignores_form() {
        assert!(same_words("62100 Calais", "62100  calais"));
        assert!(same_words("saint etienne", "Saint-Étienne"));
        assert!(!same_words("Calais", "Calais Nord"));
    }
}

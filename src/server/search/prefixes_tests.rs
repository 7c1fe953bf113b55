//! The words' answers compared with the index's (`search::prefixes`), on real and made-up names.

#[cfg(test)]
mod tests {
    use crate::server::search::Pass;

    /// The words' answer is the index's first pass, candidate for candidate, in order: on every prefix of
    /// two to seven letters of the words of one commune in seven, and on each of their names' first word
    /// followed by a prefix of the next (thousands of queries, prefixes shared by thousands of communes and
    /// ranks that tie among small villages included).
    #[test]
    fn the_words_answer_what_the_index_answers() {
        let dir = tempfile::tempdir().unwrap();
        let reference = crate::server::reference::ReferenceData::load().unwrap();
        let index = crate::server::search::communes::open(dir.path(), &reference).unwrap();
        let mut queries = std::collections::BTreeSet::new();
        for row in (0..index.entries.len()).step_by(7) {
            let words = crate::rules::text::words(index.entries.get(row).name);
            for (n, word) in words.iter().enumerate() {
                let chars: Vec<char> = word.chars().collect();
                for len in 1..=chars.len().min(7) {
                    let prefix: String = chars[..len].iter().collect();
                    if len >= 2 {
                        queries.insert(prefix.clone());
                    }
                    if n > 0 {
                        queries.insert(format!("{} {prefix}", words[n - 1]));
                    }
                }
            }
        }
        let (mut compared, mut several) = (0, 0);
        for query in &queries {
            let words = crate::server::search::SearchIndex::query_words(query);
            let Some(fast) = index.prefixes.candidates(&index.entries, &words, false) else {
                assert!(
                    words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
                        || words.iter().any(|w| w == "st" || w == "ste"),
                    "« {query} » : left to the index"
                );
                continue;
            };
            assert_eq!(fast, index.run_pass(&words, Pass::Typed), "« {query} »");
            let every_prefix = index.prefixes.candidates(&index.entries, &words, true);
            assert_eq!(
                every_prefix,
                Some(index.run_pass(&words, Pass::Prefixes)),
                "« {query} », every word by prefix"
            );
            // The first-word tier read on the terms is the one read on the row's text.
            let first = index.prefixes.range(&words[0], false);
            for &row in &fast {
                assert_eq!(
                    index.prefixes.first_word_in(row, &first),
                    index.entries.starts_with(row, &words[0]),
                    "« {query} », row {row}"
                );
            }
            compared += 1;
            several += usize::from(words.len() > 1);
        }
        assert!(
            compared > 5_000 && several > 2_000,
            "{compared} queries compared, {several} of several words"
        );
        // The typo pass of one-word queries: each word of four letters or more, mistyped three ways.
        let mut typos = 0;
        for query in queries
            .iter()
            .filter(|q| !q.contains(' ') && q.len() >= 4)
            .step_by(3)
        {
            let chars: Vec<char> = query.chars().collect();
            let mut swapped = chars.clone();
            swapped.swap(1, 2);
            let mut replaced = chars.clone();
            replaced[2] = if replaced[2] == 'x' { 'y' } else { 'x' };
            let mut shorter = chars.clone();
            shorter.remove(2);
            for mistyped in [swapped, replaced, shorter] {
                let word: String = mistyped.into_iter().collect();
                typos += usize::from(super::assert_typos_as_index(&index, &word));
            }
        }
        assert!(typos > 1_000, "{typos} mistyped words compared");
        // The typo pass of several words: a mistyped word of four letters or more, before or after another.
        let mut several_typos = 0;
        for row in (0..index.entries.len()).step_by(11) {
            let words = crate::rules::text::words(index.entries.get(row).name);
            for pair in words.windows(2) {
                let (first, second) = (&pair[0], &pair[1]);
                for (n, word) in [(0, first), (1, second)] {
                    let chars: Vec<char> = word.chars().collect();
                    if chars.len() < 4 {
                        continue;
                    }
                    let mut mistyped = chars.clone();
                    mistyped[2] = if mistyped[2] == 'x' { 'y' } else { 'x' };
                    let mistyped: String = mistyped.into_iter().collect();
                    let query = if n == 0 {
                        format!("{mistyped} {second}")
                    } else {
                        format!("{first} {mistyped}")
                    };
                    let words = crate::server::search::SearchIndex::query_words(&query);
                    if words.len() < 2
                        || !crate::server::search::prefixes::PrefixWords::answers(&words)
                    {
                        continue;
                    }
                    assert_eq!(
                        index.several_words_typos(&words),
                        index.run_pass(&words, Pass::Typos),
                        "« {query} », one typo"
                    );
                    several_typos += 1;
                }
            }
        }
        assert!(
            several_typos > 1_000,
            "{several_typos} queries of several words compared"
        );
    }
}

/// The words answer `query` as the index's first and second passes do.
#[cfg(test)]
fn assert_passes_as_index(index: &crate::server::search::SearchIndex, query: &str) {
    let words = crate::server::search::SearchIndex::query_words(query);
    for (every_prefix, pass) in [
        (false, crate::server::search::Pass::Typed),
        (true, crate::server::search::Pass::Prefixes),
    ] {
        let fast = index
            .prefixes
            .candidates(&index.entries, &words, every_prefix);
        assert_eq!(fast, Some(index.run_pass(&words, pass)), "« {query} »");
    }
}

/// The typo pass of the one-word query `typed` ranks as the index's does; false when `typed` is not one
/// word of four letters or more (no typo pass).
#[cfg(test)]
fn assert_typos_as_index(index: &crate::server::search::SearchIndex, typed: &str) -> bool {
    let words = crate::server::search::SearchIndex::query_words(typed);
    if words.len() != 1 || words[0].chars().count() < 4 {
        return false;
    }
    assert_eq!(
        index.one_word_typos(&words[0]),
        index.run_pass(&words, crate::server::search::Pass::Typos),
        "« {typed} », one typo"
    );
    true
}

/// An alphabetical index of rows named `names` (their own labels), for the tests below.
#[cfg(test)]
fn alphabetical_of(
    names: &[String],
    dir: &tempfile::TempDir,
) -> crate::server::search::SearchIndex {
    let entries = names
        .iter()
        .enumerate()
        .map(|(i, name)| crate::server::search::Entry {
            id: format!("e{i}"),
            label: name.clone(),
            name: name.clone(),
            codes: Vec::new(),
            rank: 0,
        })
        .collect();
    crate::server::search::open_alphabetical(dir.path(), "essai", entries).unwrap()
}

#[cfg(test)]
mod alphabetical_tests {
    use super::{alphabetical_of, assert_passes_as_index};

    /// The same on an alphabetical kind whose names share a few very common words (as "EHPAD", "RESIDENCE"
    /// among 100,000 établissements): thousands of rows per word, the first `CANDIDATES` of each kept.
    #[test]
    fn the_words_answer_what_the_index_answers_on_crowded_words() {
        let kinds = ["EHPAD", "RESIDENCE", "FOYER DE VIE", "CENTRE HOSPITALIER"];
        let names = [
            "LES TILLEULS",
            "SAINT-JOSEPH",
            "LE PARC",
            "LES CEDRES",
            "BELLEVUE",
        ];
        let reference = crate::server::reference::ReferenceData::load().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let names_of_rows: Vec<String> = reference
            .communes
            .iter()
            .step_by(5)
            .enumerate()
            .map(|(i, c)| {
                let name = format!("{} {} {}", kinds[i % 4], names[i % 5], c.nom);
                name
            })
            .collect();
        let index = alphabetical_of(&names_of_rows, &dir);
        let queries = [
            "ehpad",
            "ehpa",
            "resid",
            "residence",
            "foyer de",
            "foyer de vie",
            "centre hosp",
            "les",
            "les t",
            "les tilleuls",
            "saint",
            "saint-jos",
            "ehpad les",
            "ehpad les c",
            "residence bellevue",
            "parc",
            "le parc s",
            "hospitalier",
            "vie sain",
            "bellevue a",
            "cedres mar",
        ];
        for query in queries {
            assert_passes_as_index(&index, query);
        }
    }
}

#[cfg(test)]
mod long_walk_tests {
    use super::{alphabetical_of, assert_passes_as_index, assert_typos_as_index};
    use crate::server::search::prefixes::DIRECT_CHECKS;
    use crate::server::search::SearchIndex;

    /// Two common words that rarely meet ("foyer ce…" among 100,000 établissements): the walk goes past
    /// `DIRECT_CHECKS` rows and checks the other words in their sets of rows; the answer stays the index's.
    #[test]
    fn a_long_walk_answers_what_the_index_answers() {
        let dir = tempfile::tempdir().unwrap();
        let names_of_rows: Vec<String> = (0..6_000)
            .map(|i| match i % 200 {
                0..=89 => format!("FOYER MAISON {i}"),
                90..=179 => format!("CENTRE ACCUEIL {i}"),
                // One row in a hundred has both words.
                180 | 181 => format!("FOYER DU CENTRE {i}"),
                _ => format!("RESIDENCE {i}"),
            })
            .collect();
        let index = alphabetical_of(&names_of_rows, &dir);
        let foyers = (index.prefixes)
            .rows_of(&index.prefixes.range("foyer", true))
            .len();
        assert!(foyers > 4 * DIRECT_CHECKS, "{foyers} rows to walk");
        for query in [
            "foyer ce",
            "foyer centre",
            "centre foy",
            "foyer du c",
            "foye cent",
            "mais acc",
        ] {
            assert_passes_as_index(&index, query);
        }
        for word in ["foyre", "center", "maisno", "residnce", "acceuil", "fyer"] {
            assert!(assert_typos_as_index(&index, word), "« {word} »");
        }
        let words = SearchIndex::query_words("foyer ce");
        let found = index
            .prefixes
            .candidates(&index.entries, &words, false)
            .unwrap();
        assert_eq!(found.len(), 50, "60 rows have both words, the best 50 kept");
    }
}

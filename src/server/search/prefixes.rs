//! The words of every name, sorted, for the commonest query (issue 20): one word of letters, matched by
//! prefix. A binary search finds the words that start with it, and the candidates are ranked exactly as the
//! index's first pass ranks them (rank, highest first, the first `CANDIDATES`), without building a query,
//! walking the term dictionary and collecting from the postings: on random queries that made the
//! autocomplete cost several times a `/sante`. Anything else (several words, digits, "st"/"ste", a word
//! that matches nothing and needs the typo pass) still goes to the index; a unit test checks that both
//! answer the same on thousands of queries.

use tantivy::tokenizer::TokenStream;

use super::{fold_analyzer, Entry, CANDIDATES};

/// One word of one entry's name: where it is in `text`, and the entry.
#[derive(Clone, Copy)]
struct Word {
    start: u32,
    len: u16,
    row: u32,
}

pub(super) struct PrefixWords {
    /// Every word of every name, folded as the index folds them, one after the other.
    text: String,
    /// Sorted by word.
    words: Vec<Word>,
    /// The same words in row order, as their places in `words` (4 bytes each rather than a second copy of
    /// 12: the 100,000 établissements' words weigh 5 MB less, issue 20), and where each row's start
    /// (`row_first[row]..row_first[row + 1]`).
    by_row: Vec<u32>,
    row_first: Vec<u32>,
}

impl PrefixWords {
    pub(super) fn new(entries: &[Entry]) -> PrefixWords {
        let mut analyzer = fold_analyzer();
        let mut text = String::new();
        let mut words: Vec<Word> = Vec::new();
        let mut row_first = Vec::with_capacity(entries.len() + 1);
        for (row, entry) in entries.iter().enumerate() {
            row_first.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
            let mut stream = analyzer.token_stream(&entry.name);
            while stream.advance() {
                let token = &stream.token().text;
                let (Ok(start), Ok(len), Ok(row)) = (
                    u32::try_from(text.len()),
                    u16::try_from(token.len()),
                    u32::try_from(row),
                ) else {
                    continue;
                };
                text.push_str(token);
                words.push(Word { start, len, row });
            }
        }
        row_first.push(u32::try_from(words.len()).unwrap_or(u32::MAX));
        let word = |w: &Word| &text[w.start as usize..w.start as usize + w.len as usize];
        // Each word's rows in the order the index ranks them: a query walks only the head of each. The
        // order is sorted as positions, so that each row-order word knows its sorted place.
        let rank = |w: &Word| entries[w.row as usize].rank;
        let mut order: Vec<u32> = (0..u32::try_from(words.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (&words[a as usize], &words[b as usize]);
            word(a)
                .cmp(word(b))
                .then(rank(b).cmp(&rank(a)))
                .then(a.row.cmp(&b.row))
                .then(a.start.cmp(&b.start))
        });
        let mut by_row = vec![0u32; order.len()];
        for (sorted, &original) in order.iter().enumerate() {
            by_row[original as usize] = u32::try_from(sorted).unwrap_or(u32::MAX);
        }
        let words = order.iter().map(|&i| words[i as usize]).collect();
        PrefixWords {
            text,
            words,
            by_row,
            row_first,
        }
    }

    /// The sorted words equal to `word` (`whole`) or starting with it: two binary searches.
    fn range(&self, word: &str, whole: bool) -> &[Word] {
        let first = self.words.partition_point(|w| self.word(w) < word);
        let rest = &self.words[first..];
        let count = rest.partition_point(|w| {
            let found = self.word(w);
            if whole {
                found == word
            } else {
                found.starts_with(word)
            }
        });
        &rest[..count]
    }

    /// Whether one of `row`'s words is `word` (`whole`) or starts with it.
    fn row_has(&self, row: usize, word: &str, whole: bool) -> bool {
        let (Some(&from), Some(&to)) = (self.row_first.get(row), self.row_first.get(row + 1))
        else {
            return false;
        };
        self.by_row[from as usize..to as usize].iter().any(|&at| {
            let found = self.word(&self.words[at as usize]);
            if whole {
                found == word
            } else {
                found.starts_with(word)
            }
        })
    }

    fn word(&self, w: &Word) -> &str {
        &self.text[w.start as usize..w.start as usize + w.len as usize]
    }

    /// The first pass's candidates: the rows having, for each query word but the last, a word equal to
    /// it, and a word starting with the last; highest rank first (row order among equals, the index's
    /// document order), at most `CANDIDATES`. `None` when the answer must come from the index (see the
    /// module's note).
    pub(super) fn candidates(&self, entries: &[Entry], query: &[String]) -> Option<Vec<usize>> {
        let last = query.len().checked_sub(1)?;
        if query.iter().any(|w| {
            w.is_empty() || w.chars().any(|c| c.is_ascii_digit()) || w == "st" || w == "ste"
        }) {
            return None;
        }
        // The fewest words to walk: the rarest query word's, the others checked on each row.
        let (driver, words) = query
            .iter()
            .enumerate()
            .map(|(i, w)| (i, self.range(w, i != last)))
            .min_by_key(|(_, words)| words.len())?;
        let passes = |row: usize| {
            query
                .iter()
                .enumerate()
                .all(|(i, w)| i == driver || self.row_has(row, w, i != last))
        };
        // Each distinct word's rows come best first: the first `CANDIDATES` that pass of each are enough.
        let mut found: Vec<(u64, usize)> = Vec::new();
        let mut rest = words;
        while let Some(head) = rest.first() {
            let same = rest.partition_point(|w| self.word(w) == self.word(head));
            let mut taken = 0;
            let mut previous = None;
            for w in &rest[..same] {
                let row = w.row as usize;
                if previous == Some(row) || !passes(row) {
                    continue;
                }
                previous = Some(row);
                found.push((entries[row].rank, row));
                taken += 1;
                if taken == CANDIDATES {
                    break;
                }
            }
            rest = &rest[same..];
        }
        if found.is_empty() {
            return None;
        }
        found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.dedup_by_key(|f| f.1);
        found.truncate(CANDIDATES);
        Some(found.into_iter().map(|(_, row)| row).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Pass;

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
        for entry in index.entries.iter().step_by(7) {
            let words = crate::rules::text::words(&entry.name);
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
            let words = super::super::SearchIndex::query_words(query);
            let Some(fast) = index.prefixes.candidates(&index.entries, &words) else {
                assert!(
                    words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()))
                        || words.iter().any(|w| w == "st" || w == "ste")
                        || index.run_pass(&words, Pass::Typed).is_empty(),
                    "« {query} » : the words found nothing, the index did"
                );
                continue;
            };
            assert_eq!(fast, index.run_pass(&words, Pass::Typed), "« {query} »");
            compared += 1;
            several += usize::from(words.len() > 1);
        }
        assert!(
            compared > 5_000 && several > 2_000,
            "{compared} queries compared, {several} of several words"
        );
    }
}

#[cfg(test)]
mod alphabetical_tests {
    use super::super::{open_alphabetical, Entry, Pass, SearchIndex};

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
        let entries: Vec<Entry> = reference
            .communes
            .iter()
            .step_by(5)
            .enumerate()
            .map(|(i, c)| {
                let name = format!("{} {} {}", kinds[i % 4], names[i % 5], c.nom);
                Entry {
                    id: format!("e{i}"),
                    label: name.clone(),
                    name,
                    codes: Vec::new(),
                    rank: 0,
                }
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let index = open_alphabetical(dir.path(), "essai", entries).unwrap();
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
            let words = SearchIndex::query_words(query);
            let fast = index.prefixes.candidates(&index.entries, &words);
            let slow = index.run_pass(&words, Pass::Typed);
            match fast {
                Some(fast) => assert_eq!(fast, slow, "« {query} »"),
                None => assert!(slow.is_empty(), "« {query} »"),
            }
        }
    }
}

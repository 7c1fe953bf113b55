//! The words of every name, sorted, for the commonest queries (issue 20): words of letters, the last (or
//! every one) matched by prefix. A binary search finds the words that start with the rarest query word, the
//! others are checked on each of its rows, and the candidates are ranked exactly as the index's first and
//! second passes rank them (rank, highest first, the first `CANDIDATES`), without building a query, walking
//! the term dictionary and collecting from the postings: on random queries that made the autocomplete cost
//! several times a `/sante`. Queries with digits or "st"/"ste", and the typo pass, still go to the index;
//! unit tests check that both answer the same on thousands of queries.

use tantivy::tokenizer::TokenStream;

use std::cmp::Reverse;
use std::ops::Range;

use super::entries::Rows;
use super::{fold_analyzer, Entry, CANDIDATES};

/// Rows of a walk checked in their own words before the other query words' sets of rows are built.
const DIRECT_CHECKS: usize = 256;
/// How many rows of the other words a set may cost per row of the walk before direct checks are kept
/// (a direct check reads the row's few term numbers; a set sets one bit per row of its word).
const SET_COST_RATIO: usize = 2;

/// One word of one entry's name, while the words are sorted at start-up.
struct Word {
    start: u32,
    len: u16,
    row: u32,
}

/// One distinct word: where it is in `text`.
#[derive(Clone, Copy)]
struct Term {
    start: u32,
    len: u16,
}

pub(super) struct PrefixWords {
    /// Every distinct word of the names, folded as the index folds them, one after the other, sorted.
    text: String,
    /// The distinct words, sorted: a query word's prefix is a run of them (one binary search over fewer
    /// and shorter words than all the names' words), and each one's rows a run of `rows`.
    terms: Vec<Term>,
    /// Where each term's rows start in `rows` (one more at the end).
    firsts: Vec<u32>,
    /// The rows of each term, best ranked first, term after term.
    rows: Vec<u32>,
    /// Each row's words as terms, in the name's order (the other query words and the first-word tier are
    /// checked on these numbers, not on the row's text).
    row_terms: Vec<u32>,
    /// Where each row's terms start in `row_terms` (one more at the end).
    row_starts: Vec<u32>,
}

impl PrefixWords {
    /// The sorted words of `entries`' names, and each name's words folded, one space between each (for
    /// `Rows`: one tokenisation of every name at start-up).
    pub(super) fn new(entries: &[Entry]) -> (PrefixWords, Vec<String>) {
        let mut analyzer = fold_analyzer();
        let mut all = String::new();
        let mut words: Vec<Word> = Vec::new();
        let mut folded_names = Vec::with_capacity(entries.len());
        for (row, entry) in entries.iter().enumerate() {
            let mut stream = analyzer.token_stream(&entry.name);
            let mut folded = String::new();
            while stream.advance() {
                let token = &stream.token().text;
                if !folded.is_empty() {
                    folded.push(' ');
                }
                folded.push_str(token);
                let (Ok(start), Ok(len), Ok(row)) = (
                    u32::try_from(all.len()),
                    u16::try_from(token.len()),
                    u32::try_from(row),
                ) else {
                    continue;
                };
                all.push_str(token);
                words.push(Word { start, len, row });
            }
            folded_names.push(folded);
        }
        let word = |w: &Word| &all[w.start as usize..w.start as usize + w.len as usize];
        // Each word's rows in the order the index ranks them: a query walks only the head of each.
        let rank = |w: &Word| entries[w.row as usize].rank;
        words.sort_unstable_by(|a, b| {
            word(a)
                .cmp(word(b))
                .then(rank(b).cmp(&rank(a)))
                .then(a.row.cmp(&b.row))
                .then(a.start.cmp(&b.start))
        });
        let mut prefixes = PrefixWords {
            text: String::new(),
            terms: Vec::new(),
            firsts: Vec::new(),
            rows: Vec::with_capacity(words.len()),
            row_terms: Vec::with_capacity(words.len()),
            row_starts: Vec::with_capacity(entries.len() + 1),
        };
        // (row, place in the name, term) of every word, to list each row's terms in order.
        let mut placed: Vec<(u32, u32, u32)> = Vec::with_capacity(words.len());
        for w in &words {
            let found = word(w);
            let last = prefixes.terms.last().map(|t| prefixes.term(*t));
            if last != Some(found) {
                let (Ok(start), Ok(first)) = (
                    u32::try_from(prefixes.text.len()),
                    u32::try_from(prefixes.rows.len()),
                ) else {
                    break;
                };
                prefixes.text.push_str(found);
                prefixes.terms.push(Term { start, len: w.len });
                prefixes.firsts.push(first);
            }
            let term = u32::try_from(prefixes.terms.len() - 1).unwrap_or(u32::MAX);
            placed.push((w.row, w.start, term));
            prefixes.rows.push(w.row);
        }
        placed.sort_unstable();
        let mut placed = placed.into_iter().peekable();
        for row in 0..entries.len() {
            prefixes
                .row_starts
                .push(u32::try_from(prefixes.row_terms.len()).unwrap_or(u32::MAX));
            while let Some((_, _, term)) = placed.next_if(|&(r, _, _)| r as usize == row) {
                prefixes.row_terms.push(term);
            }
        }
        prefixes
            .row_starts
            .push(u32::try_from(prefixes.row_terms.len()).unwrap_or(u32::MAX));
        prefixes
            .firsts
            .push(u32::try_from(prefixes.rows.len()).unwrap_or(u32::MAX));
        prefixes.text.shrink_to_fit();
        prefixes.terms.shrink_to_fit();
        prefixes.firsts.shrink_to_fit();
        (prefixes, folded_names)
    }

    /// The terms equal to `word` (`whole`) or starting with it: binary searches over the terms.
    pub(super) fn range(&self, word: &str, whole: bool) -> Range<usize> {
        let first = self.terms.partition_point(|t| self.term(*t) < word);
        let count = if whole {
            usize::from(self.terms.get(first).is_some_and(|t| self.term(*t) == word))
        } else {
            self.terms[first..].partition_point(|t| self.term(*t).starts_with(word))
        };
        first..first + count
    }

    /// The terms of `row`'s name, in order.
    fn row_terms(&self, row: usize) -> &[u32] {
        let at = |i: usize| self.row_starts.get(i).map_or(0, |&f| f as usize);
        self.row_terms.get(at(row)..at(row + 1)).unwrap_or(&[])
    }

    /// Whether `row`'s first word is one of the terms of `range` (the first-word tier: `range` is the
    /// first query word's prefix range).
    pub(super) fn first_word_in(&self, row: usize, range: &Range<usize>) -> bool {
        (self.row_terms(row).first()).is_some_and(|&t| range.contains(&(t as usize)))
    }

    fn term(&self, t: Term) -> &str {
        &self.text[t.start as usize..t.start as usize + t.len as usize]
    }

    /// The rows of the terms of `range`, each term's best first, term after term.
    fn rows_of(&self, range: &Range<usize>) -> &[u32] {
        let at = |i: usize| self.firsts.get(i).map_or(0, |&f| f as usize);
        self.rows.get(at(range.start)..at(range.end)).unwrap_or(&[])
    }

    /// A pass's candidates: the rows having, for each query word, a word equal to it or starting with it —
    /// by prefix the last word only (`every_prefix` false: the index's first pass) or every word (true: its
    /// second pass); highest rank first (row order among equals, the index's document order), at most
    /// `CANDIDATES`, none when nothing matches. `None` when the answer must come from the index (see the
    /// module's note).
    pub(super) fn candidates(
        &self,
        rows: &Rows,
        query: &[String],
        every_prefix: bool,
    ) -> Option<Vec<usize>> {
        let last = query.len().checked_sub(1)?;
        if !Self::answers(query) {
            return None;
        }
        // A one-letter word before the last is whole in every pass (as the index's `word_clause`).
        let whole = |i: usize| i != last && (!every_prefix || query[i].chars().count() == 1);
        let matchers: Vec<Matcher<'_>> = query
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if whole(i) {
                    Matcher::Whole(w)
                } else {
                    Matcher::Prefix(w)
                }
            })
            .collect();
        Some(self.matching_rows(rows, &matchers))
    }

    /// The index's typo pass of a query of several words: a word of four letters or more matches the
    /// `typos` terms found for it (tantivy's typo automaton over the term dictionary, `typo::matching_terms`),
    /// a one-letter word before the last matches whole, any other by prefix; ranked as `candidates`. `None`
    /// as `candidates`.
    pub(super) fn typo_candidates(
        &self,
        rows: &Rows,
        query: &[String],
        typos: &[Option<Vec<usize>>],
    ) -> Option<Vec<usize>> {
        let last = query.len().checked_sub(1)?;
        if !Self::answers(query) || typos.len() != query.len() {
            return None;
        }
        let matchers: Vec<Matcher<'_>> = query
            .iter()
            .zip(typos)
            .enumerate()
            .map(|(i, (w, terms))| match terms {
                Some(terms) => Matcher::Terms(terms),
                None if i != last && w.chars().count() == 1 => Matcher::Whole(w),
                None => Matcher::Prefix(w),
            })
            .collect();
        Some(self.matching_rows(rows, &matchers))
    }

    /// Whether the words answer `query` (else the index does: digits, "st", "ste").
    pub(super) fn answers(query: &[String]) -> bool {
        !query.iter().any(|w| {
            w.is_empty() || w.chars().any(|c| c.is_ascii_digit()) || w == "st" || w == "ste"
        })
    }

    /// The best `CANDIDATES` rows having a word that each matcher accepts, best first.
    fn matching_rows(&self, rows: &Rows, matchers: &[Matcher<'_>]) -> Vec<usize> {
        let ranges: Vec<Vec<Range<usize>>> = matchers.iter().map(|m| self.ranges(m)).collect();
        let counts: Vec<usize> = (ranges.iter())
            .map(|ranges| ranges.iter().map(|r| self.rows_of(r).len()).sum())
            .collect();
        // The fewest words to walk: the rarest query word's, the others checked on each row.
        let Some((driver, &walk)) = counts.iter().enumerate().min_by_key(|&(_, count)| *count)
        else {
            return Vec::new();
        };
        let others = counts.iter().sum::<usize>() - walk;
        // The first rows are checked on their own term numbers; past `DIRECT_CHECKS` rows (a selective
        // second word makes the walk long: "foyer ce"), in one set of rows per other query word, built once
        // from its ranges — unless the other words hold far more rows than the walk (a set costs a pass over
        // every row of its word), when the rows are checked directly all along.
        let mut direct = if others > SET_COST_RATIO * walk {
            usize::MAX
        } else {
            DIRECT_CHECKS
        };
        let mut sets: Option<Vec<Vec<u64>>> = None;
        let passes = |row: usize| {
            if matchers.len() == 1 {
                return true;
            }
            if direct > 0 {
                direct -= 1;
                let terms = self.row_terms(row);
                return ranges.iter().enumerate().all(|(i, ranges)| {
                    i == driver || terms.iter().any(|&t| in_ranges(ranges, t as usize))
                });
            }
            let sets = sets.get_or_insert_with(|| {
                ranges
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != driver)
                    .map(|(_, ranges)| {
                        let mut set = vec![0u64; rows.len().div_ceil(64)];
                        for &row in ranges.iter().flat_map(|r| self.rows_of(r)) {
                            if let Some(bits) = set.get_mut(row as usize / 64) {
                                *bits |= 1 << (row % 64);
                            }
                        }
                        set
                    })
                    .collect()
            });
            sets.iter().all(|set| {
                set.get(row / 64)
                    .is_some_and(|bits| bits & (1 << (row % 64)) != 0)
            })
        };
        let groups = ranges[driver]
            .iter()
            .flat_map(|range| self.groups(range.clone()));
        best_rows(rows, groups, passes)
    }

    /// The terms a matcher accepts, as runs of `terms`.
    fn ranges(&self, matcher: &Matcher<'_>) -> Vec<Range<usize>> {
        match matcher {
            Matcher::Whole(word) => vec![self.range(word, true)],
            Matcher::Prefix(word) => vec![self.range(word, false)],
            Matcher::Terms(terms) => terms.iter().map(|&t| t..t + 1).collect(),
        }
    }

    /// The rows of each term of `range`, each term's best first.
    fn groups(&self, range: Range<usize>) -> impl Iterator<Item = &[u32]> + '_ {
        range.map(|t| self.rows_of(&(t..t + 1)))
    }

    /// The typo pass of a one-word query: the rows having one of `terms` (those the typo automaton
    /// accepted), ranked as the index ranks them — without reading their postings and the rank of every row
    /// they hold, which cost the index's typo pass most of its time.
    pub(super) fn rows_of_terms(&self, rows: &Rows, terms: &[usize]) -> Vec<usize> {
        let groups = terms.iter().map(|&t| self.rows_of(&(t..t + 1)));
        best_rows(rows, groups, |_| true)
    }

    /// The terms `automaton` accepts, in order: the sorted terms walked as tantivy walks its term
    /// dictionary (each byte's state kept for the terms sharing it; a prefix the automaton can no longer
    /// match skips every term under it with one binary search), without building the terms as strings.
    pub(super) fn accepted_terms<A>(&self, automaton: &A) -> Vec<usize>
    where
        A: tantivy_fst::Automaton,
        A::State: Clone,
    {
        let mut found = Vec::new();
        // states[i]: the state after the first i bytes of `previous`.
        let mut states = vec![automaton.start()];
        let mut previous: &[u8] = &[];
        let mut t = 0;
        while let Some(&term) = self.terms.get(t) {
            let bytes = self.term(term).as_bytes();
            let common = previous
                .iter()
                .zip(bytes)
                .take_while(|(a, b)| a == b)
                .count();
            states.truncate(common + 1);
            let mut dead = None;
            for (i, &byte) in bytes.iter().enumerate().skip(common) {
                let Some(state) = states.last() else { break };
                let next = automaton.accept(state, byte);
                if !automaton.can_match(&next) {
                    dead = Some(i + 1);
                    break;
                }
                states.push(next);
            }
            match dead {
                Some(len) => {
                    let prefix = &bytes[..len];
                    // Galloping: the run under a dead prefix is mostly short.
                    let is_under = |u: &Term| self.term(*u).as_bytes().starts_with(prefix);
                    let rest = &self.terms[t..];
                    let mut bound = 1;
                    while bound < rest.len() && is_under(&rest[bound]) {
                        bound *= 2;
                    }
                    let under = rest[..bound.min(rest.len())].partition_point(is_under);
                    t += under.max(1);
                    previous = &bytes[..len - 1];
                }
                None => {
                    if states.last().is_some_and(|state| automaton.is_match(state)) {
                        found.push(t);
                    }
                    previous = bytes;
                    t += 1;
                }
            }
        }
        found
    }
}

/// Whether term `t` is in one of `ranges` (sorted, apart).
fn in_ranges(ranges: &[Range<usize>], t: usize) -> bool {
    let at = ranges.partition_point(|r| r.end <= t);
    ranges.get(at).is_some_and(|r| r.contains(&t))
}

/// What a query word accepts of a name's words.
enum Matcher<'q> {
    Whole(&'q str),
    Prefix(&'q str),
    /// The terms the typo automaton accepted (`PrefixWords::accepted_terms`).
    Terms(&'q [usize]),
}

/// The best `CANDIDATES` rows of `groups` (each one word's rows, best first) that `passes`: by rank, then
/// the lower row first, as the index ranks them.
fn best_rows<'w>(
    rows: &Rows,
    groups: impl Iterator<Item = &'w [u32]>,
    mut passes: impl FnMut(usize) -> bool,
) -> Vec<usize> {
    // The best so far, best first: at most `CANDIDATES` keys, each row once (a sorted vector: its
    // membership and its worst are read in place, with no hashing).
    let mut best: Vec<(u64, Reverse<usize>)> = Vec::with_capacity(CANDIDATES + 1);
    for group in groups {
        // A word's walk ends at its `CANDIDATES`-th passing row, or as soon as its rows rank below the worst
        // of the best found (the prefix of a common letter spans thousands of words).
        let mut taken = 0;
        for &row in group {
            let row = row as usize;
            let key = (rows.rank(row), Reverse(row));
            if best.len() == CANDIDATES && best.last().is_some_and(|worst| key <= *worst) {
                break;
            }
            let at = best.partition_point(|found| *found > key);
            if best.get(at) == Some(&key) || !passes(row) {
                continue;
            }
            best.insert(at, key);
            best.truncate(CANDIDATES);
            taken += 1;
            if taken == CANDIDATES {
                break;
            }
        }
    }
    best.into_iter().map(|(_, Reverse(row))| row).collect()
}

#[cfg(test)]
#[path = "prefixes_tests.rs"]
mod prefixes_tests;

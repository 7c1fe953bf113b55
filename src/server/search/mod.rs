//! Autocomplete engine (SPEC §10), shared by communes and, later, tribunaux and établissements.
//!
//! Each kind has a tantivy index in `<data dir>/index/<kind>`, rebuilt only when its source changes (a
//! fingerprint is kept beside it). Labels and identifiers live in RAM, packed (`entries.rs`); the index only
//! answers "which rows match", ranked by a fast field.
//!
//! Matching: every query word must match a word of the name, ignoring case and accents. The last word
//! matches by prefix (the user is still typing it); the words before it match whole ("st"/"ste" also match
//! "saint"/"sainte"). A word of two digits or more may instead match a code (postal code, FINESS number) by
//! prefix. When that finds nothing, every word matches by prefix; when that still finds nothing, a last pass
//! tolerates one typo (transposition included) on words of four letters or more, their first letter
//! excepted (`typo.rs`).
//!
//! Ranking: the rows whose name (or code) starts with the first query word come first, then by rank
//! (population for communes).
//!
//! Speed: prefixes are term ranges of the term dictionary (no automaton); the typo pass, which builds a
//! Levenshtein automaton, runs only when nothing else matched. One- to three-letter single-word queries (the
//! first keystrokes of every search, and the costliest: they match thousands of rows) are memoised; there
//! are a few thousand of them at most.

pub mod communes;
mod entries;
pub mod etablissements;
mod prefixes;
mod resolve;
pub mod tribunaux;
mod typo;

use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, RwLock};

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream,
};
use tantivy::{
    DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::rules::text;
pub use entries::EntryRef;
pub use resolve::Resolution;

/// Bumped whenever the index layout or analysis changes, so that old indexes are rebuilt.
const INDEX_FORMAT: u32 = 1;
const FOLD_TOKENIZER: &str = "fold";
/// How many candidates each pass ranks before the first-word tier sort.
const CANDIDATES: usize = 50;
/// Longest query considered: the rest of a pasted text is ignored, never an error.
const MAX_QUERY_CHARS: usize = 100;
const MAX_QUERY_WORDS: usize = 6;
/// Single-word queries up to this many characters are memoised.
const MEMO_MAX_CHARS: usize = 3;
/// Bound of the memo (the distinct one- to three-character prefixes of French names are far fewer).
const MEMO_MAX_ENTRIES: usize = 20_000;

/// One searchable row, as a kind gives it (kept packed: `entries::Rows`).
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub label: String,
    /// The words searched by prefix (a commune's name, a tribunal's name and city…).
    pub name: String,
    /// Codes searched by prefix when the query word has two digits or more.
    pub codes: Vec<String>,
    /// Higher first (population for communes).
    pub rank: u64,
}

/// FNV-1a of a byte stream: a fingerprint stable across Rust versions (unlike `DefaultHasher`).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A fingerprint of a list of entries: the index of a kind built from the database is rebuilt when it changes.
pub fn fingerprint(entries: &[Entry]) -> u64 {
    fnv1a(entries.iter().flat_map(|e| {
        let texts = [&e.id, &e.label, &e.name].into_iter().chain(&e.codes);
        texts
            .flat_map(|t| t.bytes().chain([0]))
            .chain(e.rank.to_le_bytes())
            .collect::<Vec<u8>>()
    }))
}

/// Opens or builds the index of a kind whose entries rank alphabetically by label (tribunaux,
/// établissements: SPEC §10 "alphabetical"), fingerprinted from the entries themselves.
pub fn open_alphabetical(
    index_root: &Path,
    kind: &'static str,
    mut entries: Vec<Entry>,
) -> Result<SearchIndex, SearchError> {
    entries.sort_by_cached_key(|e| text::fold(&e.label));
    let count = entries.len() as u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        // The first label ranks highest.
        entry.rank = count - i as u64;
    }
    let fingerprint = fingerprint(&entries);
    SearchIndex::open_or_build(&index_root.join(kind), kind, fingerprint, entries)
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index de recherche « {kind} » inutilisable : {reason}")]
    Index { kind: &'static str, reason: String },
}

/// An index that an import or an administrator's edit replaces while the server runs: readers take the
/// current one (an `Arc`, cheap), a rebuild swaps it whole.
pub struct LiveIndex {
    current: RwLock<Arc<SearchIndex>>,
    /// One rebuild at a time: they write the same directory.
    pub rebuilding: std::sync::Mutex<()>,
}

impl LiveIndex {
    pub fn new(index: SearchIndex) -> Self {
        LiveIndex {
            current: RwLock::new(Arc::new(index)),
            rebuilding: std::sync::Mutex::new(()),
        }
    }

    pub fn get(&self) -> Arc<SearchIndex> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The label of an entry, or its id when the entry is no longer offered (a closed établissement).
    pub fn label_or_id(&self, id: &str) -> String {
        self.get()
            .entry(id)
            .map_or_else(|| id.to_owned(), |e| e.label.to_owned())
    }

    pub fn replace(&self, index: SearchIndex) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(index);
    }
}

pub struct SearchIndex {
    kind: &'static str,
    entries: entries::Rows,
    /// The rows in the order of their ids (a binary search finds one): 4 bytes a row, where a map of the ids
    /// took 50 (issue 20's memory budget).
    by_id: Vec<u32>,
    name: Field,
    code: Field,
    searcher: Searcher,
    /// The `row` fast field of each segment, in segment order.
    rows: Vec<Column<u64>>,
    /// Ranked rows of short single-word queries.
    memo: RwLock<HashMap<String, Arc<[usize]>>>,
    /// The names' words, sorted: the one-word queries' first pass without the index (`prefixes`).
    prefixes: prefixes::PrefixWords,
    _reader: IndexReader,
}

/// How strictly query words are matched (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The last word by prefix, the others whole.
    Typed,
    /// Every word by prefix.
    Prefixes,
    /// Every word by prefix, one typo allowed on words of four letters or more.
    Typos,
}

fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn schema() -> (Schema, Field, Field) {
    let mut builder = Schema::builder();
    let name_indexing = TextFieldIndexing::default()
        .set_tokenizer(FOLD_TOKENIZER)
        .set_index_option(IndexRecordOption::Basic);
    let name = builder.add_text_field(
        "name",
        TextOptions::default().set_indexing_options(name_indexing),
    );
    let code = builder.add_text_field("code", STRING);
    builder.add_u64_field("row", FAST);
    builder.add_u64_field("rank", FAST);
    (builder.build(), name, code)
}

impl SearchIndex {
    /// Opens the index of `dir` if it was built from the same `fingerprint`, else rebuilds it from `entries`.
    pub fn open_or_build(
        dir: &Path,
        kind: &'static str,
        fingerprint: u64,
        entries: Vec<Entry>,
    ) -> Result<Self, SearchError> {
        let err = |reason: String| SearchError::Index { kind, reason };
        let stamp_path = dir.join("empreinte");
        let stamp = format!("{INDEX_FORMAT}-{fingerprint:016x}-{}", entries.len());
        let (schema, name, code) = schema();
        let reusable = std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp);
        let index = match reusable.then(|| Index::open_in_dir(dir)) {
            Some(Ok(index)) => index,
            _ => {
                tracing::info!(
                    kind,
                    rows = entries.len(),
                    "construction de l'index de recherche"
                );
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|e| err(super::errors::io_reason(&e)))?;
                }
                std::fs::create_dir_all(dir).map_err(|e| err(super::errors::io_reason(&e)))?;
                let index =
                    Index::create_in_dir(dir, schema.clone()).map_err(|e| err(e.to_string()))?;
                index.tokenizers().register(FOLD_TOKENIZER, fold_analyzer());
                Self::fill(&index, &schema, &entries).map_err(|e| err(e.to_string()))?;
                std::fs::write(&stamp_path, &stamp)
                    .map_err(|e| err(super::errors::io_reason(&e)))?;
                index
            }
        };
        index.tokenizers().register(FOLD_TOKENIZER, fold_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| err(e.to_string()))?;
        let searcher = reader.searcher();
        let rows = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("row"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(e.to_string()))?;
        let mut by_id: Vec<u32> = (0..u32::try_from(entries.len()).unwrap_or(u32::MAX)).collect();
        by_id.sort_unstable_by(|&a, &b| entries[a as usize].id.cmp(&entries[b as usize].id));
        let (prefixes, folded_names) = prefixes::PrefixWords::new(&entries);
        Ok(SearchIndex {
            kind,
            prefixes,
            entries: entries::Rows::new(entries, folded_names),
            by_id,
            name,
            code,
            searcher,
            rows,
            memo: RwLock::new(HashMap::new()),
            _reader: reader,
        })
    }

    fn fill(index: &Index, schema: &Schema, entries: &[Entry]) -> tantivy::Result<()> {
        let name = schema.get_field("name")?;
        let code = schema.get_field("code")?;
        let row = schema.get_field("row")?;
        let rank = schema.get_field("rank")?;
        let mut writer = index.writer_with_num_threads(1, 64_000_000)?;
        for (i, entry) in entries.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(name, &entry.name);
            for c in &entry.codes {
                doc.add_text(code, c);
            }
            doc.add_u64(row, i as u64);
            doc.add_u64(rank, entry.rank);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    #[cfg(test)]
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    pub fn entry(&self, id: &str) -> Option<EntryRef<'_>> {
        let at = self
            .by_id
            .binary_search_by(|&row| self.entries.id(row as usize).cmp(id))
            .ok()?;
        Some(self.entries.get(self.by_id[at] as usize))
    }

    /// The query words, folded as the index folds names; empty when the query cannot match anything.
    fn query_words(query: &str) -> Vec<String> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let mut analyzer = fold_analyzer();
        let mut stream = analyzer.token_stream(&query);
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words.truncate(MAX_QUERY_WORDS);
        words
    }

    /// Terms of `field` that start with `prefix`: a range of the term dictionary.
    fn prefix_query(field: Field, prefix: &str) -> Box<dyn Query> {
        let upper = format!("{prefix}{}", char::MAX);
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_text(field, prefix)),
            Bound::Excluded(Term::from_field_text(field, &upper)),
        ))
    }

    fn term_query(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::Basic,
        ))
    }

    /// The clause one query word adds in a pass.
    fn word_clause(&self, word: &str, is_last: bool, pass: Pass) -> Box<dyn Query> {
        let digits = word.chars().all(|c| c.is_ascii_digit());
        if digits && word.len() >= 2 {
            return Box::new(BooleanQuery::union(vec![
                Self::prefix_query(self.code, word),
                Self::prefix_query(self.name, word),
            ]));
        }
        let letters = word.chars().count();
        let whole = !is_last && (letters == 1 || pass == Pass::Typed);
        let base = if pass == Pass::Typos && !digits && letters >= 4 {
            Box::new(typo::AnchoredTypoQuery::new(self.name, word))
        } else if whole {
            Self::term_query(self.name, word)
        } else {
            Self::prefix_query(self.name, word)
        };
        match word {
            "st" => Box::new(BooleanQuery::union(vec![
                base,
                Self::term_query(self.name, "saint"),
            ])),
            "ste" => Box::new(BooleanQuery::union(vec![
                base,
                Self::term_query(self.name, "sainte"),
            ])),
            _ => base,
        }
    }

    fn run_pass(&self, words: &[String], pass: Pass) -> Vec<usize> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (Occur::Must, self.word_clause(w, i + 1 == words.len(), pass)))
            .collect();
        // One word: its clause alone, without the intersection machinery.
        let query: Box<dyn Query> = match clauses.len() {
            1 => clauses.remove(0).1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        let collector =
            TopDocs::with_limit(CANDIDATES).order_by_fast_field::<u64>("rank", Order::Desc);
        match self.searcher.search(query.as_ref(), &collector) {
            Ok(hits) => hits
                .into_iter()
                .filter_map(|(_, address)| self.row_of(address))
                .collect(),
            Err(error) => {
                // A failed query is logged and answers nothing: the autocomplete must never error out.
                tracing::error!(kind = self.kind, %error, "échec d'une recherche");
                Vec::new()
            }
        }
    }

    /// Ranked rows for query words: the strictest pass that finds something, first-word tier first.
    fn ranked_rows(&self, words: &[String]) -> Vec<usize> {
        let rows = match self.prefixes.candidates(&self.entries, words, false) {
            Some(rows) if !rows.is_empty() => rows,
            // The index's first two passes would find what the words found: nothing.
            Some(_) => match words {
                [word] if word.chars().count() >= 4 => self.one_word_typos(word),
                [_] => Vec::new(),
                _ => {
                    let rows = (self.prefixes)
                        .candidates(&self.entries, words, true)
                        .unwrap_or_default();
                    if rows.is_empty() && words.iter().any(|w| w.chars().count() >= 4) {
                        self.several_words_typos(words)
                    } else {
                        rows
                    }
                }
            },
            None => self.passes(words),
        };
        let first = &words[0];
        // Stable: within each tier the rank order of the collector stays. Each row's tier is read once (a
        // sort's key is read at each comparison: a tenth of an autocomplete's time when it was).
        // A code starts with a digit: a first word of letters is looked for among the row's terms only.
        let first_terms = (!first.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| self.prefixes.range(first, false));
        let (mut tiered, rest): (Vec<usize>, Vec<usize>) =
            rows.into_iter().partition(|&row| match &first_terms {
                Some(range) => self.prefixes.first_word_in(row, range),
                None => self.entries.starts_with(row, first),
            });
        tiered.extend(rest);
        tiered
    }

    /// The typo pass of a one-word query: the rows of the terms the typo automaton accepts, ranked from the
    /// words (the same answer as `run_pass(…, Pass::Typos)`, a unit test says).
    fn one_word_typos(&self, word: &str) -> Vec<usize> {
        self.typo_terms(word)
            .map(|terms| self.prefixes.rows_of_terms(&self.entries, &terms))
            .unwrap_or_default()
    }

    /// The terms that the index's typo automaton for `word` accepts, walked over the words' sorted terms (the
    /// index's term dictionary, without its strings); `None` (logged) if the automaton cannot be built.
    fn typo_terms(&self, word: &str) -> Option<Vec<usize>> {
        match typo::anchored_automaton(self.name, word) {
            Ok(automaton) => Some(self.prefixes.accepted_terms(&automaton)),
            Err(error) => {
                tracing::error!(kind = self.kind, %error, "échec d'une recherche");
                None
            }
        }
    }

    /// The typo pass of a query of several words: each word of four letters or more through the typo
    /// automaton's terms, the rows ranked from the words (the same answer as `run_pass(…, Pass::Typos)`, a
    /// unit test says; a tenth of the établissements' autocomplete time went to the index's pass).
    fn several_words_typos(&self, words: &[String]) -> Vec<usize> {
        if !prefixes::PrefixWords::answers(words) {
            return self.run_pass(words, Pass::Typos);
        }
        let mut typos = Vec::with_capacity(words.len());
        for word in words {
            if word.chars().count() < 4 {
                typos.push(None);
                continue;
            }
            match self.typo_terms(word) {
                Some(terms) => typos.push(Some(terms)),
                None => return Vec::new(),
            }
        }
        (self.prefixes)
            .typo_candidates(&self.entries, words, &typos)
            .unwrap_or_else(|| self.run_pass(words, Pass::Typos))
    }

    /// The index's passes: the strictest that finds something.
    fn passes(&self, words: &[String]) -> Vec<usize> {
        let mut rows = self.run_pass(words, Pass::Typed);
        if rows.is_empty() && words.len() > 1 {
            rows = self.run_pass(words, Pass::Prefixes);
        }
        if rows.is_empty() && words.iter().any(|w| w.chars().count() >= 4) {
            rows = self.run_pass(words, Pass::Typos);
        }
        rows
    }

    fn row_of(&self, address: DocAddress) -> Option<usize> {
        self.rows
            .get(address.segment_ord as usize)?
            .first(address.doc_id)
            .map(|r| r as usize)
    }

    /// The best `limit` rows for a query, best first. Bad or empty queries answer an empty list.
    pub fn search_entries(&self, query: &str, limit: usize) -> Vec<EntryRef<'_>> {
        self.search_rows(query)
            .iter()
            .take(limit)
            .map(|&row| self.entries.get(row))
            .collect()
    }

    fn search_rows(&self, query: &str) -> Arc<[usize]> {
        let query = crate::rules::text::search_input(query);
        let words = Self::query_words(query);
        let typed: usize = words.iter().map(|w| w.chars().count()).sum();
        if words.is_empty() || typed < crate::rules::AUTOCOMPLETE_MIN_CHARS {
            return Arc::new([]);
        }
        if words.len() == 1 && typed <= MEMO_MAX_CHARS {
            self.memoised_rows(&words)
        } else {
            self.ranked_rows(&words).into()
        }
    }

    /// The JSON array served by `/api/autocomplete/<kind>`. Serialised at each answer (ten entries at most)
    /// rather than kept ready for every entry: 12 MB for the 100,000 établissements of a national database
    /// (issue 20's memory budget), for a few microseconds per answer.
    pub fn suggest_json(&self, query: &str) -> String {
        #[derive(serde::Serialize)]
        struct Suggested<'a> {
            id: &'a str,
            label: &'a str,
        }
        let rows = self.search_rows(query);
        let shown: Vec<Suggested<'_>> = rows
            .iter()
            .take(crate::rules::AUTOCOMPLETE_LIMIT)
            .map(|&row| {
                let entry = self.entries.get(row);
                Suggested {
                    id: entry.id,
                    label: entry.label,
                }
            })
            .collect();
        serde_json::to_string(&shown).unwrap_or_else(|_| "[]".to_owned())
    }

    fn memoised_rows(&self, words: &[String]) -> Arc<[usize]> {
        let key = &words[0];
        if let Some(rows) = self
            .memo
            .read()
            .ok()
            .and_then(|memo| memo.get(key).cloned())
        {
            return rows;
        }
        let rows: Arc<[usize]> = self.ranked_rows(words).into();
        if let Ok(mut memo) = self.memo.write() {
            if memo.len() < MEMO_MAX_ENTRIES {
                memo.insert(key.clone(), rows.clone());
            }
        }
        rows
    }

    /// The suggestions `/api/autocomplete/<kind>` serves (as JSON, by `suggest_json`), typed for tests.
    #[cfg(test)]
    pub fn suggest(&self, query: &str) -> Vec<crate::rules::Suggestion> {
        self.search_entries(query, crate::rules::AUTOCOMPLETE_LIMIT)
            .into_iter()
            .map(|e| crate::rules::Suggestion {
                id: e.id.to_owned(),
                label: e.label.to_owned(),
            })
            .collect()
    }
}

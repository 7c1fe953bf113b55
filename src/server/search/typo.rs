//! The typo-tolerant word query: a word prefix within one edit (transposition included) of the typed
//! word, whose first letter is the typed one.
//!
//! Anchoring the first letter follows the usual observation that people rarely mistype the first letter of
//! a name, and it makes the query cheap: tantivy's plain fuzzy prefix query has to walk almost the whole
//! term dictionary (any first letter stays within one edit), this one walks a single first-letter branch.

use std::sync::Arc;

use tantivy::query::{AutomatonWeight, DfaWrapper, EnableScoring, FuzzyTermQuery, Query, Weight};
use tantivy::schema::Field;
use tantivy::Term;
use tantivy_fst::Automaton;

/// Before the first byte.
const START: u32 = u32::MAX;
/// A first byte other than the typed one: no term can match any more.
const DEAD: u32 = u32::MAX - 1;

/// The Levenshtein prefix automaton of the word, entered only through its first byte.
pub struct FirstByteAnchored {
    first: u8,
    inner: DfaWrapper,
}

impl Automaton for FirstByteAnchored {
    type State = u32;

    fn start(&self) -> u32 {
        START
    }

    fn is_match(&self, state: &u32) -> bool {
        !matches!(*state, START | DEAD) && self.inner.is_match(state)
    }

    fn can_match(&self, state: &u32) -> bool {
        match *state {
            START => true,
            DEAD => false,
            inner => self.inner.can_match(&inner),
        }
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        match *state {
            START if byte == self.first => self.inner.accept(&self.inner.start(), byte),
            START | DEAD => DEAD,
            inner => self.inner.accept(&inner, byte),
        }
    }
}

/// Matches the terms of `field` having a prefix within one edit of `word`, with the same first letter.
#[derive(Clone, Debug)]
pub struct AnchoredTypoQuery {
    field: Field,
    word: String,
}

impl AnchoredTypoQuery {
    pub fn new(field: Field, word: &str) -> Self {
        AnchoredTypoQuery {
            field,
            word: word.to_owned(),
        }
    }
}

impl Query for AnchoredTypoQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let automaton = anchored_automaton(self.field, &self.word)?;
        Ok(Box::new(AutomatonWeight::<FirstByteAnchored>::new(
            self.field,
            Arc::new(automaton),
        )))
    }
}

/// The automaton of `AnchoredTypoQuery` for `word`, for a walk of sorted terms
/// (`PrefixWords::accepted_terms`: the typo pass ranks the rows of the terms it accepts itself).
pub fn anchored_automaton(field: Field, word: &str) -> tantivy::Result<FirstByteAnchored> {
    let fuzzy = FuzzyTermQuery::new_prefix(Term::from_field_text(field, word), 1, true);
    Ok(FirstByteAnchored {
        first: word.as_bytes().first().copied().unwrap_or(0),
        inner: fuzzy.automaton()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index};

    fn count(words: &[&str], query: &str) -> usize {
        let mut builder = Schema::builder();
        let field = builder.add_text_field("w", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for w in words {
            writer.add_document(doc!(field => *w)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        searcher
            .search(&AnchoredTypoQuery::new(field, query), &Count)
            .unwrap()
    }

    #[test]
    fn one_edit_on_a_prefix_with_the_same_first_letter() {
        let words = ["calais", "calaisien", "palais", "calvados", "cal"];
        assert_eq!(
            count(&words, "calias"),
            2,
            "transposition: calais, calaisien"
        );
        assert_eq!(count(&words, "calaos"), 2, "substitution");
        assert_eq!(count(&words, "calis"), 2, "missing letter");
        assert_eq!(count(&words, "calaiss"), 2, "extra letter");
        assert_eq!(
            count(&words, "xalais"),
            0,
            "the first letter is never forgiven"
        );
        assert_eq!(count(&words, "cxlvxdos"), 0, "two edits are too many");
    }
}

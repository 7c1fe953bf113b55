//! What a user typed in an autocomplete field, resolved without JavaScript (SPEC §10): the entry, or why not.

use super::{EntryRef, SearchIndex};
use crate::rules::text;

/// The outcome of resolving a typed text without JavaScript (SPEC §10).
#[derive(Debug)]
pub enum Resolution<'a> {
    /// Nothing was typed.
    Empty,
    One(EntryRef<'a>),
    None,
    Several(Vec<EntryRef<'a>>),
}

impl SearchIndex {
    /// `resolve`, told in a form: the entry, or the field's error in `out` (`empty` when nothing was typed, if
    /// the field needs a value; `none` when nothing matches) and, for several matches, the radios of "Plusieurs
    /// résultats correspondent à « <saisie> » : choisissez-en un.".
    pub fn resolve_in_form(
        &self,
        out: &mut crate::api::form::FormState,
        field: &str,
        typed: &str,
        chosen_id: Option<&str>,
        empty: Option<String>,
        none: String,
    ) -> Option<EntryRef<'_>> {
        match self.resolve(typed, chosen_id) {
            Resolution::One(entry) => Some(entry),
            Resolution::Empty => {
                if let Some(message) = empty {
                    out.fail(field, message);
                }
                None
            }
            Resolution::None => {
                out.fail(field, none);
                None
            }
            Resolution::Several(entries) => {
                let typed = typed.trim();
                out.fail(
                    field,
                    format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un."),
                );
                out.choices.push((
                    field.to_owned(),
                    typed.to_owned(),
                    entries
                        .iter()
                        .map(|e| crate::rules::Suggestion {
                            id: e.id.to_owned(),
                            label: e.label.to_owned(),
                        })
                        .collect(),
                ));
                None
            }
        }
    }

    /// Resolves what a user typed in a field without JavaScript, or the option they picked (SPEC §10): a
    /// known chosen id wins; one match, or exactly one whose label, name or code is what was typed, is
    /// accepted; none and several are told apart.
    pub fn resolve(&self, typed: &str, chosen_id: Option<&str>) -> Resolution<'_> {
        if let Some(entry) = chosen_id
            .filter(|id| !id.is_empty())
            .and_then(|id| self.entry(id))
        {
            return Resolution::One(entry);
        }
        if typed.trim().is_empty() {
            return Resolution::Empty;
        }
        let found = self.search_entries(typed, crate::rules::AUTOCOMPLETE_LIMIT);
        if found.len() == 1 {
            return Resolution::One(found[0]);
        }
        let typed_trimmed = typed.trim();
        let exact: Vec<EntryRef<'_>> = found
            .iter()
            .copied()
            .filter(|e| {
                text::same_words(e.label, typed)
                    || text::same_words(e.name, typed)
                    || e.codes().any(|c| c == typed_trimmed)
            })
            .collect();
        match (exact.len(), found.is_empty()) {
            (1, _) => Resolution::One(exact[0]),
            (_, true) => Resolution::None,
            _ => Resolution::Several(found),
        }
    }
}

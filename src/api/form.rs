//! The state a refused form comes back with, and the answer of every form's server function.

use serde::{Deserialize, Serialize};

use crate::api::Suggestion;

/// The longest value a refused form shows again (see `FormState::set`).
pub const MAX_ECHO_CHARS: usize = 4096;

/// What a submitted form comes back with when it is refused: the values to re-fill (without passwords), the
/// errors in the order of the form, and the choices of ambiguous autocomplete fields (SPEC §2, §10).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub values: Vec<(String, String)>,
    pub lists: Vec<(String, Vec<String>)>,
    pub errors: Vec<(String, String)>,
    /// (field, typed text, options).
    pub choices: Vec<(String, String, Vec<Suggestion>)>,
}

impl FormState {
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        self.lists
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }

    pub fn choice(&self, field: &str) -> Option<(String, Vec<Suggestion>)> {
        self.choices
            .iter()
            .find(|(f, _, _)| f == field)
            .map(|(_, typed, options)| (typed.clone(), options.clone()))
    }

    /// Keeps a typed value to show it again. Values longer than any field's maximum (2,000 characters) are
    /// kept up to `MAX_ECHO_CHARS`: enough for the user to see what was too long, and a refused form never
    /// holds more than a few kilobytes per field in memory.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let mut value = value.into();
        if value.len() > MAX_ECHO_CHARS {
            if let Some((cut, _)) = value.char_indices().nth(MAX_ECHO_CHARS) {
                value.truncate(cut);
            }
        }
        self.values.push((name.to_owned(), value));
    }

    /// Sets the values of a form as they were typed, in the form's order (what a refusal sends back).
    pub fn set_all(&mut self, values: &[(&str, &String)]) {
        for (name, value) in values {
            self.set(name, (*value).clone());
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        if self.error(field).is_none() {
            self.errors.push((field.to_owned(), message.into()));
        }
    }
}

/// The answer of a form's server function. On success the server also redirects (a plain form follows the
/// redirect; with JavaScript the router does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FormReply {
    Done,
    /// Saved, and the page stays: the message to show there (with JavaScript; a plain form finds it after
    /// the redirect).
    Saved(String),
    /// Refused: nothing changed.
    Invalid(FormState),
}

/// What a page finds waiting for it after a redirect: the refused form (no JavaScript) and the one-time
/// status message of a success.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageFlash {
    pub form: Option<FormState>,
    pub notice: Option<String>,
}

//! The state a refused form comes back with, and the answer of every form's server function.

use serde::{Deserialize, Serialize};

use crate::api::Suggestion;

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

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.push((name.to_owned(), value.into()));
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
    /// Too many attempts from this connection (429): nothing was checked.
    Throttled(String),
}

/// What a page finds waiting for it after a redirect: the refused form (no JavaScript) and the one-time
/// status message of a success.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageFlash {
    pub form: Option<FormState>,
    pub notice: Option<String>,
}

//! One parse step per form ("parse, don't validate"): the raw form as it was posted becomes a typed, checked
//! value, or the form state to send back (the values as typed, the errors in the form's order, the choices of
//! ambiguous autocomplete fields). What a parse needs to know of the reference data (communes,
//! établissements, numéros RG already taken) comes in as a small trait that the server implements; the
//! server function then only authorises, parses, writes and answers.

pub mod account;
pub mod admin_user;
pub mod mesure;
pub mod profile;
pub mod reservation;
pub mod service;
pub mod tribunal;

use crate::api::form::FormState;

/// A commune of the embedded list, as a form's "Code postal" + "Commune" designate it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub code_insee: String,
    pub code_postal: String,
    pub commune: String,
}

/// The reference data a form's fields are checked against. Each method tells its field's error (and the
/// choices of several matches) in `out`, and returns `None` then.
pub trait References {
    /// "Code postal" + "Commune" (SPEC §4.1, §9): the place, or the errors of both fields.
    fn place(
        &self,
        out: &mut FormState,
        code_postal: &str,
        commune: &str,
        commune_id: &str,
        commune_choix: &str,
    ) -> Option<Place>;

    /// "Établissement": the FINESS number picked (`chosen`) or typed, or the field's error.
    fn etablissement(
        &self,
        out: &mut FormState,
        typed: &str,
        chosen: Option<&str>,
    ) -> Option<String>;
}

/// Orders `out`'s errors as the fields stand in the form (the summary lists them in that order).
pub fn in_form_order(out: &mut FormState, fields: &[&str]) {
    out.errors
        .sort_by_key(|(field, _)| fields.iter().position(|f| f == field).unwrap_or(usize::MAX));
}

/// The state sent back when `out` holds errors, the value otherwise.
pub fn finish<T>(mut out: FormState, fields: &[&str], value: Option<T>) -> Result<T, FormState> {
    in_form_order(&mut out, fields);
    match value {
        Some(value) if out.errors.is_empty() => Ok(value),
        _ => Err(out),
    }
}

//! The form toolkit of the server: the answers of a refused or accepted form (with and without
//! JavaScript), and the field checks that several forms share (identity, e-mail, telephones, place,
//! capacity, établissements).

use axum::http::request::Parts;

use redb::ReadableDatabase;

use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::users::{self, CreateUserError};
use crate::rules::profile::{self as rules};
use crate::rules::{text, Suggestion};
use crate::server::auth::password;
use crate::server::context::plain_form_post;
use crate::server::{flash, AppState};

/// Added to a password field's message when the page comes back without JavaScript: the field is empty.
const RETYPE: &str = "Saisissez-le à nouveau.";

/// A refused form: without JavaScript it is kept for its page and the browser is sent back there, password
/// fields emptied and their messages asking to type them again; with JavaScript the state is the answer.
pub(crate) fn refuse(
    parts: &Parts,
    form: &str,
    page: &str,
    mut state: FormState,
    password_fields: &[&str],
) -> FormReply {
    state
        .values
        .retain(|(name, _)| !password_fields.contains(&name.as_str()));
    if plain_form_post(parts) {
        for (field, message) in &mut state.errors {
            if password_fields.contains(&field.as_str()) {
                message.push(' ');
                message.push_str(RETYPE);
            }
        }
        flash::keep_refused_form(parts, form, &state);
        crate::server::context::redirect(page);
    }
    FormReply::Invalid(state)
}

/// Success: the next page shows `notice` once.
pub(crate) fn done(parts: &Parts, target: &str, notice: Option<&str>) -> FormReply {
    if let Some(message) = notice {
        flash::keep_notice(parts, message);
    }
    crate::server::context::redirect(target);
    FormReply::Done
}

use crate::rules::forms::account::{AccountReferences, ProfileIdentity};
use crate::rules::forms::tribunal::{CommuneFacts, TribunalReferences};
use crate::rules::forms::{Place, References};

/// Writes the identity into the account in `write`. `Ok(Err(message))` when the e-mail belongs to another
/// account (nothing is written then).
pub(crate) fn store_profile_identity(
    write: &redb::WriteTransaction,
    user_id: u64,
    identity: &ProfileIdentity,
) -> Result<Result<(), String>, AppError> {
    let Some(mut stored) = users::get_in(write, user_id)? else {
        return Err(AppError::NotFound);
    };
    stored.nom = identity.nom.clone();
    stored.prenom = identity.prenom.clone();
    stored.email = identity.email.clone();
    match users::put(write, &stored) {
        Ok(()) => Ok(Ok(())),
        Err(CreateUserError::Store(e)) => Err(AppError::internal(e)),
        Err(taken) => Ok(Err(taken.to_string())),
    }
}

/// The (INSEE code, code postal, commune name) of "Code postal" + "Commune" (SPEC §4.1, §9).
pub fn check_place(
    state: &AppState,
    out: &mut FormState,
    code_postal: &str,
    commune: &str,
    commune_id: &str,
    commune_choix: &str,
) -> Option<(String, String, String)> {
    if code_postal.trim().is_empty() {
        out.fail("code_postal", rules::required("Code postal"));
        if commune.trim().is_empty() && commune_id.is_empty() {
            out.fail("commune", rules::required("Commune"));
        }
        return None;
    }
    let code_postal = match rules::code_postal_format(code_postal) {
        Ok(cp) => cp,
        Err(message) => {
            out.fail("code_postal", message);
            if commune.trim().is_empty() && commune_id.is_empty() {
                out.fail("commune", rules::required("Commune"));
            }
            return None;
        }
    };
    let reference = &state.reference;
    let places = reference.places_of_code_postal(&code_postal);
    if places.is_empty() {
        out.fail("code_postal", rules::CODE_POSTAL_UNKNOWN);
        return None;
    }
    let found = |place: crate::server::reference::Place| {
        let c = reference.commune_of(place);
        (c.code_insee.clone(), code_postal.clone(), c.nom.clone())
    };
    let chosen = [commune_choix, commune_id]
        .into_iter()
        .find(|id| !id.is_empty());
    if let Some(id) = chosen {
        if let Some(place) = places
            .iter()
            .copied()
            .find(|&p| reference.place_id(p) == id)
        {
            return Some(found(place));
        }
    }
    let typed = commune.trim();
    if typed.is_empty() {
        if places.len() == 1 {
            return Some(found(places[0]));
        }
        out.fail("commune", rules::required("Commune"));
        out.choices.push((
            "commune".to_owned(),
            String::new(),
            places
                .iter()
                .map(|&p| Suggestion {
                    id: reference.place_id(p),
                    label: reference.place_label(p),
                })
                .collect(),
        ));
        return None;
    }
    let matching: Vec<_> = places
        .iter()
        .copied()
        .filter(|&p| {
            text::same_words(&reference.commune_of(p).nom, typed)
                || text::same_words(&reference.place_label(p), typed)
        })
        .collect();
    match matching.as_slice() {
        [place] => Some(found(*place)),
        _ => {
            out.fail(
                "commune",
                format!(
                    "La commune « {typed} » ne correspond pas au code postal {code_postal}. Choisissez-la dans la liste."
                ),
            );
            None
        }
    }
}

/// The établissements of the form and their labels, for its list.
pub(crate) fn push_etablissements(state: &AppState, out: &mut FormState, finess: &[String]) {
    let labels = finess
        .iter()
        .map(|f| state.etablissements.label_or_id(f))
        .collect();
    out.lists
        .push(("etablissements".to_owned(), finess.to_vec()));
    out.lists
        .push(("etablissements_libelles".to_owned(), labels));
}

/// "Aucun établissement ne correspond à « <saisie> »…" (SPEC §10).
pub fn etablissement_unknown(typed: &str) -> String {
    format!(
        "Aucun établissement ne correspond à « {} ». Vérifiez l'orthographe ou saisissez le numéro FINESS.",
        typed.trim()
    )
}

/// The server's reference data (embedded communes, établissements index) as the forms' parse steps see it.
pub struct StateReferences<'a>(pub &'a AppState);

impl References for StateReferences<'_> {
    fn place(
        &self,
        out: &mut FormState,
        code_postal: &str,
        commune: &str,
        commune_id: &str,
        commune_choix: &str,
    ) -> Option<Place> {
        check_place(self.0, out, code_postal, commune, commune_id, commune_choix).map(
            |(code_insee, code_postal, commune)| Place {
                code_insee,
                code_postal,
                commune,
            },
        )
    }

    fn etablissement(
        &self,
        out: &mut FormState,
        typed: &str,
        chosen: Option<&str>,
    ) -> Option<String> {
        let index = self.0.etablissements.get();
        let entry = index.resolve_in_form(
            out,
            "etablissement",
            typed.trim(),
            chosen,
            Some(crate::rules::mesure::ETABLISSEMENT_MISSING.to_owned()),
            etablissement_unknown(typed),
        )?;
        Some(entry.id.to_owned())
    }
}

impl AccountReferences for StateReferences<'_> {
    /// A storage failure reads as free: the creation, which checks again in its transaction, will tell.
    fn login_taken(&self, login: &str) -> bool {
        self.0
            .db
            .begin_read()
            .ok()
            .and_then(|read| users::find_by_login(&read, login).ok())
            .flatten()
            .is_some()
    }

    fn password_problem(&self, password: &str, identifiant: &str, email: &str) -> Option<String> {
        password::policy_error(password, identifiant, email).map(str::to_owned)
    }

    fn tribunal(&self, out: &mut FormState, typed: &str, chosen: Option<&str>) -> Option<u64> {
        self.0
            .tribunaux
            .get()
            .resolve_in_form(
                out,
                "tribunal",
                typed,
                chosen,
                Some(rules::TRIBUNAL_MISSING.to_owned()),
                format!(
                    "Aucun tribunal ne correspond à « {} ». Vérifiez l'orthographe.",
                    typed.trim()
                ),
            )
            .and_then(|entry| entry.id.parse::<u64>().ok())
    }
}

impl TribunalReferences for StateReferences<'_> {
    fn commune(&self, code_insee: &str) -> Option<CommuneFacts> {
        self.0.reference.commune(code_insee).map(|c| CommuneFacts {
            nom: c.nom.clone(),
            departement: c.departement.clone(),
            coordinates: c.coordinates,
        })
    }
}

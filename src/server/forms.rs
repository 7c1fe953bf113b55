//! The form toolkit of the server: the answers of a refused or accepted form (with and without
//! JavaScript), and the field checks that several forms share (identity, e-mail, telephones, place,
//! capacity, établissements).

use axum::http::request::Parts;

use redb::ReadableDatabase;

use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::users::{self, CreateUserError, User};
use crate::rules::account::{normalize_email, normalize_identifiant};
use crate::rules::profile::{self as rules, Genre};
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
        leptos_axum::redirect(page);
    }
    FormReply::Invalid(state)
}

/// Success: the next page shows `notice` once.
pub(crate) fn done(parts: &Parts, target: &str, notice: Option<&str>) -> FormReply {
    if let Some(message) = notice {
        flash::keep_notice(parts, message);
    }
    leptos_axum::redirect(target);
    FormReply::Done
}

/// The identity fields common to both sign-ups, checked in the order of the form.
pub(crate) struct Identity {
    pub(crate) identifiant: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) nom: Option<String>,
    pub(crate) prenom: Option<String>,
    pub(crate) genre: Option<Genre>,
    pub(crate) password: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn check_identity(
    state: &AppState,
    out: &mut FormState,
    identifiant: &str,
    mot_de_passe: &str,
    confirmation: &str,
    nom: &str,
    prenom: &str,
    genre: &str,
    email_field: Option<&str>,
    email: &str,
) -> Identity {
    let identifiant = if identifiant.trim().is_empty() {
        out.fail("identifiant", rules::required("Identifiant désiré"));
        None
    } else {
        normalize_identifiant(identifiant)
            .map_err(|m| out.fail("identifiant", m))
            .ok()
            .filter(|identifiant| {
                // Told with the other errors, not only once everything else is right (SPEC §18, 3).
                let taken = taken(state, identifiant);
                if taken {
                    out.fail("identifiant", crate::rules::account::IDENTIFIANT_TAKEN);
                }
                !taken
            })
    };
    let normalized_email = normalize_email(email).ok();
    let password = if mot_de_passe.is_empty() {
        out.fail("mot_de_passe", rules::required("Mot de passe désiré"));
        None
    } else {
        match password::policy_error(
            mot_de_passe,
            identifiant.as_deref().unwrap_or(""),
            normalized_email.as_deref().unwrap_or(""),
        ) {
            Some(message) => {
                out.fail("mot_de_passe", message);
                None
            }
            None => Some(mot_de_passe.to_owned()),
        }
    };
    if confirmation.is_empty() {
        out.fail(
            "confirmation",
            rules::required("Confirmation du mot de passe"),
        );
    } else if confirmation != mot_de_passe {
        out.fail("confirmation", rules::PASSWORDS_DIFFER);
    }
    let (nom, prenom, genre) = check_person(out, nom, prenom, genre);
    let email = match email_field {
        // The mandataire form checks the e-mail later, at its place in the form.
        Some(_) => normalized_email,
        None => check_email(state, out, email),
    };
    Identity {
        identifiant,
        email,
        nom,
        prenom,
        genre,
        password,
    }
}

pub(crate) fn check_email(state: &AppState, out: &mut FormState, email: &str) -> Option<String> {
    if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        return None;
    }
    let email = normalize_email(email)
        .map_err(|m| out.fail("email", m))
        .ok()?;
    if taken(state, &email) {
        out.fail("email", crate::rules::account::EMAIL_TAKEN);
        return None;
    }
    Some(email)
}

/// True when an account already uses this identifiant or e-mail (the creation checks again, in its
/// transaction). A storage failure reads as free: the creation will tell.
pub(crate) fn taken(state: &AppState, login: &str) -> bool {
    state
        .db
        .begin_read()
        .ok()
        .and_then(|read| users::find_by_login(&read, login).ok())
        .flatten()
        .is_some()
}

pub(crate) use crate::rules::forms::in_form_order;
use crate::rules::forms::{Place, References};

/// "Nom", "Prénom" and "Genre" (SPEC §4.1), for the sign-ups and the profile edits.
pub(crate) fn check_person(
    out: &mut FormState,
    nom: &str,
    prenom: &str,
    genre: &str,
) -> (Option<String>, Option<String>, Option<Genre>) {
    let nom = rules::bounded_text(nom, "Nom", 100, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let prenom = rules::bounded_text(prenom, "Prénom", 100, "Le prénom", true)
        .map_err(|m| out.fail("prenom", m))
        .ok();
    let genre = Genre::from_code(genre);
    if genre.is_none() {
        out.fail("genre", rules::GENRE_MISSING);
    }
    (nom, prenom, genre)
}

/// The identity part of both profile edits (SPEC §5.7, §6.6): "Nom", "Prénom", "Genre" and "Adresse email".
pub(crate) struct ProfileIdentity {
    pub nom: String,
    pub prenom: String,
    pub genre: Genre,
    pub email: String,
    /// The e-mail differs from the account's: the current password must be checked before storing.
    pub email_changes: bool,
}

/// Checks the identity fields of a profile edit into `out` (the e-mail changes only with "Mot de passe
/// actuel", field `mot_de_passe_actuel`); `None` when one is refused.
pub(crate) fn check_profile_identity(
    out: &mut FormState,
    user: &User,
    nom: &str,
    prenom: &str,
    genre: &str,
    email: &str,
    current_password: &str,
) -> Option<ProfileIdentity> {
    let (nom, prenom, genre) = check_person(out, nom, prenom, genre);
    let email = if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let email_changes = email.as_ref().is_some_and(|e| *e != user.email);
    if email_changes && current_password.is_empty() {
        out.fail("mot_de_passe_actuel", rules::CURRENT_PASSWORD_NEEDED);
    }
    Some(ProfileIdentity {
        nom: nom?,
        prenom: prenom?,
        genre: genre?,
        email: email?,
        email_changes,
    })
}

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

/// "Téléphone" (required) and "Téléphone portable" (optional), as sign-up and "Mes informations" check them.
pub(crate) fn check_telephones(
    out: &mut FormState,
    telephone: &str,
    portable: &str,
) -> (Option<String>, Option<Option<String>>) {
    let telephone = if telephone.trim().is_empty() {
        out.fail("telephone", rules::required("Téléphone"));
        None
    } else {
        rules::telephone(telephone)
            .map_err(|m| out.fail("telephone", m))
            .ok()
    };
    let portable = if portable.trim().is_empty() {
        Some(None)
    } else {
        rules::telephone(portable)
            .map(Some)
            .map_err(|m| out.fail("telephone_portable", m))
            .ok()
    };
    (telephone, portable)
}

/// "Nombre de mesures souhaitées" (required).
pub(crate) fn check_capacity(out: &mut FormState, input: &str) -> Option<u32> {
    if input.trim().is_empty() {
        out.fail(
            "mesures_souhaitees",
            rules::required("Nombre de mesures souhaitées"),
        );
        None
    } else {
        rules::capacity(input)
            .map_err(|m| out.fail("mesures_souhaitees", m))
            .ok()
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
        Some(entry.id.clone())
    }
}

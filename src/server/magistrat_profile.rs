//! Server-function bodies of the magistrat's "Mes informations" (SPEC §6.6). The profile is always the
//! caller's own (from the session); the tribunal is not editable here (admins change it, §7).

use leptos::server_fn::ServerFnError;

use crate::app::components::form::{FormReply, FormState};
use crate::app::pages::magistrat::informations::{
    MagistratFacts, MagistratProfileFields, MagistratProfileValues,
};
use crate::app::pages::magistrat::MagistratPage;
use crate::db::users::{self, CreateUserError};
use crate::db::{audit, profiles};
use crate::rules::account::{normalize_email, Role};
use crate::rules::profile::{self as rules, Genre};
use crate::server::accounts::{
    done, in_form_order, refuse, verify_password, CURRENT_PASSWORD_WRONG,
};
use crate::server::auth::{self, app_state, client_ip, internal, not_found, request_parts};
use crate::server::magistrat_space::magistrat_page;

const INFORMATIONS_PAGE: &str = "/magistrat/informations";
const PROFILE_PAGE: &str = "/magistrat/informations/modifier";
const PROFILE_FORM: &str = "profil";
pub const PROFILE_SAVED: &str = "Vos informations ont bien été modifiées.";
const PROFILE_FIELDS: &[&str] = &[
    "nom",
    "prenom",
    "genre",
    "email",
    "mot_de_passe_actuel",
    "cabinet",
];

pub fn informations_page() -> Result<MagistratPage<MagistratFacts>, ServerFnError> {
    let state = app_state()?;
    magistrat_page(&state, "", |space| {
        let (caller, profile, tribunal) = (&space.caller, &space.profile, &space.tribunal);
        let user = &caller.user;
        Ok(MagistratFacts {
            coordonnees: vec![
                ("Identifiant".to_owned(), user.identifiant.clone()),
                ("Nom".to_owned(), user.nom.clone()),
                ("Prénom".to_owned(), user.prenom.clone()),
                ("Genre".to_owned(), profile.genre.label().to_owned()),
                ("Adresse email".to_owned(), user.email.clone()),
                ("Tribunal".to_owned(), tribunal.to_owned()),
                (
                    "Cabinet".to_owned(),
                    if profile.cabinet.is_empty() {
                        "Non renseigné".to_owned()
                    } else {
                        profile.cabinet.clone()
                    },
                ),
            ],
            tribunal: tribunal.to_owned(),
        })
    })
}

pub fn form_page() -> Result<MagistratPage<MagistratProfileValues>, ServerFnError> {
    let state = app_state()?;
    magistrat_page(&state, PROFILE_FORM, |space| {
        let (caller, profile, tribunal) = (&space.caller, &space.profile, &space.tribunal);
        let user = &caller.user;
        let mut values = FormState::default();
        for (name, value) in [
            ("nom", user.nom.clone()),
            ("prenom", user.prenom.clone()),
            ("genre", profile.genre.code().to_owned()),
            ("email", user.email.clone()),
            ("cabinet", profile.cabinet.clone()),
        ] {
            values.set(name, value);
        }
        Ok(MagistratProfileValues {
            tribunal: tribunal.to_owned(),
            values,
        })
    })
}

/// "Valider" of "Modifier mon profil": the §4.1/§4.2 rules; the e-mail changes only with the current
/// password; one write transaction for the account, the profile and the audit entry.
pub async fn save(form: MagistratProfileFields) -> Result<FormReply, ServerFnError> {
    let state = app_state()?;
    let parts = request_parts()?;
    let caller = auth::require(&[Role::Magistrat])?;
    let user = caller.user.clone();
    let mut out = FormState::default();
    for (name, value) in [
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("email", &form.email),
        ("cabinet", &form.cabinet),
    ] {
        out.set(name, value.clone());
    }
    let nom = rules::bounded_text(&form.nom, "Nom", 100, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let prenom = rules::bounded_text(&form.prenom, "Prénom", 100, "Le prénom", true)
        .map_err(|m| out.fail("prenom", m))
        .ok();
    let genre = Genre::from_code(&form.genre);
    if genre.is_none() {
        out.fail("genre", rules::GENRE_MISSING);
    }
    let email = if form.email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(&form.email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let email_changes = email.as_ref().is_some_and(|e| *e != user.email);
    if email_changes && form.mot_de_passe_actuel.is_empty() {
        out.fail("mot_de_passe_actuel", rules::CURRENT_PASSWORD_NEEDED);
    }
    let cabinet = rules::bounded_text(&form.cabinet, "Cabinet", 20, "Le cabinet", false)
        .map_err(|m| out.fail("cabinet", m))
        .ok();
    in_form_order(&mut out, PROFILE_FIELDS);
    let password_fields = &["mot_de_passe_actuel"];
    let (Some(nom), Some(prenom), Some(genre), Some(email), Some(cabinet), true) =
        (nom, prenom, genre, email, cabinet, out.errors.is_empty())
    else {
        return Ok(refuse(
            &parts,
            PROFILE_FORM,
            PROFILE_PAGE,
            out,
            password_fields,
        ));
    };
    if email_changes
        && !verify_password(form.mot_de_passe_actuel.clone(), user.password_hash.clone()).await?
    {
        out.fail("mot_de_passe_actuel", CURRENT_PASSWORD_WRONG);
        return Ok(refuse(
            &parts,
            PROFILE_FORM,
            PROFILE_PAGE,
            out,
            password_fields,
        ));
    }
    let ip = client_ip(&state, &parts);
    let write = state.db.begin_write().map_err(internal)?;
    let Some(mut stored_user) = users::get_in(&write, user.id).map_err(internal)? else {
        return Err(not_found());
    };
    let Some(mut profile) = profiles::magistrat_in(&write, user.id).map_err(internal)? else {
        return Err(not_found());
    };
    stored_user.nom = nom;
    stored_user.prenom = prenom;
    stored_user.email = email;
    match users::put(&write, &stored_user) {
        Ok(()) => {}
        Err(CreateUserError::Store(e)) => return Err(internal(e)),
        Err(taken) => {
            drop(write);
            out.fail("email", taken.to_string());
            return Ok(refuse(
                &parts,
                PROFILE_FORM,
                PROFILE_PAGE,
                out,
                password_fields,
            ));
        }
    }
    // Only these two: the tribunal stays what the admins set.
    profile.genre = genre;
    profile.cabinet = cabinet;
    profiles::put_magistrat(&write, user.id, &profile).map_err(internal)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Profil modifié",
        &format!("utilisateur {}", user.id),
        "Succès",
    )
    .map_err(internal)?;
    write.commit().map_err(internal)?;
    Ok(done(&parts, INFORMATIONS_PAGE, Some(PROFILE_SAVED)))
}

//! Server-function bodies of the magistrat's "Mes informations" (SPEC §6.6). The profile is always the
//! caller's own (from the session); the tribunal is not editable here (admins change it, §7).

use crate::api::form::{FormReply, FormState};
use crate::api::magistrat::MagistratPage;
use crate::api::magistrat::{MagistratFacts, MagistratProfileFields, MagistratProfileValues};
use crate::api::AppError;
use crate::db::{audit, profiles};
use crate::rules::forms::profile::{magistrat_echo, parse_magistrat_profile, MagistratProfile};

use crate::server::context::Ctx;
use crate::server::forms::{done, refuse, store_profile_identity};
use crate::server::magistrat::magistrat_page;

const INFORMATIONS_PAGE: &str = "/magistrat/informations";
const PROFILE_PAGE: &str = "/magistrat/informations/modifier";
const PROFILE_FORM: &str = "profil";
pub const PROFILE_SAVED: &str = "Vos informations ont bien été modifiées.";

pub fn informations_page() -> Result<MagistratPage<MagistratFacts>, AppError> {
    let cx = Ctx::magistrat()?;
    let _state = &cx.state;
    magistrat_page(&cx, "", |space| {
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

pub fn form_page() -> Result<MagistratPage<MagistratProfileValues>, AppError> {
    let cx = Ctx::magistrat()?;
    let _state = &cx.state;
    magistrat_page(&cx, PROFILE_FORM, |space| {
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
pub async fn save(form: MagistratProfileFields) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::magistrat()?;
    let user = caller.user.clone();
    // A refusal: back to the form, "Mot de passe actuel" never echoed.
    let refused = |out: FormState| {
        Ok(refuse(
            &parts,
            PROFILE_FORM,
            PROFILE_PAGE,
            out,
            &["mot_de_passe_actuel"],
        ))
    };
    let MagistratProfile { identity, cabinet } = match parse_magistrat_profile(&form, &user.email) {
        Ok(profile) => profile,
        Err(out) => return refused(out),
    };
    let mut out = magistrat_echo(&form);
    if identity.email_changes {
        if let Err(message) = crate::server::accounts::check_current_password(
            &state,
            &ip,
            &user,
            form.mot_de_passe_actuel.clone(),
        )
        .await?
        {
            out.fail("mot_de_passe_actuel", message);
            return refused(out);
        }
    }
    let write = crate::server::blocking::begin_write(&state.db)?;
    let Some(mut profile) = profiles::magistrat_in(&write, user.id)? else {
        return Err(AppError::NotFound);
    };
    if let Err(taken) = store_profile_identity(&write, user.id, &identity)? {
        drop(write);
        out.fail("email", taken);
        return refused(out);
    }
    // Only these two: the tribunal stays what the admins set.
    profile.genre = identity.genre;
    profile.cabinet = cabinet;
    profiles::put_magistrat(&write, user.id, &profile)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Profil modifié",
        &format!("utilisateur {}", user.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, INFORMATIONS_PAGE, Some(PROFILE_SAVED)))
}

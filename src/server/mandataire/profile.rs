//! Server-function bodies of "Mes informations" (SPEC §5.7): the profile, its edit, the tribunaux and the
//! préposé's établissements. The profile is always the caller's own (from the session).

use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::SpacePage;
use crate::api::mandataire::{Informations, PickForm, ProfileForm};
use crate::api::{AppError, AppResult};
use crate::db::{audit, now, profiles, tribunaux};
use crate::rules::account::Role;
use crate::rules::format::decimal;
use crate::rules::forms::profile::{mandataire_echo, parse_mandataire_profile, MandataireProfile};
use crate::rules::forms::Place;
use crate::rules::profile::{self as rules, secretariat_sentence};
use crate::rules::Suggestion;

use crate::server::context::Ctx;
use crate::server::forms::{refuse, store_profile_identity, StateReferences};
use crate::server::mandataire::space_page;
use crate::server::time::local_date;
use crate::server::{flash, AppState};

const INFORMATIONS_PAGE: &str = "/mandataire/informations";
const PROFILE_PAGE: &str = "/mandataire/informations/modifier";
const ETABLISSEMENT_PAGE: &str = "/mandataire/informations/etablissements/ajouter";
pub const PROFILE_SAVED: &str = "Vos informations ont bien été modifiées.";
pub const TRIBUNAL_ADDED: &str = "Le tribunal a bien été ajouté.";
pub const TRIBUNAL_REMOVED: &str = "Le tribunal a bien été retiré.";
pub const ETABLISSEMENT_ADDED: &str = "L'établissement a bien été ajouté.";
pub const ETABLISSEMENT_REMOVED: &str = "L'établissement a bien été retiré.";

fn tribunal_labels(read: &redb::ReadTransaction, ids: &[u64]) -> Vec<Suggestion> {
    ids.iter()
        .map(|&id| Suggestion {
            id: id.to_string(),
            label: tribunaux::get(read, id)
                .ok()
                .flatten()
                .map_or_else(|| format!("Tribunal {id}"), |t| t.nom),
        })
        .collect()
}

pub fn informations_page() -> Result<SpacePage<Informations>, AppError> {
    let cx = Ctx::mandataire()?;
    let state = &cx.state;
    space_page(&cx, "tribunal", |read, caller, profile| {
        let user = &caller.user;
        let service = (user.role == Role::Service)
            .then(|| crate::server::service::service_of(read, caller))
            .transpose()?;
        let mut coordonnees = vec![
            ("Identifiant".to_owned(), user.identifiant.clone()),
            ("Nom".to_owned(), user.nom.clone()),
            ("Prénom".to_owned(), user.prenom.clone()),
            ("Genre".to_owned(), profile.genre.label().to_owned()),
            ("Adresse".to_owned(), profile.adresse.clone()),
            ("Code postal".to_owned(), profile.code_postal.clone()),
            ("Commune".to_owned(), profile.commune.clone()),
            ("Téléphone".to_owned(), profile.telephone.clone()),
        ];
        if let Some(portable) = &profile.telephone_portable {
            coordonnees.push(("Téléphone portable".to_owned(), portable.clone()));
        }
        coordonnees.push(("Adresse email".to_owned(), user.email.clone()));
        if let Some(service) = &service {
            // A service's information: its name, SIRET, contact and address (the member's own identifiant
            // first, then the service's).
            coordonnees = vec![
                ("Identifiant".to_owned(), user.identifiant.clone()),
                ("Nom du service".to_owned(), service.nom.clone()),
                (
                    "SIRET".to_owned(),
                    crate::rules::service::siret_display(&service.siret),
                ),
                (
                    "Contact".to_owned(),
                    format!("{} {}", service.contact_prenom, service.contact_nom)
                        .trim()
                        .to_owned(),
                ),
                ("Adresse".to_owned(), profile.adresse.clone()),
                ("Code postal".to_owned(), profile.code_postal.clone()),
                ("Commune".to_owned(), profile.commune.clone()),
                ("Téléphone".to_owned(), profile.telephone.clone()),
                ("Adresse email du service".to_owned(), service.email.clone()),
            ];
        }
        let modifiable = service
            .as_ref()
            .is_none_or(|s| s.is_administrateur(user.id));
        Ok(Informations {
            suspension: profile
                .suspension
                .as_ref()
                .map(|s| (local_date(s.depuis), s.motif.clone())),
            modifiable,
            coordonnees,
            mesures_souhaitees: profile.mesures_souhaitees,
            secretariat: secretariat_sentence(
                profile.secretariat,
                profile.secretariat_etp_centiemes,
            ),
            informations: profile.informations.clone(),
            tribunaux: tribunal_labels(read, &profile.tribunaux),
            etablissements: (user.role == Role::Prepose).then(|| {
                profile
                    .etablissements
                    .iter()
                    .map(|f| Suggestion {
                        id: f.clone(),
                        label: state.etablissements.label_or_id(f),
                    })
                    .collect()
            }),
        })
    })
}

/// The edit form's values ("profil"), or the add-établissement page's refused form ("etablissement").
pub fn form_page(form: &str) -> Result<SpacePage<FormState>, AppError> {
    let cx = Ctx::mandataire()?;
    let _state = &cx.state;
    let form_name = match form {
        "etablissement" => "etablissement",
        _ => "profil",
    };
    space_page(&cx, form_name, |read, caller, profile| {
        if form_name == "etablissement" && caller.user.role != Role::Prepose {
            return Err(AppError::NotFound);
        }
        let user = &caller.user;
        let mut values = FormState::default();
        let service = (user.role == Role::Service)
            .then(|| crate::server::service::service_of(read, caller))
            .transpose()?;
        if let Some(service) = &service {
            // Only an administrateur changes the service's information (issue 16).
            if !service.is_administrateur(user.id) {
                return Err(AppError::Forbidden);
            }
            values.set("nom_service", service.nom.clone());
            values.set("siret", service.siret.clone());
        }
        let (nom, prenom, email) = match &service {
            Some(s) => (
                s.contact_nom.clone(),
                s.contact_prenom.clone(),
                s.email.clone(),
            ),
            None => (user.nom.clone(), user.prenom.clone(), user.email.clone()),
        };
        for (name, value) in [
            ("nom", nom),
            ("prenom", prenom),
            ("genre", profile.genre.code().to_owned()),
            ("adresse", profile.adresse.clone()),
            ("code_postal", profile.code_postal.clone()),
            ("commune", profile.commune.clone()),
            ("telephone", profile.telephone.clone()),
            (
                "telephone_portable",
                profile.telephone_portable.clone().unwrap_or_default(),
            ),
            ("email", email),
            ("mesures_souhaitees", profile.mesures_souhaitees.to_string()),
            (
                "secretariat",
                if profile.secretariat { "oui" } else { "non" }.to_owned(),
            ),
            (
                "secretariat_etp",
                profile
                    .secretariat_etp_centiemes
                    .map(|e| decimal(f64::from(e) / 100.0, 2))
                    .unwrap_or_default(),
            ),
            ("informations", profile.informations.clone()),
        ] {
            values.set(name, value);
        }
        Ok(values)
    })
}

/// "Valider" of "Modifier mes informations". The e-mail changes only with the current password; a capacity
/// change sets "Dernière mise à jour"; the account type never changes here.
pub async fn save(form: ProfileForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let user = caller.user.clone();
    let password_fields = &["mot_de_passe_actuel"];
    let service_email = if user.role == Role::Service {
        let read = redb::ReadableDatabase::begin_read(&*state.db)?;
        Some(crate::server::service::service_of(&read, &caller)?.email)
    } else {
        None
    };
    let current_email = service_email.as_deref().unwrap_or(&user.email);
    let checked = parse_mandataire_profile(&form, current_email, &StateReferences(&state));
    // A service's name and SIRET, told with the other errors (issue 16).
    let mut service_out = FormState::default();
    let service_identity = (user.role == Role::Service).then(|| {
        crate::rules::forms::service::service_identity(
            &mut service_out,
            &form.nom_service,
            &form.siret,
        )
    });
    let checked = match (checked, service_out.errors.is_empty()) {
        (Ok(checked), true) => checked,
        (checked, _) => {
            let mut out = checked.err().unwrap_or_else(|| mandataire_echo(&form));
            out.errors.extend(service_out.errors);
            return Ok(refuse(&parts, "profil", PROFILE_PAGE, out, password_fields));
        }
    };
    let MandataireProfile {
        identity,
        adresse,
        place:
            Place {
                code_insee,
                code_postal,
                commune,
            },
        telephone,
        telephone_portable: portable,
        mesures_souhaitees: capacity,
        secretariat,
        secretariat_etp_centiemes: etp,
        informations,
    } = checked;
    let mut out = mandataire_echo(&form);
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
            return Ok(refuse(&parts, "profil", PROFILE_PAGE, out, password_fields));
        }
    }
    let write = crate::server::blocking::begin_write(&state.db)?;
    crate::server::service::check_editor(&write, &caller)?;
    let owner = caller.owner();
    let Some(mut profile) = profiles::mandataire_in(&write, owner)? else {
        return Err(AppError::NotFound);
    };
    if let Some((Some(nom_service), Some(siret))) = service_identity {
        // The service's contact and address are the service's, not the member's account.
        let mut service = crate::server::service::administrateur_in(&write, &caller)?;
        service.nom = nom_service;
        service.siret = siret;
        service.contact_nom = identity.nom.clone();
        service.contact_prenom = identity.prenom.clone();
        service.email = identity.email.clone();
        crate::db::services::put(&write, &service)?;
    } else if let Err(taken) = store_profile_identity(&write, user.id, &identity)? {
        drop(write);
        out.fail("email", taken);
        return Ok(refuse(&parts, "profil", PROFILE_PAGE, out, password_fields));
    }
    if profile.mesures_souhaitees != capacity {
        profile.derniere_mise_a_jour = Some(now());
    }
    profile.genre = identity.genre;
    profile.adresse = adresse;
    profile.code_postal = code_postal;
    profile.code_insee = code_insee;
    profile.commune = commune;
    profile.telephone = telephone;
    profile.telephone_portable = portable;
    profile.mesures_souhaitees = capacity;
    profile.secretariat = secretariat;
    profile.secretariat_etp_centiemes = etp;
    profile.informations = informations;
    profiles::put_mandataire_record(&write, owner, &profile)?;
    // With antennes, a service's capacity is the sum of theirs, whatever the form said.
    if let Some(service) = crate::db::services::get_in(&write, owner)? {
        crate::db::services::sync_capacity(&write, &service)?;
    }
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Profil modifié",
        &crate::server::service::profile_object(&caller),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(crate::server::forms::done(
        &parts,
        INFORMATIONS_PAGE,
        Some(PROFILE_SAVED),
    ))
}

/// Resolves an autocomplete's text, picked id or choice; a failure is the field's error in `out`.
fn pick<'a>(
    index: &'a crate::server::search::SearchIndex,
    out: &mut FormState,
    field: &str,
    label: &str,
    (typed, picked, choice): (&str, &str, &str),
    none_message: String,
) -> Option<crate::server::search::EntryRef<'a>> {
    let chosen = [choice, picked].into_iter().find(|id| !id.is_empty());
    out.set(field, typed);
    index.resolve_in_form(
        out,
        field,
        typed,
        chosen,
        Some(rules::required(label)),
        none_message,
    )
}

/// Changes the caller's profile in one write transaction with its audit entry.
pub(super) fn change_profile(
    state: &AppState,
    caller: &crate::server::auth::Caller,
    ip: &str,
    action: &str,
    change: impl FnOnce(&mut profiles::Mandataire) -> AppResult<()>,
) -> Result<(), AppError> {
    let write = crate::server::blocking::begin_write(&state.db)?;
    // A service's profile is changed by its administrateurs only, checked in this transaction.
    crate::server::service::check_editor(&write, caller)?;
    let owner = caller.owner();
    let Some(mut profile) = profiles::mandataire_in(&write, owner)? else {
        return Err(AppError::NotFound);
    };
    // The change checks the profile as this transaction sees it.
    change(&mut profile)?;
    profiles::put_mandataire(&write, owner, &profile)?;
    audit::record(
        &write,
        Some(caller.user.id),
        ip,
        action,
        &crate::server::service::profile_object(caller),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(())
}

/// "Ajouter" under "Tribunaux d'Instance où je suis agréé": an active tribunal (the index holds only those).
pub fn add_tribunal(form: PickForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let mut out = FormState::default();
    let index = state.tribunaux.get();
    let typed = form.tribunal.trim().to_owned();
    let Some(entry) = pick(
        &index,
        &mut out,
        "tribunal",
        "Ajouter un tribunal",
        (&form.tribunal, &form.tribunal_id, &form.tribunal_choix),
        format!("Aucun tribunal ne correspond à « {typed} ». Vérifiez l'orthographe."),
    ) else {
        return Ok(refuse(&parts, "tribunal", INFORMATIONS_PAGE, out, &[]));
    };
    let Ok(tribunal_id) = entry.id.parse::<u64>() else {
        return Err(AppError::NotFound);
    };
    change_profile(&state, &caller, &ip, "Tribunal ajouté", |profile| {
        if !profile.tribunaux.contains(&tribunal_id) {
            profile.tribunaux.push(tribunal_id);
        }
        Ok(())
    })?;
    Ok(flash::stay(&parts, INFORMATIONS_PAGE, TRIBUNAL_ADDED))
}

/// "-" beside a tribunal: never the last one.
pub fn remove_tribunal(id: u64) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    crate::server::service::check_editor(&write, &caller)?;
    let owner = caller.owner();
    let Some(mut profile) = profiles::mandataire_in(&write, owner)? else {
        return Err(AppError::NotFound);
    };
    if !profile.tribunaux.contains(&id) {
        return Err(AppError::NotFound);
    }
    if profile.tribunaux.len() == 1 {
        drop(write);
        let mut out = FormState::default();
        out.fail("tribunal", rules::LAST_TRIBUNAL);
        return Ok(refuse(&parts, "tribunal", INFORMATIONS_PAGE, out, &[]));
    }
    profile.tribunaux.retain(|t| *t != id);
    profiles::put_mandataire(&write, owner, &profile)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Tribunal retiré",
        &crate::server::service::profile_object(&caller),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(flash::stay(&parts, INFORMATIONS_PAGE, TRIBUNAL_REMOVED))
}

/// "Valider" of "Ajouter un établissement" (préposés).
pub fn add_etablissement(form: PickForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::require(&[Role::Prepose])?;
    let mut out = FormState::default();
    let index = state.etablissements.get();
    let Some(entry) = pick(
        &index,
        &mut out,
        "etablissement",
        "Établissement",
        (
            &form.etablissement,
            &form.etablissement_id,
            &form.etablissement_choix,
        ),
        crate::server::forms::etablissement_unknown(&form.etablissement),
    ) else {
        return Ok(refuse(
            &parts,
            "etablissement",
            ETABLISSEMENT_PAGE,
            out,
            &[],
        ));
    };
    let finess = entry.id.to_owned();
    change_profile(&state, &caller, &ip, "Établissement ajouté", |profile| {
        if !profile.etablissements.contains(&finess) {
            profile.etablissements.push(finess);
        }
        Ok(())
    })?;
    Ok(crate::server::forms::done(
        &parts,
        INFORMATIONS_PAGE,
        Some(ETABLISSEMENT_ADDED),
    ))
}

/// "-" beside an établissement.
pub fn remove_etablissement(finess: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::require(&[Role::Prepose])?;
    change_profile(&state, &caller, &ip, "Établissement retiré", |profile| {
        // Only one of the préposé's own établissements: anything else is 404, like a missing row.
        if !profile.etablissements.iter().any(|f| f == finess) {
            return Err(AppError::NotFound);
        }
        profile.etablissements.retain(|f| f != finess);
        Ok(())
    })?;
    Ok(flash::stay(
        &parts,
        INFORMATIONS_PAGE,
        ETABLISSEMENT_REMOVED,
    ))
}

//! The "Membres" tab (issue 16): the service's members and waiting invitations; an administrateur invites
//! colleagues by e-mail, removes members, gives or takes the administrateur right — never leaving the
//! service without an administrateur.

use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::SpacePage;
use crate::api::service::{InvitationRow, InviteForm, MembreRow, Membres};
use crate::api::AppError;
use crate::db::services::{self, Invitation};
use crate::db::{audit, now, users};
use crate::rules::account::{normalize_email, EMAIL_TAKEN};
use crate::rules::profile as rules;
use crate::rules::service::{INVITATION_SECONDS, MAX_MEMBRES};
use crate::server::auth::session::{random_token, token_key};
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse};
use crate::server::mandataire::space_page;
use crate::server::time::local_date;

const PAGE: &str = "/mandataire/membres";
const INVITE_FORM: &str = "invitation";
const MEMBERS_FORM: &str = "membres";
pub const ALREADY_INVITED: &str = "Une invitation est déjà en attente pour cette adresse email.";
pub const TOO_MANY: &str = "Un service peut compter au plus 500 membres et invitations en attente.";
pub const LAST_ADMINISTRATEUR: &str =
    "Le service doit garder au moins un administrateur : donnez d'abord ce droit à un autre membre.";
pub const NOT_YOURSELF: &str = "Vous ne pouvez pas vous retirer vous-même du service.";
pub const REMOVED: &str = "Le membre a été retiré du service.";
pub const RIGHTS_GIVEN: &str = "Le membre est désormais administrateur du service.";
pub const RIGHTS_TAKEN: &str = "Le membre n'est plus administrateur du service.";
pub const WITHDRAWN: &str = "L'invitation a été annulée : son lien ne sert plus.";

pub fn invited(email: &str) -> String {
    format!("L'invitation a été envoyée à {email}. Le lien est valable 7 jours.")
}

/// "Membres": every member with their rights, the invitations still valid.
pub fn list_page() -> Result<SpacePage<Membres>, AppError> {
    let cx = Ctx::mandataire()?;
    space_page(&cx, INVITE_FORM, |read, caller, _| {
        let service = super::service_of(read, caller)?;
        let mut rows = Vec::new();
        for membre in &service.membres {
            if let Some(user) = users::get(read, membre.user_id)? {
                rows.push(MembreRow {
                    id: user.id,
                    nom: format!("{} {}", user.prenom, user.nom).trim().to_owned(),
                    identifiant: user.identifiant,
                    email: user.email,
                    administrateur: membre.administrateur,
                    moi: user.id == caller.user.id,
                });
            }
        }
        let at = now();
        Ok(Membres {
            rows,
            invitations: service
                .waiting_invitations(at)
                .map(|i| InvitationRow {
                    email: i.email.clone(),
                    expire_le: local_date(i.expires_at),
                })
                .collect(),
            administrateur: service.is_administrateur(caller.user.id),
        })
    })
}

/// "Inviter un membre": a single-use link, hashed at rest, valid 7 days, sent by e-mail.
pub fn invite(form: InviteForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let mut out = FormState::default();
    out.set("email", form.email.clone());
    let email = if form.email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(&form.email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let Some(email) = email else {
        return Ok(refuse(&parts, INVITE_FORM, PAGE, out, &[]));
    };
    let token = random_token();
    let key = token_key(&token);
    let at = now();
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    services::forget_expired(&write, &mut service, at)?;
    let problem = if users::login_taken_in(&write, &email)? {
        Some(EMAIL_TAKEN)
    } else if service.invitations.iter().any(|i| i.email == email) {
        Some(ALREADY_INVITED)
    } else if service.membres.len() + service.invitations.len() >= MAX_MEMBRES {
        Some(TOO_MANY)
    } else {
        None
    };
    if let Some(message) = problem {
        drop(write);
        out.fail("email", message);
        return Ok(refuse(&parts, INVITE_FORM, PAGE, out, &[]));
    }
    let until = at + INVITATION_SECONDS;
    services::add_invitation(
        &write,
        &mut service,
        Invitation {
            email: email.clone(),
            token_key: key,
            expires_at: until,
            invited_by: caller.user.id,
        },
    )?;
    crate::server::mail::queue_invitation(
        &write,
        &state.settings,
        &email,
        &service.nom,
        format!("{} {}", caller.user.prenom, caller.user.nom).trim(),
        &token,
        until,
    )?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Membre invité",
        &format!("service {}", service.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, PAGE, Some(&invited(&email))))
}

/// "Annuler l'invitation": the waiting link stops working at once. An address with no waiting invitation
/// (already used, expired or withdrawn) answers 404, as any row that is not the caller's.
pub fn withdraw(email: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    // normalize_email refuses an over-long value before any work on it.
    let email = normalize_email(email).map_err(|_| AppError::NotFound)?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    services::forget_expired(&write, &mut service, now())?;
    let key = service
        .invitations
        .iter()
        .find(|i| i.email == email)
        .map(|i| i.token_key.clone())
        .ok_or(AppError::NotFound)?;
    services::remove_invitation(&write, &mut service, &key)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Invitation annulée",
        &format!("service {}", service.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(crate::server::flash::stay(&parts, PAGE, WITHDRAWN))
}

/// The member `id` of the caller's service, else 404.
fn member_of(service: &services::Service, id: u64) -> Result<bool, AppError> {
    service
        .membres
        .iter()
        .find(|m| m.user_id == id)
        .map(|m| m.administrateur)
        .ok_or(AppError::NotFound)
}

fn refused(parts: &axum::http::request::Parts, message: &str) -> FormReply {
    let mut out = FormState::default();
    out.fail(MEMBERS_FORM, message);
    refuse(parts, MEMBERS_FORM, PAGE, out, &[])
}

/// "Retirer du service": the account is deleted (its mesures are the service's and stay), its sessions end
/// at once.
pub fn remove(id: u64) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    member_of(&service, id)?;
    if id == caller.user.id {
        drop(write);
        return Ok(refused(&parts, NOT_YOURSELF));
    }
    service.membres.retain(|m| m.user_id != id);
    services::put(&write, &service)?;
    users::delete(&write, id)?;
    services::refresh_status(&write, service.id)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Membre retiré",
        &format!("utilisateur {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(crate::server::flash::stay(&parts, PAGE, REMOVED))
}

/// "Donner les droits d'administrateur" / "Retirer les droits d'administrateur".
pub fn set_rights(id: u64, administrateur: bool) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
        ..
    } = Ctx::mandataire()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let mut service = super::administrateur_in(&write, &caller)?;
    member_of(&service, id)?;
    let others = service
        .membres
        .iter()
        .filter(|m| m.administrateur && m.user_id != id)
        .count();
    if !administrateur && others == 0 {
        drop(write);
        return Ok(refused(&parts, LAST_ADMINISTRATEUR));
    }
    for membre in service.membres.iter_mut().filter(|m| m.user_id == id) {
        membre.administrateur = administrateur;
    }
    services::put(&write, &service)?;
    services::refresh_status(&write, service.id)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        if administrateur {
            "Droits d'administrateur donnés"
        } else {
            "Droits d'administrateur retirés"
        },
        &format!("utilisateur {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(crate::server::flash::stay(
        &parts,
        PAGE,
        if administrateur {
            RIGHTS_GIVEN
        } else {
            RIGHTS_TAKEN
        },
    ))
}

//! The mandataire's activity (issue 17): "Mes données sont à jour" (the last update set to now, nothing else
//! changed) and "Suspendre mon activité" / "Reprendre mon activité" (magistrats see a disponibilité of 0,
//! "Activité suspendue" and the reason). Each is one write transaction, audited.

use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::{SpacePage, SuspendForm};
use crate::api::AppError;
use crate::db::{audit, now, profiles};
use crate::rules::profile::bounded_text;
use crate::server::context::Ctx;
use crate::server::flash;
use crate::server::forms::refuse;
use crate::server::mandataire::space_page;

pub const UP_TO_DATE: &str =
    "Merci : vos données sont confirmées à jour. Les magistrats voient la date d'aujourd'hui.";
pub const SUSPENDED: &str = "Votre activité est suspendue : les magistrats voient une disponibilité de 0. Ils peuvent encore vous réserver une mesure, avec un avertissement.";
pub const RESUMED: &str =
    "Votre activité a repris : les magistrats voient de nouveau votre disponibilité.";
const INFORMATIONS: &str = "/mandataire/informations";
const SUSPEND_PAGE: &str = "/mandataire/activite/suspendre";
/// The pages "Mes données sont à jour" may come back to: the space's tabs, nothing else.
const RETURNS: [&str; 8] = [
    "/mandataire/mesures",
    "/mandataire/mesures/en-attente",
    "/mandataire/mesures/eteintes",
    "/mandataire/carte",
    "/mandataire/informations",
    "/mandataire/antennes",
    "/mandataire/membres",
    "/mandataire/import",
];

/// "Mes données sont à jour": "Dernière mise à jour" becomes now; every member of a service may say so.
pub fn up_to_date(retour: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let back = RETURNS
        .iter()
        .find(|r| **r == retour)
        .copied()
        .unwrap_or("/mandataire/mesures");
    let write = crate::server::blocking::begin_write(&state.db)?;
    let owner = caller.owner();
    let mut profile = profiles::mandataire_in(&write, owner)?.ok_or(AppError::NotFound)?;
    profile.derniere_mise_a_jour = Some(now());
    profiles::put_mandataire(&write, owner, &profile)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Données confirmées à jour",
        &crate::server::service::profile_object(&caller),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(flash::stay(&parts, back, UP_TO_DATE))
}

/// The "Suspendre mon activité" page: the reason's field (a service's administrateurs only).
pub fn suspend_page() -> Result<SpacePage<FormState>, AppError> {
    let cx = Ctx::mandataire()?;
    space_page(&cx, "suspension", |read, caller, profile| {
        if caller.user.role == crate::rules::account::Role::Service
            && !crate::server::service::service_of(read, caller)?.is_administrateur(caller.user.id)
        {
            return Err(AppError::Forbidden);
        }
        let mut values = FormState::default();
        values.set(
            "motif",
            profile
                .suspension
                .as_ref()
                .map(|s| s.motif.clone())
                .unwrap_or_default(),
        );
        Ok(values)
    })
}

/// "Suspendre mon activité", with an optional reason (300 characters at most). A service's is suspended by
/// its administrateurs only.
pub fn suspend(form: SuspendForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let motif = match bounded_text(&form.motif, "Motif", 300, "Le motif", false) {
        Ok(motif) => motif,
        Err(message) => {
            let mut out = FormState::default();
            out.set("motif", form.motif.clone());
            out.fail("motif", message);
            return Ok(refuse(&parts, "suspension", SUSPEND_PAGE, out, &[]));
        }
    };
    change(&state, &caller, &ip, Some(motif))?;
    Ok(flash::stay(&parts, INFORMATIONS, SUSPENDED))
}

/// "Reprendre mon activité".
pub fn resume() -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    change(&state, &caller, &ip, None)?;
    Ok(flash::stay(&parts, INFORMATIONS, RESUMED))
}

/// Sets or ends the suspension through the profile's shared change (administrateurs only for a service,
/// checked in the write transaction).
fn change(
    state: &crate::server::AppState,
    caller: &crate::server::auth::Caller,
    ip: &str,
    motif: Option<String>,
) -> Result<(), AppError> {
    let action = if motif.is_some() {
        "Activité suspendue"
    } else {
        "Activité reprise"
    };
    super::profile::change_profile(state, caller, ip, action, |profile| {
        profile.suspension = motif.map(|motif| profiles::Suspension {
            depuis: profile.suspension.as_ref().map_or_else(now, |s| s.depuis),
            motif,
        });
        Ok(())
    })
}

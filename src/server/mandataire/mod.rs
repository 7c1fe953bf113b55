//! The mandataire space (SPEC §5): the header of its pages, and the server-function bodies of its screens —
//! the mesure lists (`lists`), the mesure form's page, "Valider" and the acceptance
//! (`mesure_form`), the end of a mandate and its reactivation (`lifecycle`), "Vue carte" (`map`) and "Mes
//! informations" (`profile`). Each change is one write transaction through `db::mesures`, which keeps the
//! indexes, the owner's counters and "Dernière mise à jour"; ownership comes from the session, never from the
//! request (a forged id answers 404 "Page introuvable"), and is checked inside that transaction.

pub mod activity;
pub mod answers;
pub mod export;
pub mod import;
#[cfg(test)]
mod import_tests;
pub mod lifecycle;
pub mod lists;
pub mod map;
pub mod mesure_form;
pub mod profile;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tools_tests;

use std::collections::HashMap;

use redb::{ReadTransaction, WriteTransaction};

use crate::api::mandataire::{MandataireHeader, MesureRow, SpacePage};
use crate::api::{AppError, AppResult};
use crate::db::mesures::{self, Mesure};
use crate::db::profiles::{self, Mandataire};
use crate::db::{audit, tribunaux};
use crate::rules::account::Role;
use crate::rules::date::display_iso;
use crate::rules::mesure::{nature_with_champ, Status};
use crate::rules::profile::{capacity_sentence, disponibilite, CapacityLevel};
use crate::server::auth::Caller;
use crate::server::context::Ctx;
use crate::server::time::local_date;

pub use lifecycle::{delete, delete_page, end, end_page, reactivate};
pub use lists::list_page;
pub use map::map_page;
pub use mesure_form::{accept, form_page, save};

pub const CREATED: &str = "La mesure a bien été enregistrée.";
pub const EDITED: &str = "La mesure a bien été modifiée.";
pub const ENDED: &str =
    "La mesure a été éteinte. Vous la retrouverez dans l'onglet « Mesures éteintes ».";
pub const REACTIVATED: &str = "La mesure a été réactivée.";
pub const DELETED: &str = "La mesure a été supprimée.";
pub const ACCEPTED: &str =
    "La mesure a été acceptée. Elle figure désormais dans vos mesures en cours.";

/// The header of the space (SPEC §5.1).
pub fn header(
    read: &ReadTransaction,
    caller: &Caller,
    profile: &Mandataire,
) -> Result<MandataireHeader, AppError> {
    let remaining = disponibilite(
        profile.mesures_souhaitees,
        profile.mesures_en_cours,
        profile.mesures_en_attente,
    );
    let free = i64::from(profile.mesures_souhaitees) - i64::from(profile.mesures_en_cours);
    // A service's pages are named after the service (SPEC §5.1: "or the service name").
    let nom = match caller.user.role {
        Role::Service => crate::db::services::get(read, caller.owner())?
            .map(|s| s.nom)
            .unwrap_or_default(),
        _ => format!("{} {}", caller.user.prenom, caller.user.nom)
            .trim()
            .to_owned(),
    };
    Ok(MandataireHeader {
        nom,
        phrase: capacity_sentence(remaining),
        mise_a_jour: profile
            .derniere_mise_a_jour
            .map_or_else(|| "jamais".to_owned(), local_date),
        en_cours: profile.mesures_en_cours,
        souhaitees: profile.mesures_souhaitees,
        en_attente: profile.mesures_en_attente,
        eteintes: profile.mesures_eteintes,
        niveau: CapacityLevel::of(free).class().to_owned(),
        premiere_connexion: profile.derniere_mise_a_jour.is_none(),
        prepose: caller.user.role == Role::Prepose,
        service: caller.user.role == Role::Service,
        suspendu: profile.suspension.is_some(),
    })
}

/// A page of the space: header, one-time notice, the refused form of `form_name` (no JavaScript), data.
pub fn space_page<T>(
    cx: &Ctx,
    form_name: &str,
    data: impl FnOnce(&ReadTransaction, &Caller, &Mandataire) -> AppResult<T>,
) -> AppResult<SpacePage<T>> {
    let Ctx {
        state,
        parts,
        caller,
        ..
    } = cx;
    let read = cx.read()?;
    let profile = profiles::mandataire(&read, caller.owner())?.ok_or(AppError::NotFound)?;
    let data = data(&read, caller, &profile)?;
    let header = header(&read, caller, &profile)?;
    let flash = state.flash.take(parts, form_name);
    Ok(SpacePage {
        header,
        notice: flash.notice,
        form: flash.form,
        data,
    })
}

/// Tribunal names by id, read once per page.
pub(crate) struct TribunalNames<'a> {
    read: &'a ReadTransaction,
    names: HashMap<u64, String>,
}

impl<'a> TribunalNames<'a> {
    pub(crate) fn new(read: &'a ReadTransaction) -> Self {
        TribunalNames {
            read,
            names: HashMap::new(),
        }
    }

    pub(crate) fn name(&mut self, id: Option<u64>) -> String {
        let Some(id) = id else {
            return String::new();
        };
        let read = self.read;
        self.names
            .entry(id)
            .or_insert_with(|| {
                tribunaux::get(read, id)
                    .ok()
                    .flatten()
                    .map(|t| t.nom)
                    .unwrap_or_default()
            })
            .clone()
    }
}

pub(super) fn row(mesure: &Mesure, names: &mut TribunalNames<'_>) -> MesureRow {
    let reservation = mesure.reservation.as_ref();
    MesureRow {
        id: mesure.id,
        date_decision: mesure
            .date_decision
            .as_deref()
            .map(display_iso)
            .unwrap_or_default(),
        type_mesure: nature_with_champ(mesure.nature, mesure.champ),
        commune: mesure.commune.clone().unwrap_or_default(),
        lieu_de_vie: mesure
            .lieu_de_vie
            .map(|l| l.label().to_owned())
            .unwrap_or_default(),
        genre: mesure.genre.label().to_owned(),
        annee_naissance: mesure.annee_naissance.to_string(),
        numero_dossier: mesure.numero_dossier.clone().unwrap_or_default(),
        numero_rg: mesure.numero_rg.clone().unwrap_or_default(),
        tribunal: names.name(
            mesure
                .tribunal_id
                .or_else(|| reservation.map(|r| r.tribunal_id)),
        ),
        cabinet: reservation
            .and_then(|r| r.cabinet.clone())
            .unwrap_or_default(),
        date_fin: mesure
            .date_fin
            .as_deref()
            .map(display_iso)
            .unwrap_or_default(),
        cause_sortie: mesure
            .cause_sortie
            .map(|c| c.label().to_owned())
            .unwrap_or_default(),
        reservee_le: reservation
            .map(|r| local_date(r.reserved_at))
            .unwrap_or_default(),
        antenne: String::new(),
        urgente: reservation.is_some_and(|r| r.urgente),
        date_jugement: reservation
            .and_then(|r| r.date_jugement.as_deref())
            .map(display_iso)
            .unwrap_or_default(),
        ancienne: false,
    }
}

/// A reservation still en attente past the jurisdiction's delay (issue 18): flagged "Ancienne".
pub fn is_old(mesure: &Mesure, old_after_secs: i64, now: i64) -> bool {
    mesure.status == Status::EnAttente
        && mesure
            .reservation
            .as_ref()
            .is_some_and(|r| now - r.reserved_at > old_after_secs)
}

/// The caller's mesure, or 404 when it is missing or someone else's.
pub(super) fn own_mesure(
    read: &ReadTransaction,
    caller: &Caller,
    id: u64,
) -> Result<Mesure, AppError> {
    match mesures::get(read, id)? {
        Some(mesure) if mesure.owner == caller.owner() => Ok(mesure),
        _ => Err(AppError::NotFound),
    }
}

pub(super) fn parse_id(id: &str) -> Result<Option<u64>, AppError> {
    if id.trim().is_empty() {
        return Ok(None);
    }
    id.trim().parse().map(Some).map_err(|_| AppError::NotFound)
}

pub(super) fn record(
    write: &WriteTransaction,
    caller: &Caller,
    ip: &str,
    action: &str,
    mesure_id: u64,
) -> Result<(), AppError> {
    audit::record(
        write,
        Some(caller.user.id),
        ip,
        action,
        &format!("mesure {mesure_id}"),
        "Succès",
    )
    .map_err(AppError::internal)
}

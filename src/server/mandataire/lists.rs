//! The mesure lists (SPEC §5.2, §5.4, §5.5): "Mesures en cours", "Mesures en attente", "Mesures éteintes".

use super::{row, space_page, TribunalNames};
use crate::api::mandataire::{MesureList, SpacePage};
use crate::api::AppError;
use crate::db::mesures::{self};
use crate::rules::mesure::Status;
use crate::rules::PAGE_SIZE;
use crate::server::context::Ctx;

/// "Mesures en cours" (newest decision first), "Mesures éteintes" (latest end first), "Mesures en attente"
/// (latest reservation first); 50 a page.
pub fn list_page(etat: &str, page: usize) -> Result<SpacePage<MesureList>, AppError> {
    let cx = Ctx::mandataire()?;
    let status = match etat {
        "en_cours" => Status::EnCours,
        "eteintes" => Status::Eteinte,
        "en_attente" => Status::EnAttente,
        _ => return Err(AppError::NotFound),
    };
    space_page(&cx, "", |read, caller, _| {
        let page = page.max(1);
        let start = (page - 1)
            .checked_mul(PAGE_SIZE)
            .ok_or(AppError::NotFound)?;
        let (mesures, total) =
            mesures::page_of_owner(read, caller.user.id, status, start, PAGE_SIZE)?;
        if crate::rules::page_start(page, total).is_none() {
            return Err(AppError::NotFound);
        }
        let mut names = TribunalNames::new(read);
        Ok(MesureList {
            rows: mesures.iter().map(|m| row(m, &mut names)).collect(),
            page,
            has_next: total > start + PAGE_SIZE,
        })
    })
}

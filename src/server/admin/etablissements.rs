//! The administration of établissements (SPEC §7 "Établissements"): the list, a fiche, the closing.

use redb::ReadableDatabase;

use crate::api::admin::{EtablissementRow, EtablissementsPage};
use crate::api::form::FormReply;
use crate::db::{audit, etablissements};
use crate::rules::text;

use super::page_of;
use crate::api::{AppError, AppResult};
use crate::server::context::Ctx;
use crate::server::flash;

pub fn etablissements_page(q: &str, page: usize) -> Result<EtablissementsPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let query = text::fold(text::search_input(q));
    let row = |e: etablissements::Etablissement| EtablissementRow {
        commune: format!("{} {}", e.code_postal, e.ville).trim().to_owned(),
        categorie: e.categorie_libelle.clone(),
        ferme: e.ferme,
        nom: e.nom,
        finess: e.finess,
    };
    if query.is_empty() {
        // The whole list: only the page is read (100,000 établissements nationally).
        let page = page.max(1);
        let skip = (page - 1)
            .checked_mul(crate::rules::PAGE_SIZE)
            .ok_or(AppError::NotFound)?;
        let (shown, total) = etablissements::page(&read, skip, crate::rules::PAGE_SIZE)?;
        if page > 1 && skip >= total {
            return Err(AppError::NotFound);
        }
        return Ok(EtablissementsPage {
            rows: shown.into_iter().map(row).collect(),
            total,
            page,
            has_next: total > skip + crate::rules::PAGE_SIZE,
        });
    }
    let rows: Vec<EtablissementRow> = etablissements::all(&read)?
        .into_iter()
        .filter(|e| {
            query.is_empty() || {
                let haystack = text::fold(&format!(
                    "{} {} {} {}",
                    e.nom, e.ville, e.code_postal, e.finess
                ));
                query.split_whitespace().all(|w| haystack.contains(w))
            }
        })
        .map(row)
        .collect();
    let (rows, total, page, has_next) = page_of(rows, page)?;
    Ok(EtablissementsPage {
        rows,
        total,
        page,
        has_next,
    })
}

pub type EtablissementFacts = (String, Vec<(String, String)>, bool);

pub fn etablissement(finess: &str) -> AppResult<EtablissementFacts> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let Some(e) = etablissements::get(&read, finess)? else {
        return Err(AppError::NotFound);
    };
    let coordinates = e.coordinates.map_or_else(
        || "Sans localisation".to_owned(),
        |(lat, lon)| {
            format!(
                "{}, {}",
                crate::rules::format::decimal(lat, 5),
                crate::rules::format::decimal(lon, 5)
            )
        },
    );
    let facts = vec![
        ("Numéro FINESS".to_owned(), e.finess.clone()),
        ("FINESS juridique".to_owned(), e.finess_ej.clone()),
        ("Adresse".to_owned(), e.adresse.clone()),
        (
            "Commune".to_owned(),
            format!("{} {}", e.code_postal, e.ville),
        ),
        ("Code INSEE".to_owned(), e.code_insee.clone()),
        ("Téléphone".to_owned(), e.telephone.clone()),
        (
            "Catégorie".to_owned(),
            format!("{} ({})", e.categorie_libelle, e.categorie),
        ),
        ("SIRET".to_owned(), e.siret.clone()),
        ("Coordonnées".to_owned(), coordinates),
        (
            "État".to_owned(),
            if e.ferme { "Fermé" } else { "Ouvert" }.to_owned(),
        ),
    ];
    Ok((e.nom, facts, e.ferme))
}

pub fn close_etablissement(finess: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let Some(closed) = etablissements::set_closed(&write, finess, true)? else {
        return Err(AppError::NotFound);
    };
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Fermeture d'un établissement",
        &format!("établissement {finess}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    crate::server::blocking::off_async(|| crate::server::refresh_etablissements(&state))?;
    let notice = format!("L'établissement « {} » est fermé.", closed.nom);
    Ok(flash::stay(
        &parts,
        &format!("/admin/etablissements/{finess}"),
        &notice,
    ))
}

//! The mesure lists (SPEC §5.2, §5.4, §5.5): "Mesures en cours", "Mesures en attente", "Mesures éteintes".

use super::{row, space_page, TribunalNames};
use crate::api::mandataire::{MesureList, SpacePage};
use crate::api::AppError;
use crate::db::mesures::{self};
use crate::rules::mesure::Status;
use crate::rules::search::{MesureQuery, Searched};
use crate::rules::text::search_input;
use crate::rules::PAGE_SIZE;
use crate::server::context::Ctx;

/// "Mesures en cours" (newest decision first), "Mesures éteintes" (latest end first), "Mesures en attente"
/// (latest reservation first); 50 a page.
pub fn list_page(
    etat: &str,
    page: usize,
    antenne: &str,
    recherche: &str,
) -> Result<SpacePage<MesureList>, AppError> {
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
        // A service's lists have the "Antenne" column and filter (issue 16); the filter reads the
        // antenne's own index, so a page costs the same whatever the service's size.
        let antennes = antenne_names(read, caller)?;
        let filter = match (&antennes, antenne.trim()) {
            (Some(names), id) if !id.is_empty() => {
                let id: u64 = id.parse().map_err(|_| AppError::NotFound)?;
                if !names.iter().any(|(a, _)| *a == id) {
                    return Err(AppError::NotFound);
                }
                Some(id)
            }
            _ => None,
        };
        // "Rechercher une mesure" (issue 17): on "Mesures en cours" and "Mesures éteintes" only.
        let query = (status != Status::EnAttente)
            .then(|| MesureQuery::parse(recherche))
            .flatten();
        let (mesures, total) = match (&query, filter) {
            (Some(query), filter) => {
                let keep = |m: &mesures::Mesure| query.matches(&searched(m));
                let (holder, by_antenne) = filter.map_or((caller.owner(), false), |id| (id, true));
                mesures::search_page(read, holder, by_antenne, status, keep, start, PAGE_SIZE)?
            }
            // Waiting reservations, urgent ones first (issue 18): they are few, read whole then paged.
            (None, filter) if status == Status::EnAttente => {
                let (mut all, total) = match filter {
                    Some(id) => mesures::page_of_antenne(read, id, status, 0, usize::MAX)?,
                    None => mesures::page_of_owner(read, caller.owner(), status, 0, usize::MAX)?,
                };
                all.sort_by_key(|m| !m.reservation.as_ref().is_some_and(|r| r.urgente));
                (all.into_iter().skip(start).take(PAGE_SIZE).collect(), total)
            }
            (None, Some(id)) => mesures::page_of_antenne(read, id, status, start, PAGE_SIZE)?,
            (None, None) => mesures::page_of_owner(read, caller.owner(), status, start, PAGE_SIZE)?,
        };
        let (old_after, now) = (cx.state.settings.old_reservation_secs, crate::db::now());
        if crate::rules::page_start(page, total).is_none() {
            return Err(AppError::NotFound);
        }
        let mut names = TribunalNames::new(read);
        let rows = mesures
            .iter()
            .map(|m| {
                let mut row = row(m, &mut names);
                row.antenne = antenne_label(antennes.as_deref(), m.antenne);
                row.ancienne = super::is_old(m, old_after, now);
                row
            })
            .collect();
        Ok(MesureList {
            rows,
            page,
            has_next: total > start + PAGE_SIZE,
            antennes: antennes.map(|names| {
                names
                    .into_iter()
                    .map(|(id, label)| crate::rules::Suggestion {
                        id: id.to_string(),
                        label,
                    })
                    .collect()
            }),
            filtres: filters_query(filter, query.as_ref().map(|_| search_input(recherche))),
            antenne: filter.map(|id| id.to_string()).unwrap_or_default(),
            recherche: query
                .map(|_| search_input(recherche).to_owned())
                .unwrap_or_default(),
        })
    })
}

/// The pager's query string of the filters in force.
fn filters_query(antenne: Option<u64>, recherche: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(antenne) = antenne {
        query.append_pair("antenne", &antenne.to_string());
    }
    if let Some(recherche) = recherche {
        query.append_pair("recherche", recherche);
    }
    query.finish()
}

/// What the search sees of a mesure.
fn searched(m: &mesures::Mesure) -> Searched<'_> {
    Searched {
        numero_rg: m.numero_rg.as_deref(),
        numero_dossier: m.numero_dossier.as_deref(),
        commune: m.commune.as_deref(),
        code_postal: m.code_postal.as_deref(),
        annee_naissance: m.annee_naissance,
    }
}

/// A service's antennes (id, name), in its order; `None` for a mandataire who is not a service's member.
pub fn antenne_names(
    read: &redb::ReadTransaction,
    caller: &crate::server::auth::Caller,
) -> Result<Option<Vec<(u64, String)>>, AppError> {
    if caller.user.role != crate::rules::account::Role::Service {
        return Ok(None);
    }
    let service = crate::server::service::service_of(read, caller)?;
    Ok(Some(
        crate::db::services::antennes_of(read, &service)?
            .into_iter()
            .map(|a| (a.id, a.nom))
            .collect(),
    ))
}

/// The name of a mesure's antenne, or empty.
pub fn antenne_label(names: Option<&[(u64, String)]>, antenne: Option<u64>) -> String {
    names
        .zip(antenne)
        .and_then(|(names, id)| names.iter().find(|(a, _)| *a == id))
        .map(|(_, name)| name.clone())
        .unwrap_or_default()
}

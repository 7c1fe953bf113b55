//! The magistrat's "Vue carte" (SPEC §6.5, issue 18): every filtered mandataire, their mesures en cours
//! counted per commune, the antennes of the listed services, and "who already works there".
//!
//! For the tribunal with the most mandataires nationally (566, with a service of 5,000 mesures) the map
//! sums tens of thousands of counters and draws about 1,600 markers (issue 20). So:
//! - what the map derives from the list (counts per commune, antennes, the markers' JSON) is kept per
//!   tribunal, list controls and scope version (`MapMemo`): the version moves in the transaction of every
//!   write that changes a mandataire's mesures en cours (their counters or "Dernière mise à jour" are
//!   rewritten with it), so an entry is used only by a request whose read transaction sees exactly the
//!   version it was computed at;
//! - the page carries one page of each table (50 rows, "Page suivante"), not every row: the markers come
//!   from `GET /magistrat/carte/couches?<controls>` (`layers`), which the map script asks for. A browser
//!   without JavaScript has no map and reads the paged tables, as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use redb::ReadableDatabase;
use serde::Serialize;

use super::{list, magistrat_page, type_label, Space};
use crate::api::magistrat::{AntenneMarker, CommuneCount, CommuneHolders, MagistratCarte};
use crate::api::magistrat::{MagistratPage, MandataireList, MandataireQuery, MandataireRow};
use crate::api::AppError;
use crate::db::{mesures, services};
use crate::rules::account::Role;
use crate::rules::text::fold;
use crate::rules::PAGE_SIZE;
use crate::server::context::Ctx;
use crate::server::AppState;

/// Entries kept at most, and their markers' bytes at most (the JSON of the tribunal with the most
/// mandataires is about 100 KB): past either the memo starts again. One entry per tribunal and filter
/// combination in use; only magistrats and greffiers fill it.
const MAX_ENTRIES: usize = 1_024;
const MAX_BYTES: usize = 16 * 1024 * 1024;

/// What "Vue carte" derives from a tribunal's listed mandataires, beyond one page of the list.
struct Derived {
    communes: Vec<CommuneCount>,
    antennes: Vec<AntenneMarker>,
    /// Every listed mandataire, for "who already works there": (id, name).
    owners: Vec<(u64, String)>,
    /// The two layers as `/carte.js` reads them.
    layers: Arc<str>,
}

/// (tribunal, the list's controls) → (scope version, derived).
type Entries = HashMap<(u64, String), (u64, Arc<Derived>)>;

#[derive(Default)]
pub struct MapMemo {
    /// The entries and the sum of their markers' bytes.
    entries: Mutex<(Entries, usize)>,
}

impl MapMemo {
    fn get(
        &self,
        key: &(u64, String),
        version: u64,
        compute: impl FnOnce() -> Result<Derived, AppError>,
    ) -> Result<Arc<Derived>, AppError> {
        let lock = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((kept, derived)) = lock().0.get(key) {
            if *kept == version {
                return Ok(Arc::clone(derived));
            }
        }
        let derived = Arc::new(compute()?);
        let mut guard = lock();
        let (entries, bytes) = &mut *guard;
        // A request that read an older version must not replace a newer entry.
        if entries.get(key).is_none_or(|(kept, _)| *kept <= version) {
            let size = derived.layers.len();
            if (entries.len() >= MAX_ENTRIES && !entries.contains_key(key))
                || *bytes + size > MAX_BYTES
            {
                entries.clear();
                *bytes = 0;
            }
            if let Some((_, old)) = entries.insert(key.clone(), (version, Arc::clone(&derived))) {
                *bytes = bytes.saturating_sub(old.layers.len());
            }
            *bytes += size;
        }
        Ok(derived)
    }
}

/// The derived facts of the filtered list `query` (its page ignored), from the memo when it is current:
/// keyed by the controls as the list writes them, so that the page and the markers' route share an entry.
fn derived(
    state: &AppState,
    space: &Space<'_>,
    query: &MandataireQuery,
) -> Result<Arc<Derived>, AppError> {
    let tribunal = space.profile.tribunal_id;
    let version = crate::db::scope_versions::version(space.read, tribunal)?;
    state
        .map_memo
        .get(&(tribunal, super::base_of(query)), version, || {
            let every = list(state, space, query.clone(), false)?;
            compute(state, space, &every)
        })
}

fn compute(
    state: &AppState,
    space: &Space<'_>,
    every: &MandataireList,
) -> Result<Derived, AppError> {
    let ids: Vec<u64> = every.rows.iter().map(|m| m.id).collect();
    let counts = mesures::counts_by_commune(space.read, &ids)?;
    let mut communes: Vec<CommuneCount> = counts
        .into_iter()
        .map(|(insee, count)| {
            let commune = state.reference.commune(&insee);
            CommuneCount {
                commune: commune.map_or_else(|| format!("Commune {insee}"), |c| c.nom.clone()),
                insee: insee.clone(),
                position: commune.and_then(|c| c.coordinates),
                mesures: count,
            }
        })
        .collect();
    communes.sort_by_cached_key(|c| (std::cmp::Reverse(c.mesures), fold(&c.commune)));
    let mut antennes = Vec::new();
    // Only the services' rows have antennes: no look-up for the others (hundreds per page).
    let service_label = type_label(Role::Service);
    for m in every.rows.iter().filter(|m| m.type_label == service_label) {
        if let Some(service) = services::get(space.read, m.id)? {
            for antenne in services::antennes_of(space.read, &service)? {
                antennes.push(AntenneMarker {
                    service_id: m.id,
                    service: m.nom.clone(),
                    antenne: crate::server::service::antennes::row(state, &antenne),
                });
            }
        }
    }
    let layers = layers_json(&every.rows, &antennes, &communes, &every.base).into();
    Ok(Derived {
        owners: every.rows.iter().map(|m| (m.id, m.nom.clone())).collect(),
        communes,
        antennes,
        layers,
    })
}

/// A mandataire's marker as `/carte.js` reads it (an array, for hundreds of them): position, id,
/// disponibilité, its colour class, name, type, en cours, souhaitées. The script writes the popup's lines and
/// the accessible name ("<nom> : disponibilité <n>").
type MandataireMarker<'a> = (f64, f64, u64, i64, &'a str, &'a str, &'a str, u32, u32);

/// A commune's marker: position, mesures en cours of the listed mandataires, name, INSEE code (the script
/// links it to "who already works there", `base` + `&commune=<INSEE>`, like the table's row).
type CommuneMarker<'a> = (f64, f64, u32, &'a str, &'a str);

#[derive(Serialize)]
struct Layer<M> {
    nom: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    marqueurs: Vec<M>,
    /// The address the communes' links start with.
    #[serde(skip_serializing_if = "Option::is_none")]
    lien: Option<String>,
}

fn layers_json(
    rows: &[MandataireRow],
    antennes: &[AntenneMarker],
    communes: &[CommuneCount],
    base: &str,
) -> String {
    // A service with antennes is drawn at each of its antennes, with the antenne's own figures (issue 16).
    let by_antenne: std::collections::HashSet<u64> =
        antennes.iter().map(|a| a.service_id).collect();
    let antenne_names: Vec<String> = antennes
        .iter()
        .map(|a| format!("{} – {}", a.service, a.antenne.nom))
        .collect();
    let mut mandataires: Vec<MandataireMarker<'_>> = rows
        .iter()
        .filter(|m| !by_antenne.contains(&m.id))
        .filter_map(|m| {
            m.position.map(|(lat, lon)| {
                (
                    lat,
                    lon,
                    m.id,
                    m.disponibilite,
                    m.niveau.as_str(),
                    m.nom.as_str(),
                    m.type_label.as_str(),
                    m.en_cours,
                    m.souhaitees,
                )
            })
        })
        .collect();
    mandataires.extend(antennes.iter().zip(&antenne_names).filter_map(|(a, nom)| {
        let row = &a.antenne;
        row.position.map(|(lat, lon)| {
            (
                lat,
                lon,
                a.service_id,
                row.disponibilite,
                row.niveau.as_str(),
                nom.as_str(),
                "Antenne de service",
                row.en_cours,
                row.souhaitees,
            )
        })
    }));
    let communes: Vec<CommuneMarker<'_>> = communes
        .iter()
        .filter_map(|c| {
            c.position
                .map(|(lat, lon)| (lat, lon, c.mesures, c.commune.as_str(), c.insee.as_str()))
        })
        .collect();
    let mandataires = Layer {
        nom: "Mandataires",
        kind: "mandataires",
        marqueurs: mandataires,
        lien: None,
    };
    let communes = Layer {
        nom: "Mesures en cours",
        kind: "communes",
        marqueurs: communes,
        lien: Some(format!("/magistrat/carte?{base}")),
    };
    serde_json::to_string(&(mandataires, communes)).unwrap_or_else(|_| "[]".to_owned())
}

/// "Vue carte" (SPEC §6.5): one page of the filtered mandataires (`query.page`) and one of the communes
/// where they hold mesures en cours (`page_communes`), the antennes, and who works in `commune`.
pub fn map_page(
    query: MandataireQuery,
    page_communes: usize,
    commune: &str,
) -> Result<MagistratPage<MagistratCarte>, AppError> {
    let cx = Ctx::magistrat()?;
    let state = &cx.state;
    magistrat_page(&cx, "", |space| {
        let mandataires = list(state, space, query.clone(), true)?;
        let derived = derived(state, space, &query)?;
        let communes_total = derived.communes.len();
        let page_communes = page_communes.max(1);
        let start =
            crate::rules::page_start(page_communes, communes_total).ok_or(AppError::NotFound)?;
        let communes = derived
            .communes
            .iter()
            .skip(start)
            .take(PAGE_SIZE)
            .cloned()
            .collect();
        // "Who already works there": the listed mandataires holding mesures en cours in the chosen
        // commune, most first (counts only, never a mesure's attributes).
        let commune_choisie = match state.reference.commune(commune.trim()) {
            Some(chosen) => {
                let names: HashMap<u64, &str> = derived
                    .owners
                    .iter()
                    .map(|(id, nom)| (*id, nom.as_str()))
                    .collect();
                let ids: Vec<u64> = derived.owners.iter().map(|(id, _)| *id).collect();
                let mut holders: Vec<(u64, String, u32)> =
                    mesures::owners_in_commune(space.read, &ids, &chosen.code_insee)?
                        .into_iter()
                        .map(|(id, count)| {
                            (id, names.get(&id).copied().unwrap_or("").to_owned(), count)
                        })
                        .collect();
                holders.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| fold(&a.1).cmp(&fold(&b.1))));
                Some(CommuneHolders {
                    commune: chosen.nom.clone(),
                    mandataires: holders,
                })
            }
            None => None,
        };
        Ok(MagistratCarte {
            couches: format!("/magistrat/carte/couches?{}", mandataires.base),
            mandataires,
            communes,
            communes_total,
            page_communes,
            communes_has_next: communes_total > start + PAGE_SIZE,
            antennes: derived.antennes.clone(),
            tuiles: state.settings.tile_url.clone(),
            attribution: state.settings.tile_attribution.clone(),
            commune_choisie,
        })
    })
}

/// `GET /magistrat/carte/couches?<the list's controls>`: the map's two layers (JSON), for the tribunal of
/// the session's magistrat or greffier only, from the memo when it is current.
pub async fn layers(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (_, caller) = match crate::server::context::caller_of(
        &request,
        "/magistrat/carte",
        crate::server::context::TRIBUNAL_ROLES,
    ) {
        Ok(found) => found,
        Err(answer) => return *answer,
    };
    // Bad controls fall back to the defaults, as on the page.
    let query: MandataireQuery = Query::try_from_uri(request.uri())
        .map(|Query(q)| q)
        .unwrap_or_default();
    // Read in place like the pages: a read transaction does not wait for the writer, and the markers come
    // from the memo (handing the worker to another thread for each answer kept a hundred threads alive).
    let found = state
        .db
        .begin_read()
        .map_err(AppError::internal)
        .and_then(|read| {
            super::with_space(&state, &read, &caller, |space| {
                derived(&state, space, &query)
            })
        });
    match found {
        Ok(derived) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/json"),
                (axum::http::header::CACHE_CONTROL, "private, no-cache"),
            ],
            derived.layers.to_string(),
        )
            .into_response(),
        Err(error) => crate::server::errors::error_page(&error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(bytes: usize) -> Derived {
        Derived {
            communes: Vec::new(),
            antennes: Vec::new(),
            owners: Vec::new(),
            layers: "x".repeat(bytes).into(),
        }
    }

    #[test]
    fn the_memo_keeps_its_entries_and_bytes_bounded_and_never_an_older_version() {
        let memo = MapMemo::default();
        // 40 filter combinations of 1 MiB of markers each: never more than 16 MiB kept.
        for n in 0..40 {
            let key = (1, format!("nom=n{n}"));
            memo.get(&key, 7, || Ok(derived(1024 * 1024))).unwrap();
            let (entries, bytes) = &*memo.entries.lock().unwrap();
            assert!(*bytes <= MAX_BYTES && !entries.is_empty(), "{bytes}");
            assert_eq!(
                *bytes,
                entries.values().map(|(_, d)| d.layers.len()).sum::<usize>()
            );
        }
        // The same version is answered from the memo; a newer one computed; an older one never replaces it.
        let key = (2, String::new());
        memo.get(&key, 3, || Ok(derived(10))).unwrap();
        let kept = memo.get(&key, 3, || panic!("kept")).unwrap();
        assert_eq!(kept.layers.len(), 10);
        assert_eq!(
            memo.get(&key, 4, || Ok(derived(20))).unwrap().layers.len(),
            20
        );
        assert_eq!(
            memo.get(&key, 3, || Ok(derived(30))).unwrap().layers.len(),
            30
        );
        assert_eq!(
            memo.get(&key, 4, || panic!("kept")).unwrap().layers.len(),
            20
        );
    }
}

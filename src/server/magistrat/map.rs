//! The magistrat's "Vue carte" (SPEC §6.5, issue 18): every filtered mandataire, their mesures en cours
//! counted per commune, the antennes of the listed services, and "who already works there".
//!
//! The counts per commune sum the map counters of every listed mandataire: for the tribunal with the most
//! mandataires nationally (566, with a service of 5,000 mesures) that is tens of thousands of counters per
//! page (issue 20). They are kept per tribunal, list controls and scope version (`MapMemo`): the version
//! moves in the transaction of every write that changes a mandataire's mesures en cours (their counters
//! or "Dernière mise à jour" are rewritten with it), so an entry is used only by a request whose read
//! transaction sees exactly the version it was computed at.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{list, magistrat_page, type_label};
use crate::api::magistrat::{AntenneMarker, CommuneCount, CommuneHolders, MagistratCarte};
use crate::api::magistrat::{MagistratPage, MandataireQuery};
use crate::api::AppError;
use crate::db::{mesures, services};
use crate::rules::account::Role;
use crate::rules::text::fold;
use crate::server::context::Ctx;

/// Entries kept at most: past it the memo starts again (one per tribunal and filter combination in use).
const MAX_ENTRIES: usize = 4_096;

/// What "Vue carte" derives from a tribunal's listed mandataires, beyond the list itself.
struct Derived {
    communes: Vec<CommuneCount>,
    antennes: Vec<AntenneMarker>,
}

/// (tribunal, the list's controls) → (scope version, derived).
type Entries = HashMap<(u64, String), (u64, Arc<Derived>)>;

#[derive(Default)]
pub struct MapMemo {
    entries: Mutex<Entries>,
}

impl MapMemo {
    fn get(
        &self,
        key: &(u64, String),
        version: u64,
        compute: impl FnOnce() -> Result<Derived, AppError>,
    ) -> Result<Arc<Derived>, AppError> {
        let lock = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((kept, derived)) = lock().get(key) {
            if *kept == version {
                return Ok(Arc::clone(derived));
            }
        }
        let derived = Arc::new(compute()?);
        let mut entries = lock();
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
            entries.clear();
        }
        // A request that read an older version must not replace a newer entry.
        if entries.get(key).is_none_or(|(kept, _)| *kept <= version) {
            entries.insert(key.clone(), (version, Arc::clone(&derived)));
        }
        Ok(derived)
    }
}

/// "Vue carte" (SPEC §6.5): every filtered mandataire, and their mesures en cours counted per commune.
pub fn map_page(
    query: MandataireQuery,
    commune: &str,
) -> Result<MagistratPage<MagistratCarte>, AppError> {
    let cx = Ctx::magistrat()?;
    let state = &cx.state;
    magistrat_page(&cx, "", |space| {
        let mandataires = list(state, space, query, false)?;
        let owners: Vec<u64> = mandataires.rows.iter().map(|m| m.id).collect();
        let tribunal = space.profile.tribunal_id;
        let version = crate::db::scope_versions::version(space.read, tribunal)?;
        let derived = state
            .map_memo
            .get(&(tribunal, mandataires.base.clone()), version, || {
                let counts = mesures::counts_by_commune(space.read, &owners)?;
                let mut communes: Vec<CommuneCount> = counts
                    .into_iter()
                    .map(|(insee, count)| {
                        let commune = state.reference.commune(&insee);
                        CommuneCount {
                            commune: commune
                                .map_or_else(|| format!("Commune {insee}"), |c| c.nom.clone()),
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
                for m in mandataires
                    .rows
                    .iter()
                    .filter(|m| m.type_label == service_label)
                {
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
                Ok(Derived { communes, antennes })
            })?;
        // "Who already works there": the listed mandataires holding mesures en cours in the chosen
        // commune, most first (counts only, never a mesure's attributes).
        let commune_choisie = match state.reference.commune(commune.trim()) {
            Some(chosen) => {
                let names: HashMap<u64, &str> = mandataires
                    .rows
                    .iter()
                    .map(|m| (m.id, m.nom.as_str()))
                    .collect();
                let mut holders: Vec<(u64, String, u32)> =
                    mesures::owners_in_commune(space.read, &owners, &chosen.code_insee)?
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
            mandataires,
            communes: derived.communes.clone(),
            antennes: derived.antennes.clone(),
            tuiles: state.settings.tile_url.clone(),
            attribution: state.settings.tile_attribution.clone(),
            commune_choisie,
        })
    })
}

//! Server side of the "Code postal ou commune" search: resolves what the user typed or picked into a place
//! of the embedded reference data.

use crate::api::public::{CommuneLookup, PlaceInfo};
use crate::rules::Suggestion;
use crate::server::search::Resolution;
use crate::server::AppState;

/// Resolves a typed text, or a picked id, into one place, none, or a choice (SPEC §10).
pub fn locate_commune(state: &AppState, typed: &str, chosen_id: Option<&str>) -> CommuneLookup {
    match state.communes.resolve(typed, chosen_id) {
        Resolution::Empty => CommuneLookup::Empty,
        Resolution::None => CommuneLookup::NotFound {
            typed: typed.trim().to_owned(),
        },
        Resolution::Several(entries) => CommuneLookup::Several {
            typed: typed.trim().to_owned(),
            options: entries
                .into_iter()
                .map(|e| Suggestion {
                    id: e.id.to_owned(),
                    label: e.label.to_owned(),
                })
                .collect(),
        },
        Resolution::One(entry) => match place_info(state, entry.id) {
            Some(info) => CommuneLookup::Found(info),
            None => CommuneLookup::NotFound {
                typed: typed.trim().to_owned(),
            },
        },
    }
}

fn place_info(state: &AppState, id: &str) -> Option<PlaceInfo> {
    let (insee, code_postal) = id.split_once('-')?;
    let reference = &state.reference;
    let commune = reference.commune(insee)?;
    let departement = reference.departement(&commune.departement)?;
    Some(PlaceInfo {
        id: id.to_owned(),
        label: format!("{code_postal} {}", commune.nom),
        departement: format!("{} ({})", departement.nom, departement.code),
        region: reference
            .region_name(&departement.region)
            .unwrap_or_default()
            .to_owned(),
        population: commune.population,
        coordinates: commune.coordinates,
    })
}

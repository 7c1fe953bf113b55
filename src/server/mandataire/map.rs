//! "Vue carte" of the mandataire (SPEC §5.6).

use super::space_page;
use crate::api::mandataire::{Carte, CarteCommune, SpacePage};
use crate::api::AppResult;
use crate::db::mesures;
use crate::rules::mesure::nature_with_champ;
use crate::server::context::Ctx;

/// "Vue carte" (SPEC §5.6): the mesures en cours grouped by commune, located with the embedded coordinates.
pub fn map_page() -> AppResult<SpacePage<Carte>> {
    let cx = Ctx::mandataire()?;
    let state = &cx.state;
    space_page(&cx, "", |read, caller, _| {
        let by_commune = mesures::map_of_owner(read, caller.owner())?;
        let mut communes: Vec<CarteCommune> = by_commune
            .into_iter()
            .map(|(insee, lines)| {
                let place = state.reference.commune(&insee);
                CarteCommune {
                    nom: place.map_or_else(|| format!("Commune {insee}"), |c| c.nom.clone()),
                    position: place.and_then(|c| c.coordinates),
                    lignes: lines
                        .into_iter()
                        .map(|(nature, champ, annee)| {
                            format!("{} – {annee}", nature_with_champ(nature, champ))
                        })
                        .collect(),
                }
            })
            .collect();
        communes.sort_by(|a, b| {
            b.lignes.len().cmp(&a.lignes.len()).then_with(|| {
                crate::rules::text::fold(&a.nom).cmp(&crate::rules::text::fold(&b.nom))
            })
        });
        Ok(Carte {
            communes,
            tuiles: state.settings.tile_url.clone(),
            attribution: state.settings.tile_attribution.clone(),
        })
    })
}

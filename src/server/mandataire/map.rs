//! "Vue carte" of the mandataire (SPEC §5.6).

use super::space_page;
use crate::api::mandataire::{Carte, CarteCommune, SpacePage};
use crate::api::AppResult;
use crate::db::mesures;
use crate::rules::mesure::nature_with_champ;
use crate::server::context::Ctx;

/// The most lines one commune lists: a service holds hundreds of mesures in a town, which no popup can show;
/// the list of "Mesures en cours" (searched by commune) has them all.
pub const MAP_LINES: usize = 20;

/// "<type> – <année>" per mesure, identical ones on one line with their count (`grouped`, from the map's
/// summary: at most `MAP_LINES`), then how many more (`rest`).
fn popup_lines(grouped: &[(mesures::MapLine, u32)], rest: u32) -> Vec<String> {
    let mut out: Vec<String> = grouped
        .iter()
        .take(MAP_LINES)
        .map(|((nature, champ, annee), count)| {
            let line = format!("{} – {annee}", nature_with_champ(*nature, *champ));
            if *count > 1 {
                format!("{line} ({count} mesures)")
            } else {
                line
            }
        })
        .collect();
    let rest = rest
        + grouped
            .iter()
            .skip(MAP_LINES)
            .map(|(_, count)| count)
            .sum::<u32>();
    if rest > 0 {
        out.push(format!(
            "… et {} (recherchez la commune dans « Mesures en cours »)",
            crate::rules::format::plural(rest as usize, "autre mesure", "autres mesures")
        ));
    }
    out
}

/// "Vue carte" (SPEC §5.6): the mesures en cours grouped by commune, located with the embedded coordinates.
pub fn map_page() -> AppResult<SpacePage<Carte>> {
    let cx = Ctx::mandataire()?;
    let state = &cx.state;
    space_page(&cx, "", |read, caller, _| {
        let by_commune = mesures::lines_of_owner(read, caller.owner(), MAP_LINES)?;
        let mut communes: Vec<CarteCommune> = by_commune
            .into_iter()
            .map(|commune| {
                let place = state.reference.commune(&commune.insee);
                CarteCommune {
                    nom: place
                        .map_or_else(|| format!("Commune {}", commune.insee), |c| c.nom.clone()),
                    position: place.and_then(|c| c.coordinates),
                    nombre: commune.total,
                    lignes: popup_lines(&commune.lines, commune.rest),
                }
            })
            .collect();
        // Each name folded once (hundreds of communes for a large service), not at each comparison.
        communes.sort_by_cached_key(|c| {
            (
                std::cmp::Reverse(c.nombre),
                crate::rules::text::fold(&c.nom),
            )
        });
        Ok(Carte {
            communes,
            tuiles: state.settings.tile_url.clone(),
            attribution: state.settings.tile_attribution.clone(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::mesure::Nature;

    #[test]
    fn identical_mesures_share_a_line_and_a_crowded_commune_says_how_many_more() {
        let tutelle = (Nature::Tutelle, None, 1948);
        let lines = popup_lines(&[(tutelle, 3), ((Nature::Tutelle, None, 1950), 1)], 0);
        assert_eq!(lines, ["Tutelle – 1948 (3 mesures)", "Tutelle – 1950"]);
        // 30 lines of 2 mesures: 20 shown, the summary's 10 others (20 mesures) told.
        let crowded: Vec<(mesures::MapLine, u32)> = (0..20)
            .map(|year| ((Nature::Tutelle, None, 1900 + year), 2))
            .collect();
        let lines = popup_lines(&crowded, 20);
        assert_eq!(lines.len(), MAP_LINES + 1);
        assert_eq!(
            lines.last().unwrap(),
            "… et 20 autres mesures (recherchez la commune dans « Mesures en cours »)"
        );
    }
}

//! The tribunaux autocomplete: the active tribunaux, by name or city, alphabetical (SPEC §10).

use std::path::Path;

use super::{Entry, SearchError, SearchIndex};
use crate::db::tribunaux::Tribunal;

pub const KIND: &str = "tribunaux";

/// Opens or builds the tribunaux index under `index_root` from the stored tribunaux active on `today`.
pub fn open(
    index_root: &Path,
    tribunaux: &[Tribunal],
    today: &str,
) -> Result<SearchIndex, SearchError> {
    let entries = tribunaux
        .iter()
        .filter(|t| t.is_active(today))
        .map(|t| Entry {
            id: t.id.to_string(),
            label: t.nom.clone(),
            name: format!("{} {}", t.nom, t.ville),
            codes: t
                .siret
                .iter()
                .cloned()
                .chain([t.code_postal.clone()])
                .collect(),
            rank: 0,
        })
        .collect();
    super::open_alphabetical(index_root, KIND, entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tribunal::TribunalType;

    fn tribunal(id: u64, kind: TribunalType, nom: &str, ville: &str, actif: bool) -> Tribunal {
        Tribunal {
            id,
            kind,
            nom: nom.to_owned(),
            siret: None,
            adresse: String::new(),
            adresse_complement: String::new(),
            code_postal: "62100".to_owned(),
            ville: ville.to_owned(),
            code_insee: "62193".to_owned(),
            departement: "62".to_owned(),
            telephone: String::new(),
            email: String::new(),
            juridiction_parente: String::new(),
            date_ouverture: None,
            date_fermeture: None,
            actif,
            coordinates: None,
        }
    }

    #[test]
    fn only_active_tribunaux_by_name_or_city() {
        let dir = tempfile::tempdir().unwrap();
        let all = [
            tribunal(
                1,
                TribunalType::Proximite,
                "Tribunal de proximité de Calais",
                "CALAIS",
                true,
            ),
            tribunal(
                2,
                TribunalType::Instance,
                "Tribunal d'instance de Calais",
                "CALAIS",
                false,
            ),
            tribunal(
                3,
                TribunalType::Judiciaire,
                "Tribunal judiciaire de Boulogne-sur-Mer",
                "BOULOGNE-SUR-MER",
                true,
            ),
        ];
        let index = open(dir.path(), &all, "2026-11-28").unwrap();
        let labels = |q: &str| {
            index
                .suggest(q)
                .into_iter()
                .map(|s| s.label)
                .collect::<Vec<_>>()
        };
        assert_eq!(labels("calais"), ["Tribunal de proximité de Calais"]);
        assert_eq!(
            labels("boulog"),
            ["Tribunal judiciaire de Boulogne-sur-Mer"]
        );
        assert_eq!(
            labels("tribunal"),
            [
                "Tribunal de proximité de Calais",
                "Tribunal judiciaire de Boulogne-sur-Mer"
            ]
        );
        assert_eq!(index.suggest("calais")[0].id, "1");
    }
}

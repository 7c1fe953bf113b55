//! The établissements autocomplete: by name, commune or FINESS number; "<nom> – <cp> <commune>" (SPEC §10).

use std::path::Path;

use super::{Entry, SearchError, SearchIndex};
use crate::db::etablissements::Etablissement;

pub const KIND: &str = "etablissements";

/// The label shown for an établissement.
pub fn label(e: &Etablissement) -> String {
    format!("{} – {} {}", e.nom, e.code_postal, e.ville)
}

fn entry(e: &Etablissement) -> Entry {
    Entry {
        id: e.finess.clone(),
        label: label(e),
        name: format!("{} {}", e.nom, e.ville),
        codes: vec![e.finess.to_lowercase(), e.code_postal.clone()],
        rank: 0,
    }
}

/// Opens or builds the index of the établissements not closed by an administrator.
pub fn open(
    index_root: &Path,
    etablissements: &[Etablissement],
) -> Result<SearchIndex, SearchError> {
    let entries = etablissements
        .iter()
        .filter(|e| !e.ferme)
        .map(entry)
        .collect();
    super::open_alphabetical(index_root, KIND, entries)
}

/// `open` on the établissements of the database, read one at a time (issue 20: the 100,000 of a national
/// database decoded together added 70 MB to the start-up's resident memory).
pub fn open_stored(
    index_root: &Path,
    read: &redb::ReadTransaction,
) -> Result<SearchIndex, crate::server::StartError> {
    let mut entries = Vec::new();
    crate::db::etablissements::for_each(read, |e| {
        if !e.ferme {
            entries.push(entry(&e));
        }
    })?;
    Ok(super::open_alphabetical(index_root, KIND, entries)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etablissement(finess: &str, nom: &str, ferme: bool) -> Etablissement {
        Etablissement {
            finess: finess.to_owned(),
            finess_ej: String::new(),
            nom: nom.to_owned(),
            adresse: String::new(),
            code_postal: "62100".to_owned(),
            ville: "Calais".to_owned(),
            code_insee: "62193".to_owned(),
            telephone: String::new(),
            categorie: "500".to_owned(),
            categorie_libelle: String::new(),
            siret: String::new(),
            coordinates: None,
            ferme,
        }
    }

    #[test]
    fn by_name_commune_or_number_closed_ones_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let all = [
            etablissement("620018135", "EHPAD RESIDENCE CHATEAU DES DUNES", false),
            etablissement("620000002", "EHPAD LES TILLEULS", false),
            etablissement("620000003", "EHPAD FERME", true),
        ];
        let index = open(dir.path(), &all).unwrap();
        let labels = |q: &str| {
            index
                .suggest(q)
                .into_iter()
                .map(|s| s.label)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            labels("chateau des dunes"),
            ["EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais"]
        );
        assert_eq!(
            labels("620018135"),
            ["EHPAD RESIDENCE CHATEAU DES DUNES – 62100 Calais"]
        );
        assert_eq!(
            labels("ehpad calais").len(),
            2,
            "name and commune words together, the closed one hidden"
        );
    }
}

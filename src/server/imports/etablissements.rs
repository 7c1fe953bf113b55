//! Import of établissements (SPEC §9), in either format, told by the file's first line: (a) the official
//! FINESS extract (`finess` module), (b) the simplified CSV of the project's reference file
//! `etablissements.csv` (comma-separated, header starting with `finess_et`, WGS84 coordinates).

use std::collections::HashMap;

use redb::Database;

use super::{CsvFile, ImportError, ImportReport, LineError, Row, Store};
use crate::db::etablissements::{self, Etablissement};
use crate::server::reference::ReferenceData;

/// FINESS categories kept by default (SPEC §9); "Importer toutes les catégories" keeps every one.
pub const DEFAULT_CATEGORIES: [&str; 29] = [
    "101", "106", "165", "202", "214", "219", "246", "252", "253", "255", "292", "355", "362",
    "370", "379", "380", "381", "382", "395", "412", "437", "444", "445", "446", "448", "500",
    "501", "502", "697",
];

/// Parses, checks and upserts in one write transaction with its audit entry. Lines of other categories are
/// left out (and counted in `skipped_categories`) unless `all_categories`.
pub fn import(
    database: &Database,
    reference: &ReferenceData,
    bytes: &[u8],
    all_categories: bool,
    actor: Option<u64>,
    ip: &str,
) -> Result<(ImportReport, usize), ImportError> {
    let mut errors: Vec<LineError> = Vec::new();
    let mut valid = Vec::new();
    let mut skipped_categories = 0;
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut keep = |line: u64, e: Etablissement, errors: &mut Vec<LineError>| {
        if !all_categories && !DEFAULT_CATEGORIES.contains(&e.categorie.as_str()) {
            skipped_categories += 1;
            return;
        }
        match first_line.get(&e.finess) {
            Some(first) => errors.push((line, format!("même numéro FINESS que la ligne {first}"))),
            None => {
                first_line.insert(e.finess.clone(), line);
                valid.push(e);
            }
        }
    };
    if super::finess::is_official_extract(bytes) {
        let text = super::finess::decode(bytes);
        let (parsed, invalid) = super::finess::parse(&text, reference);
        errors.extend(invalid);
        for p in parsed {
            keep(p.line, p.etablissement, &mut errors);
        }
    } else {
        let text = super::utf8(bytes)?;
        let file = CsvFile::read(text, b',', &["finess_et", "raison_sociale"])?;
        errors.extend(file.unreadable.iter().cloned());
        for (line, record) in &file.records {
            match etablissement_of(&file.row(record), reference) {
                Ok(e) => keep(*line, e, &mut errors),
                Err(reason) => errors.push((*line, reason)),
            }
        }
    }
    errors.sort_by_key(|(line, _)| *line);

    let store = Store {
        action: "Import des établissements",
        key: |e: &Etablissement| e.finess.clone(),
        upsert: etablissements::upsert,
        stored_keys: etablissements::finess_numbers,
    };
    let report = super::commit(database, &store, valid, errors, actor, ip)?;
    Ok((report, skipped_categories))
}

/// True for a FINESS ET number: 9 characters, digits, or "2A"/"2B" then digits in Corsica.
pub fn is_finess(value: &str) -> bool {
    value.len() == 9
        && (value.chars().all(|c| c.is_ascii_digit())
            || (value.starts_with("2A") || value.starts_with("2B"))
                && value[2..].chars().all(|c| c.is_ascii_digit()))
}

fn etablissement_of(row: &Row<'_>, reference: &ReferenceData) -> Result<Etablissement, String> {
    let finess = row.get("finess_et").to_uppercase();
    if !is_finess(&finess) {
        return Err(format!(
            "numéro FINESS invalide « {finess} » (9 caractères)"
        ));
    }
    let nom = [row.get("raison_sociale_longue"), row.get("raison_sociale")]
        .into_iter()
        .find(|n| !n.is_empty())
        .ok_or("raison sociale manquante")?;
    let code_insee = [row.get("code_insee_actuel"), row.get("code_insee")]
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or_default()
        .to_uppercase();
    let commune = reference.commune(&code_insee);
    let coordinates = super::coordinates(
        row.get("lat"),
        row.get("lon"),
        commune.and_then(|c| c.coordinates),
    )?;
    Ok(Etablissement {
        finess,
        finess_ej: row.get("finess_ej").to_owned(),
        nom: nom.to_owned(),
        adresse: row.get("adresse").to_owned(),
        code_postal: row.get("code_postal").to_owned(),
        // The commune's official name when the code is known ("Calais" rather than "CALAIS").
        ville: commune.map_or_else(|| row.get("ville").to_owned(), |c| c.nom.clone()),
        code_insee,
        telephone: row.get("telephone").to_owned(),
        categorie: row.get("categorie").to_owned(),
        categorie_libelle: row.get("categorie_libelle").to_owned(),
        siret: row.get("siret").to_owned(),
        coordinates,
        ferme: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::ReadableDatabase;

    const HEADER: &str = "finess_et,finess_ej,raison_sociale,raison_sociale_longue,complement_rs,complement_distribution,adresse,lieudit_bp,code_postal,ville,code_insee,code_insee_actuel,departement,telephone,telecopie,categorie,categorie_libelle,categorie_agregat,categorie_agregat_libelle,siret,code_ape,mft_code,mft_libelle,sph_code,sph_libelle,date_ouverture,date_autorisation,date_maj,lat,lon";

    fn fixture() -> String {
        [
            HEADER,
            "620000001,620000000,EHPAD DUNES,EHPAD RESIDENCE LES DUNES,,,1 RUE DE LA MER,,62100,CALAIS,62193,62193,62,0321000000,,500,EHPAD,,,,,,,,,,,,50.95,1.85",
            "620000002,620000000,CH CALAIS,,,,,,62100,CALAIS,62193,,62,,,355,CH,,,,,,,,,,,,,",
            "620000003,620000000,PHARMACIE,,,,,,62100,CALAIS,62193,,62,,,620,Pharmacie,,,,,,,,,,,,,",
            "12345,620000000,MAUVAIS NUMERO,,,,,,62100,CALAIS,62193,,62,,,500,EHPAD,,,,,,,,,,,,,",
            "2A0000001,2A0000000,EHPAD AJACCIO,,,,,,20000,AJACCIO,2A004,,2A,,,500,EHPAD,,,,,,,,,,,,,",
        ]
        .join("\n")
    }

    #[test]
    fn categories_numbers_and_idempotence() {
        let (_dir, database, reference) = super::super::test_store();
        let (report, skipped) = import(
            &database,
            &reference,
            fixture().as_bytes(),
            false,
            None,
            "t",
        )
        .unwrap();
        assert_eq!(
            report.summary(),
            "3 créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 1 lignes en erreur"
        );
        assert_eq!(skipped, 1, "the pharmacy is not in the default categories");
        assert!(report
            .to_string()
            .contains("Ligne 5 : numéro FINESS invalide « 12345 »"));
        let (again, _) = import(
            &database,
            &reference,
            fixture().as_bytes(),
            false,
            None,
            "t",
        )
        .unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
        let (all, skipped) =
            import(&database, &reference, fixture().as_bytes(), true, None, "t").unwrap();
        assert_eq!((all.created, skipped), (1, 0), "every category on request");

        let read = database.begin_read().unwrap();
        let stored = etablissements::all(&read).unwrap();
        let dunes = stored.iter().find(|e| e.finess == "620000001").unwrap();
        assert_eq!(dunes.nom, "EHPAD RESIDENCE LES DUNES", "rslongue before rs");
        assert_eq!(dunes.ville, "Calais");
        assert_eq!(dunes.coordinates, Some((50.95, 1.85)));
        assert!(
            stored
                .iter()
                .find(|e| e.finess == "620000002")
                .unwrap()
                .coordinates
                .is_some(),
            "from the commune"
        );
        assert!(stored.iter().any(|e| e.finess == "2A0000001"));
    }

    #[test]
    fn the_official_finess_extract_is_imported_idempotently_and_keeps_links() {
        use super::super::finess::tests::structure;
        let (_dir, database, reference) = super::super::test_store();
        let extract = [
            "finess;etalab;95;2026-11-01".to_owned(),
            structure("620018135", "EHPAD CHATEAU DES DUNES", "EHPAD RESIDENCE CHATEAU DES DUNES", "193", "62", "62100 CALAIS", "500"),
            "geolocalisation;620018135;619631.87;7095615.93;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2026-01-01".to_owned(),
            structure("620000009", "PHARMACIE", "", "193", "62", "62100 CALAIS", "620"),
            structure("970100001", "EHPAD GOSIER", "", "113", "9A", "97190 LE GOSIER", "500"),
            "geolocalisation;970100001;665000.0;1795000.0;1,ATLASANTE;2026-01-01".to_owned(),
        ]
        .join("\n");
        // Latin-1, as the official files are.
        let latin1: Vec<u8> = extract
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        let (report, skipped) = import(&database, &reference, &latin1, false, None, "t").unwrap();
        assert_eq!(
            report.summary(),
            "2 créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 0 lignes en erreur"
        );
        assert_eq!(skipped, 1, "the pharmacy's category is not kept by default");
        let (again, _) =
            import(&database, &reference, extract.as_bytes(), false, None, "t").unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 2),
            "UTF-8 reads the same"
        );
        let read = database.begin_read().unwrap();
        let stored = etablissements::all(&read).unwrap();
        let dunes = stored.iter().find(|e| e.finess == "620018135").unwrap();
        assert_eq!(
            (dunes.ville.as_str(), dunes.code_postal.as_str()),
            ("Calais", "62100")
        );
        let (lat, lon) = dunes.coordinates.unwrap();
        assert!((lat - 50.9513).abs() < 1e-6 && (lon - 1.8587).abs() < 1e-6);
        let gosier = stored.iter().find(|e| e.finess == "970100001").unwrap();
        assert_eq!(gosier.code_insee, "97113");
        let (lat, lon) = gosier.coordinates.unwrap();
        assert!(
            (16.1..16.3).contains(&lat) && (-61.5..-61.4).contains(&lon),
            "UTM 20N: {lat} {lon}"
        );
    }

    /// The project's reference file (24,030 rows), when the shared data is present.
    #[test]
    fn reference_file_imports_every_row() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/etablissements.csv");
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{} absent : test sauté", path.display());
            return;
        };
        let (_dir, database, reference) = super::super::test_store();
        let (report, skipped) = import(&database, &reference, &bytes, false, None, "t").unwrap();
        assert_eq!(report.errors, Vec::<LineError>::new());
        assert_eq!((report.created, skipped), (24_030, 0));
        let (again, _) = import(&database, &reference, &bytes, false, None, "t").unwrap();
        assert_eq!(again.unchanged, 24_030);
    }
}

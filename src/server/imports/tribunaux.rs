//! Import of the tribunaux file (SPEC §9): UTF-8, comma-separated, with a header naming the columns
//! `type, nom, siret, adresse, adresse_complement, code_postal, ville, code_insee, departement, telephone,
//! email, juridiction_parente, date_ouverture, date_fermeture, actif, lat, lon` (others ignored).

use std::collections::HashMap;

use redb::Database;

use super::{CsvFile, ImportError, ImportReport, LineError, Row, Store};
use crate::db::tribunaux::{self, Tribunal};
use crate::rules::tribunal::TribunalType;
use crate::server::reference::ReferenceData;

/// Parses and checks every line, then upserts the valid ones in one write transaction with its audit entry.
pub fn import(
    database: &Database,
    reference: &ReferenceData,
    bytes: &[u8],
    actor: Option<u64>,
    ip: &str,
) -> Result<ImportReport, ImportError> {
    let (rows, errors) = parse(bytes, reference)?;
    let store = Store {
        action: "Import des tribunaux",
        key: Tribunal::natural_key,
        upsert: tribunaux::upsert,
        stored_keys: tribunaux::natural_keys,
    };
    super::commit(database, &store, rows, errors, actor, ip)
}

/// The valid tribunaux of the file, and the reasons of the others ("Ligne <n> : <motif>").
fn parse(
    bytes: &[u8],
    reference: &ReferenceData,
) -> Result<(Vec<Tribunal>, Vec<LineError>), ImportError> {
    let file = CsvFile::read(super::utf8(bytes)?, b',', &["type", "nom"])?;
    let mut valid = Vec::new();
    let mut errors = file.unreadable.clone();
    let mut first_line_of_key: HashMap<String, u64> = HashMap::new();
    for (line, record) in &file.records {
        match tribunal_of(&file.row(record), reference) {
            Ok(tribunal) => {
                let key = tribunal.natural_key();
                if let Some(first) = first_line_of_key.get(&key) {
                    errors.push((*line, format!("même tribunal que la ligne {first}")));
                } else {
                    first_line_of_key.insert(key, *line);
                    valid.push(tribunal);
                }
            }
            Err(reason) => errors.push((*line, reason)),
        }
    }
    errors.sort_by_key(|(line, _)| *line);
    Ok((valid, errors))
}

fn tribunal_of(row: &Row<'_>, reference: &ReferenceData) -> Result<Tribunal, String> {
    let field = |name: &str| row.get(name);
    let kind = TribunalType::from_code(field("type")).ok_or_else(|| {
        format!(
            "type de tribunal inconnu « {} » (attendu : TJ, TPROX, TPI ou TI)",
            field("type")
        )
    })?;
    let nom = field("nom");
    if nom.is_empty() || nom.chars().count() > 200 {
        return Err("le nom est obligatoire (200 caractères au plus)".to_owned());
    }
    let siret: String = field("siret")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !siret.is_empty() && (siret.len() != 14 || !siret.chars().all(|c| c.is_ascii_digit())) {
        return Err("Le SIRET doit comporter 14 chiffres.".to_owned());
    }
    let code_insee = field("code_insee").to_uppercase();
    if code_insee.is_empty() {
        return Err("le code INSEE de la commune est obligatoire".to_owned());
    }
    let commune = reference
        .commune(&code_insee)
        .ok_or_else(|| format!("code INSEE inconnu « {code_insee} »"))?;
    let date = |name: &str| -> Result<Option<String>, String> {
        let value = field(name);
        if value.is_empty() {
            return Ok(None);
        }
        let parts: Vec<&str> = value.split('-').collect();
        let valid = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            && parts[2].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
        if valid {
            Ok(Some(value.to_owned()))
        } else {
            Err(format!(
                "date invalide « {value} » dans « {name} » (attendu : aaaa-mm-jj)"
            ))
        }
    };
    let actif = match field("actif").to_lowercase().as_str() {
        "" | "1" | "oui" | "true" => true,
        "0" | "non" | "false" => false,
        other => {
            return Err(format!(
                "valeur « {other} » de « actif » invalide (attendu : 1 ou 0)"
            ))
        }
    };
    let coordinates = super::coordinates(field("lat"), field("lon"), commune.coordinates)?;
    Ok(Tribunal {
        id: 0,
        kind,
        nom: nom.to_owned(),
        siret: (!siret.is_empty()).then_some(siret),
        adresse: field("adresse").to_owned(),
        adresse_complement: field("adresse_complement").to_owned(),
        code_postal: field("code_postal").to_owned(),
        ville: field("ville").to_owned(),
        code_insee,
        departement: field("departement").to_owned(),
        telephone: field("telephone").to_owned(),
        email: field("email").to_lowercase(),
        juridiction_parente: field("juridiction_parente").to_owned(),
        date_ouverture: date("date_ouverture")?,
        date_fermeture: date("date_fermeture")?,
        actif,
        coordinates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::ReadableDatabase;

    const FIXTURE: &str = "\
type,nom,siret,adresse,adresse_complement,code_postal,ville,code_insee,departement,telephone,email,juridiction_parente,date_ouverture,date_fermeture,actif,lat,lon,coord_source,emjpm_id,source
TPROX,Tribunal de proximité de Calais,17620111900123,PLACE DE NORVEGE,,62100,CALAIS,62193,62,0321000000,tprox-calais@justice.fr,Tribunal judiciaire de Boulogne-sur-Mer,2020-01-01,,1,,,,1,x
TI,Tribunal d'instance de Calais,17620111900123,,,62100,CALAIS,62193,62,,,,,2019-12-31,0,,,,2,x
TJ,Tribunal judiciaire de Boulogne-sur-Mer,17620111900099,,,62200,BOULOGNE-SUR-MER,62160,62,,,,,,1,50.72,1.61,,3,x
XX,Tribunal inconnu,,,,,,62193,62,,,,,,1,,,,,x
TJ,Tribunal judiciaire sans SIRET valide,123,,,,,62193,62,,,,,,1,,,,,x
TJ,Tribunal judiciaire de nulle part,,,,,,00000,00,,,,,,1,,,,,x
TPROX,Tribunal de proximité de Calais,17620111900123,,,62100,CALAIS,62193,62,,,,,,1,,,,,x
";

    #[test]
    fn fixture_lists_bad_lines_and_is_idempotent() {
        let (_dir, database, reference) = super::super::test_store();
        let report = import(&database, &reference, FIXTURE.as_bytes(), None, "test").unwrap();
        assert_eq!(
            report.summary(),
            "3 créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 4 lignes en erreur"
        );
        let text = report.to_string();
        assert!(
            text.contains("Ligne 5 : type de tribunal inconnu « XX »"),
            "{text}"
        );
        assert!(
            text.contains("Ligne 6 : Le SIRET doit comporter 14 chiffres."),
            "{text}"
        );
        assert!(
            text.contains("Ligne 7 : code INSEE inconnu « 00000 »"),
            "{text}"
        );
        assert!(
            text.contains("Ligne 8 : même tribunal que la ligne 2"),
            "{text}"
        );

        let again = import(&database, &reference, FIXTURE.as_bytes(), None, "test").unwrap();
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));

        // A changed phone updates in place; a tribunal missing from the file is kept and counted.
        let changed = FIXTURE.replace("0321000000", "0321999999");
        let only_calais: String = changed.lines().take(2).map(|l| format!("{l}\n")).collect();
        let report = import(&database, &reference, only_calais.as_bytes(), None, "test").unwrap();
        assert_eq!(
            report.summary(),
            "0 créés, 1 mis à jour, 0 inchangés, 2 absents du fichier, 0 lignes en erreur"
        );

        let read = database.begin_read().unwrap();
        let all = tribunaux::all(&read).unwrap();
        assert_eq!(all.len(), 3, "nothing deleted");
        let calais = all
            .iter()
            .find(|t| t.nom == "Tribunal de proximité de Calais")
            .unwrap();
        assert_eq!(calais.telephone, "0321999999");
        assert!(calais.is_active("2026-11-28"));
        assert!(calais.coordinates.is_some(), "located by its commune");
        let ti = all
            .iter()
            .find(|t| t.kind == TribunalType::Instance)
            .unwrap();
        assert!(
            !ti.is_active("2026-11-28"),
            "closed tribunaux d'instance are not offered"
        );
        assert_eq!(
            all.iter()
                .find(|t| t.kind == TribunalType::Judiciaire)
                .unwrap()
                .coordinates,
            Some((50.72, 1.61))
        );
    }

    #[test]
    fn unreadable_files_change_nothing() {
        let (_dir, database, reference) = super::super::test_store();
        assert!(matches!(
            import(&database, &reference, b"\xff\xfe", None, "t"),
            Err(ImportError::Unreadable(_))
        ));
        assert!(matches!(
            import(&database, &reference, b"a,b\n1,2\n", None, "t"),
            Err(ImportError::MissingColumn("type"))
        ));
        let read = database.begin_read().unwrap();
        assert!(tribunaux::all(&read).unwrap().is_empty());
    }

    /// SPEC §18 scenario 28 (command-line half) on the project's reference file, when it is present.
    #[test]
    fn reference_file_twice_gives_599_created_then_599_unchanged() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/tribunaux.csv");
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{} absent : test sauté", path.display());
            return;
        };
        let (_dir, database, reference) = super::super::test_store();
        let first = import(&database, &reference, &bytes, None, "test").unwrap();
        assert_eq!(
            first.summary(),
            "599 créés, 0 mis à jour, 0 inchangés, 0 absents du fichier, 0 lignes en erreur"
        );
        let second = import(&database, &reference, &bytes, None, "test").unwrap();
        assert_eq!(
            second.summary(),
            "0 créés, 0 mis à jour, 599 inchangés, 0 absents du fichier, 0 lignes en erreur"
        );
        let read = database.begin_read().unwrap();
        let all = tribunaux::all(&read).unwrap();
        let active: Vec<&Tribunal> = all.iter().filter(|t| t.is_active("2026-11-28")).collect();
        assert_eq!(active.len(), 294);
        assert!(active
            .iter()
            .any(|t| t.nom == "Tribunal de proximité de Calais"));
        assert!(!active.iter().any(|t| t.kind == TribunalType::Instance));
    }
}

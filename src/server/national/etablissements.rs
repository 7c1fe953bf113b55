//! The national data set's établissements: the reference file, then fictitious ones up to the number asked,
//! each a copy of a real one (same category, commune and place) with its own FINESS number and name. They
//! go through the product's own import, like a file an administrator uploads.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::Rng;

use crate::server::commands::CommandError;

const KINDS: [&str; 8] = [
    "EHPAD",
    "RESIDENCE",
    "FOYER DE VIE",
    "MAISON DE RETRAITE",
    "FOYER D'ACCUEIL MEDICALISE",
    "MAISON D'ACCUEIL SPECIALISEE",
    "CENTRE HOSPITALIER",
    "RESIDENCE AUTONOMIE",
];

const NAMES: [&str; 32] = [
    "LES TILLEULS",
    "LES GLYCINES",
    "SAINT-JOSEPH",
    "LES MIMOSAS",
    "LE CLOS FLEURI",
    "LES CHARMILLES",
    "LA ROSERAIE",
    "LES PEUPLIERS",
    "SAINTE-ANNE",
    "LE PARC",
    "LES JARDINS DU CHATEAU",
    "L'OLIVERAIE",
    "LES BRUYERES",
    "LA VALLEE",
    "LES CEDRES",
    "LE BOIS JOLI",
    "LES HORTENSIAS",
    "SAINT-VINCENT DE PAUL",
    "LA SOURCE",
    "LES ACACIAS",
    "LE VAL D'ARGENT",
    "LES LILAS",
    "NOTRE-DAME",
    "LES MARRONNIERS",
    "LA FONTAINE",
    "LES CAMELIAS",
    "LE HAMEAU",
    "LES SAULES",
    "BELLEVUE",
    "LES VIGNES",
    "LA PINEDE",
    "LES COQUELICOTS",
];

/// The reference file's lines followed by `total - n` fictitious ones, as one CSV file.
pub(super) fn file(
    reference: &[u8],
    total: usize,
    rng: &mut StdRng,
) -> Result<Vec<u8>, CommandError> {
    let invalid =
        |e: csv::Error| CommandError::Invalid(format!("fichier des établissements : {e}"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reference);
    let headers = reader.headers().map_err(invalid)?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| CommandError::Invalid(format!("colonne « {name} » absente")))
    };
    let (finess, finess_ej, rs, rs_longue, siret, telephone, ville) = (
        column("finess_et")?,
        column("finess_ej")?,
        column("raison_sociale")?,
        column("raison_sociale_longue")?,
        column("siret")?,
        column("telephone")?,
        column("ville")?,
    );
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(invalid)?;
    if records.is_empty() {
        return Err(CommandError::Invalid(
            "le fichier des établissements est vide".to_owned(),
        ));
    }
    let mut taken: HashSet<String> = records.iter().map(|r| r[finess].to_owned()).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| CommandError::Store(e.to_string());
    writer.write_record(&headers).map_err(fail)?;
    for record in &records {
        writer.write_record(record).map_err(fail)?;
    }
    let mut serial = 9_000_000u32;
    for _ in records.len()..total {
        let base = &records[rng.random_range(0..records.len())];
        let departement = &base[finess][..2];
        let number = loop {
            serial += 1;
            let candidate = format!("{departement}{serial:07}");
            if taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        let kind = KINDS[rng.random_range(0..KINDS.len())];
        let name = NAMES[rng.random_range(0..NAMES.len())];
        let mut fields: Vec<String> = base.iter().map(str::to_owned).collect();
        fields[finess] = number;
        fields[finess_ej] = String::new();
        fields[rs] = format!("{kind} {name}");
        fields[rs_longue] = format!("{kind} {name} {}", &base[ville]);
        fields[siret] = String::new();
        fields[telephone] = String::new();
        writer.write_record(&fields).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| CommandError::Store(e.to_string()))
}

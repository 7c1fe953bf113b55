//! The official FINESS extract (SPEC §9, format (a)): semicolon-separated lines in Latin-1 or UTF-8, of which
//! `structureet` lines describe an établissement and `geolocalisation` lines give its projected coordinates
//! (Lambert-93, or UTM overseas); every other line (the leading `finess;etalab;…` line, other kinds) is
//! ignored.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{geodesy, LineError};
use crate::db::etablissements::Etablissement;
use crate::server::reference::ReferenceData;

/// True when the file is an official extract: its first line is a `finess;…` or `structureet;…` line.
pub fn is_official_extract(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    start.starts_with(b"finess;") || start.starts_with(b"structureet;")
}

/// UTF-8 when the bytes are, else Latin-1 (every byte is its own code point).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text.trim_start_matches('\u{feff}')),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// An établissement of the extract with its category, and the line it comes from.
pub struct Parsed {
    pub line: u64,
    pub etablissement: Etablissement,
}

/// Parses the extract: the établissements (located by their `geolocalisation` line when there is one, else
/// by their commune) and the invalid `structureet` lines.
pub fn parse(text: &str, reference: &ReferenceData) -> (Vec<Parsed>, Vec<LineError>) {
    let mut located: HashMap<String, (f64, f64)> = HashMap::new();
    let mut structures = Vec::new();
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 1;
        let Ok(record) = record else {
            errors.push((line, "ligne illisible".to_owned()));
            continue;
        };
        match record.get(0) {
            Some("geolocalisation") => {
                let field = |i: usize| record.get(i).unwrap_or("").trim();
                let number = |i: usize| field(i).replace(',', ".").parse::<f64>().ok();
                if let (Some(x), Some(y)) = (number(2), number(3)) {
                    located.insert(field(1).to_uppercase(), (x, y));
                }
            }
            Some("structureet") => structures.push((line, record)),
            _ => {}
        }
    }
    let mut parsed = Vec::new();
    for (line, record) in structures {
        match etablissement_of(&record, &located, reference) {
            Ok(etablissement) => parsed.push(Parsed {
                line,
                etablissement,
            }),
            Err(reason) => errors.push((line, reason)),
        }
    }
    (parsed, errors)
}

/// The INSEE code of a FINESS (département, commune): "9A"–"9F" are the overseas départements 971–976,
/// whose INSEE codes are "97" and the three-digit commune code.
fn code_insee(departement: &str, commune: &str) -> String {
    if departement.len() == 2
        && departement.starts_with('9')
        && departement.as_bytes()[1].is_ascii_alphabetic()
    {
        format!("97{commune}")
    } else {
        format!("{departement}{commune}")
    }
}

fn etablissement_of(
    record: &csv::StringRecord,
    located: &HashMap<String, (f64, f64)>,
    reference: &ReferenceData,
) -> Result<Etablissement, String> {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let finess = field(1).to_uppercase();
    if !super::etablissements::is_finess(&finess) {
        return Err(format!(
            "numéro FINESS invalide « {finess} » (9 caractères)"
        ));
    }
    let nom = [field(4), field(3)]
        .into_iter()
        .find(|n| !n.is_empty())
        .ok_or("raison sociale manquante")?;
    let departement = field(13).to_uppercase();
    let code_insee = code_insee(&departement, field(12));
    let commune = reference.commune(&code_insee);
    // "62100 CALAIS": the code postal, then the city as La Poste writes it.
    let acheminement = field(15);
    let (code_postal, ville) = match acheminement.split_once(' ') {
        Some((cp, rest)) if cp.len() == 5 && cp.bytes().all(|b| b.is_ascii_digit()) => (cp, rest),
        _ => ("", acheminement),
    };
    let adresse = [field(7), field(8), field(9), field(10)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // Rounded to 1e-7 degree (about 1 cm): no false precision, and the stored value reads back equal, so
    // that a re-import reports the record unchanged.
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let coordinates = located
        .get(&finess)
        .and_then(|&(x, y)| geodesy::finess_to_wgs84(&departement, x, y))
        .map(|(lat, lon)| (round(lat), round(lon)))
        .or_else(|| commune.and_then(|c| c.coordinates));
    Ok(Etablissement {
        finess,
        finess_ej: field(2).to_owned(),
        nom: nom.to_owned(),
        adresse,
        code_postal: code_postal.to_owned(),
        ville: commune.map_or_else(|| ville.to_owned(), |c| c.nom.clone()),
        code_insee,
        telephone: field(16).to_owned(),
        categorie: field(18).to_owned(),
        categorie_libelle: field(19).to_owned(),
        siret: field(22).to_owned(),
        coordinates,
        ferme: false,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A `structureet` line with its 31 fields after the kind.
    pub fn structure(
        finess: &str,
        rs: &str,
        rslongue: &str,
        commune: &str,
        departement: &str,
        acheminement: &str,
        categorie: &str,
    ) -> String {
        format!(
            "structureet;{finess};620000000;{rs};{rslongue};;;12;RUE;DU PONT;;;{commune};{departement};PAS-DE-CALAIS;{acheminement};0321000000;;{categorie};Etablissement d'hébergement pour personnes âgées dépendantes;4401;EHPAD;;;;;;;2000-01-01;2000-01-01;2026-01-01;"
        )
    }

    #[test]
    fn insee_codes_of_the_overseas_departements() {
        assert_eq!(code_insee("62", "193"), "62193");
        assert_eq!(code_insee("2A", "004"), "2A004");
        assert_eq!(code_insee("9A", "101"), "97101");
        assert_eq!(code_insee("9D", "411"), "97411");
    }

    #[test]
    fn latin1_and_utf8_are_read() {
        assert_eq!(decode("RÉSIDENCE".as_bytes()), "RÉSIDENCE");
        assert_eq!(decode(b"R\xc9SIDENCE"), "RÉSIDENCE");
        assert!(is_official_extract(b"finess;etalab;95;2026-11-01\n"));
        assert!(!is_official_extract(b"finess_et,finess_ej\n"));
    }

    #[test]
    fn a_calais_ehpad_is_located_in_calais_from_its_lambert93_line() {
        let reference = ReferenceData::load().unwrap();
        let text = [
            "finess;etalab;95;2026-11-01".to_owned(),
            structure("620018135", "EHPAD CHATEAU DES DUNES", "EHPAD RESIDENCE CHATEAU DES DUNES", "193", "62", "62100 CALAIS", "500"),
            // Lambert-93 of Calais town hall (50.9513 N, 1.8587 E; PROJ: 619 631.87, 7 095 615.93).
            "geolocalisation;620018135;619631.87;7095615.93;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2026-01-01".to_owned(),
            structure("123", "MAUVAIS", "", "193", "62", "62100 CALAIS", "500"),
        ]
        .join("\n");
        let (parsed, errors) = parse(&text, &reference);
        assert_eq!(
            errors,
            vec![(
                4,
                "numéro FINESS invalide « 123 » (9 caractères)".to_owned()
            )]
        );
        let e = &parsed[0].etablissement;
        assert_eq!(e.nom, "EHPAD RESIDENCE CHATEAU DES DUNES");
        assert_eq!(
            (
                e.code_insee.as_str(),
                e.code_postal.as_str(),
                e.ville.as_str()
            ),
            ("62193", "62100", "Calais")
        );
        assert_eq!(e.adresse, "12 RUE DU PONT");
        assert_eq!(e.categorie, "500");
        let (lat, lon) = e.coordinates.unwrap();
        assert!(
            (lat - 50.9513).abs() < 1e-6 && (lon - 1.8587).abs() < 1e-6,
            "{lat} {lon}"
        );
    }
}

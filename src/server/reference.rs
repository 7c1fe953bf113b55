//! The embedded reference data (SPEC §9 "Embedded"): communes and arrondissements with their postal codes
//! and coordinates, départements and régions. Converted from `../shared/data` by
//! `scripts/convert-reference-data.py`; sources and licences are on the "Mentions légales" page.

use std::collections::HashMap;

const COMMUNES_TSV: &str = include_str!("../../data/reference/communes.tsv");
const DEPARTEMENTS_TSV: &str = include_str!("../../data/reference/departements.tsv");
const REGIONS_TSV: &str = include_str!("../../data/reference/regions.tsv");

/// A commune actuelle or a municipal arrondissement (Paris, Lyon, Marseille).
#[derive(Debug, Clone)]
pub struct Commune {
    pub code_insee: String,
    pub nom: String,
    pub arrondissement: bool,
    pub departement: String,
    pub population: u32,
    /// WGS84 latitude and longitude; `None` for the places the sources do not locate (never (0, 0)).
    pub coordinates: Option<(f64, f64)>,
    pub codes_postaux: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Departement {
    pub code: String,
    pub nom: String,
    pub region: String,
}

/// One (code postal, commune) pair: the unit the user picks in "Code postal" + "Commune".
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub commune: u32,
    pub code_postal_index: u8,
}

#[derive(Debug)]
pub struct ReferenceData {
    pub communes: Vec<Commune>,
    pub places: Vec<Place>,
    by_insee: HashMap<String, u32>,
    /// The places of each code postal, in the order of `places`: a form's "Code postal" is looked up here
    /// rather than by a scan of the 35,000 places (an import checks 10,000 of them at once).
    by_code_postal: HashMap<String, Vec<Place>>,
    departements: HashMap<String, Departement>,
    regions: HashMap<String, String>,
}

/// A line of the embedded files that does not parse: a defect of the build, reported with its line.
#[derive(Debug, thiserror::Error)]
#[error("données de référence invalides ({file}, ligne {line})")]
pub struct ReferenceError {
    pub file: &'static str,
    pub line: usize,
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

impl ReferenceData {
    /// Parses the embedded files.
    pub fn load() -> Result<Self, ReferenceError> {
        let mut communes = Vec::with_capacity(35_100);
        let mut places = Vec::with_capacity(35_600);
        for (line, f) in data_lines(COMMUNES_TSV) {
            let bad = || ReferenceError {
                file: "communes.tsv",
                line,
            };
            if f.len() != 8 {
                return Err(bad());
            }
            let coordinates = match (f[5], f[6]) {
                ("", "") => None,
                (lat, lon) => Some((
                    lat.parse().map_err(|_| bad())?,
                    lon.parse().map_err(|_| bad())?,
                )),
            };
            let codes_postaux: Vec<String> = f[7]
                .split(' ')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            let index = u32::try_from(communes.len()).map_err(|_| bad())?;
            for i in 0..codes_postaux.len() {
                places.push(Place {
                    commune: index,
                    code_postal_index: u8::try_from(i).map_err(|_| bad())?,
                });
            }
            communes.push(Commune {
                code_insee: f[0].to_owned(),
                arrondissement: f[1] == "A",
                nom: f[2].to_owned(),
                departement: f[3].to_owned(),
                population: f[4].parse().map_err(|_| bad())?,
                coordinates,
                codes_postaux,
            });
        }
        let mut departements = HashMap::new();
        for (line, f) in data_lines(DEPARTEMENTS_TSV) {
            if f.len() != 5 {
                return Err(ReferenceError {
                    file: "departements.tsv",
                    line,
                });
            }
            departements.insert(
                f[0].to_owned(),
                Departement {
                    code: f[0].to_owned(),
                    nom: f[1].to_owned(),
                    region: f[2].to_owned(),
                },
            );
        }
        let mut regions = HashMap::new();
        for (line, f) in data_lines(REGIONS_TSV) {
            if f.len() != 2 {
                return Err(ReferenceError {
                    file: "regions.tsv",
                    line,
                });
            }
            regions.insert(f[0].to_owned(), f[1].to_owned());
        }
        let by_insee = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code_insee.clone(), i as u32))
            .collect();
        let mut by_code_postal: HashMap<String, Vec<Place>> = HashMap::new();
        for &place in &places {
            let commune = &communes[place.commune as usize];
            by_code_postal
                .entry(commune.codes_postaux[place.code_postal_index as usize].clone())
                .or_default()
                .push(place);
        }
        Ok(ReferenceData {
            communes,
            places,
            by_insee,
            by_code_postal,
            departements,
            regions,
        })
    }

    /// A fingerprint of the embedded files: the search index is rebuilt when it changes.
    pub fn fingerprint() -> u64 {
        crate::server::search::fnv1a(
            COMMUNES_TSV
                .bytes()
                .chain(DEPARTEMENTS_TSV.bytes())
                .chain(REGIONS_TSV.bytes()),
        )
    }

    pub fn commune_of(&self, place: Place) -> &Commune {
        &self.communes[place.commune as usize]
    }

    pub fn code_postal_of(&self, place: Place) -> &str {
        &self.commune_of(place).codes_postaux[place.code_postal_index as usize]
    }

    /// The identifier of a place in forms and in the autocomplete: `<code INSEE>-<code postal>`.
    pub fn place_id(&self, place: Place) -> String {
        format!(
            "{}-{}",
            self.commune_of(place).code_insee,
            self.code_postal_of(place)
        )
    }

    /// The label of a place: `<code postal> <nom>`.
    pub fn place_label(&self, place: Place) -> String {
        format!(
            "{} {}",
            self.code_postal_of(place),
            self.commune_of(place).nom
        )
    }

    /// The places of a code postal (several communes may share it; Paris, Lyon and Marseille also list
    /// their arrondissements).
    pub fn places_of_code_postal(&self, code_postal: &str) -> Vec<Place> {
        self.by_code_postal
            .get(code_postal)
            .cloned()
            .unwrap_or_default()
    }

    /// The région's name of a département code.
    pub fn region_of_departement(&self, departement: &str) -> Option<&str> {
        self.region_name(&self.departement(departement)?.region)
    }

    pub fn commune(&self, code_insee: &str) -> Option<&Commune> {
        self.by_insee
            .get(code_insee)
            .map(|&i| &self.communes[i as usize])
    }

    pub fn departement(&self, code: &str) -> Option<&Departement> {
        self.departements.get(code)
    }

    pub fn region_name(&self, code: &str) -> Option<&str> {
        self.regions.get(code).map(String::as_str)
    }

    #[cfg(test)]
    pub fn departement_count(&self) -> usize {
        self.departements.len()
    }

    #[cfg(test)]
    pub fn region_count(&self) -> usize {
        self.regions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_commune_and_postal_code_quickly() {
        let started = std::time::Instant::now();
        let data = ReferenceData::load().unwrap();
        let elapsed = started.elapsed();
        // 34,969 communes actuelles + 45 arrondissements; 35,539 (code postal, commune) pairs.
        assert_eq!(data.communes.len(), 35_014);
        assert_eq!(data.places.len(), 35_539);
        assert_eq!(data.departement_count(), 109);
        assert_eq!(data.region_count(), 26);
        // A loose bound even for a debug build: the release build loads in a few milliseconds.
        assert!(elapsed.as_millis() < 1_000, "loading took {elapsed:?}");
    }

    #[test]
    fn arrondissements_of_paris_lyon_marseille_are_included() {
        let data = ReferenceData::load().unwrap();
        let arrondissements: Vec<&Commune> =
            data.communes.iter().filter(|c| c.arrondissement).collect();
        assert_eq!(arrondissements.len(), 45);
        assert!(arrondissements
            .iter()
            .any(|c| c.code_insee == "75101" && c.codes_postaux == ["75001"]));
        assert!(arrondissements.iter().any(|c| c.code_insee == "69383"));
        assert!(arrondissements.iter().any(|c| c.code_insee == "13216"));
        // The commune itself stays, with all its postal codes.
        let paris = data
            .communes
            .iter()
            .find(|c| c.code_insee == "75056")
            .unwrap();
        assert!(paris.codes_postaux.len() >= 20);
    }

    #[test]
    fn places_without_coordinates_are_kept_and_never_at_zero() {
        let data = ReferenceData::load().unwrap();
        let celles = data
            .communes
            .iter()
            .find(|c| c.code_insee == "15031")
            .unwrap();
        assert_eq!(celles.nom, "Celles");
        assert_eq!(celles.coordinates, None);
        assert!(
            data.communes
                .iter()
                .filter(|c| c.coordinates.is_none())
                .count()
                >= 90
        );
        assert!(data
            .communes
            .iter()
            .all(|c| c.coordinates != Some((0.0, 0.0))));
        let calais = data
            .communes
            .iter()
            .find(|c| c.code_insee == "62193")
            .unwrap();
        let (lat, lon) = calais.coordinates.unwrap();
        assert!((lat - 50.95).abs() < 0.1 && (lon - 1.85).abs() < 0.1);
        assert_eq!(data.departement("62").unwrap().nom, "Pas-de-Calais");
        assert_eq!(data.region_name("32"), Some("Hauts-de-France"));
    }
}

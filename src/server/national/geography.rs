//! Where the national data set puts people and mesures: each commune of the embedded list belongs to the
//! nearest active tribunal of its département, and a tribunal weighs the population of its communes.

use rand::rngs::StdRng;
use rand::Rng;

use crate::db::etablissements::Etablissement;
use crate::db::tribunaux::Tribunal;
use crate::server::reference::{Commune, ReferenceData};

/// An active tribunal with the communes it serves.
pub(super) struct Area {
    pub tribunal: Tribunal,
    /// Indices into `ReferenceData::communes`, each with a code postal.
    pub communes: Vec<u32>,
    /// Running total of the communes' populations, for a draw weighted by population.
    cumulative: Vec<u64>,
    /// The établissements located in its communes: (FINESS, commune index).
    pub etablissements: Vec<(String, u32)>,
}

impl Area {
    pub fn population(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// A commune drawn in proportion to its population: big towns get most mesures, as in life.
    pub fn draw_commune(&self, rng: &mut StdRng) -> u32 {
        let total = self.population().max(1);
        let point = rng.random_range(0..total);
        let at = self.cumulative.partition_point(|&c| c <= point);
        self.communes[at.min(self.communes.len() - 1)]
    }
}

pub(super) struct Geography {
    pub areas: Vec<Area>,
    cumulative: Vec<u64>,
}

impl Geography {
    /// Communes without code postal, population or coordinates, and tribunaux without coordinates, are left
    /// out; a département without an active tribunal has its communes left out too.
    pub fn new(
        reference: &ReferenceData,
        tribunaux: Vec<Tribunal>,
        etablissements: &[Etablissement],
        today: &str,
    ) -> Geography {
        let mut areas: Vec<Area> = tribunaux
            .into_iter()
            .filter(|t| t.is_active(today) && t.coordinates.is_some())
            .map(|tribunal| Area {
                tribunal,
                communes: Vec::new(),
                cumulative: Vec::new(),
                etablissements: Vec::new(),
            })
            .collect();
        areas.sort_by_key(|a| a.tribunal.id);
        let mut area_of_insee = std::collections::HashMap::new();
        for (index, commune) in reference.communes.iter().enumerate() {
            if !usable(commune) {
                continue;
            }
            let Some(area) = nearest(&areas, commune) else {
                continue;
            };
            let index = index as u32;
            let total = areas[area].population() + u64::from(commune.population);
            areas[area].communes.push(index);
            areas[area].cumulative.push(total);
            area_of_insee.insert(commune.code_insee.as_str(), (area, index));
        }
        for etablissement in etablissements {
            if let Some(&(area, commune)) = area_of_insee.get(etablissement.code_insee.as_str()) {
                areas[area]
                    .etablissements
                    .push((etablissement.finess.clone(), commune));
            }
        }
        areas.retain(|a| !a.communes.is_empty());
        let mut cumulative = Vec::with_capacity(areas.len());
        let mut total = 0;
        for area in &areas {
            total += area.population();
            cumulative.push(total);
        }
        Geography { areas, cumulative }
    }

    /// A tribunal drawn in proportion to the population it serves.
    pub fn draw_area(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1).max(1);
        let point = rng.random_range(0..total);
        self.cumulative
            .partition_point(|&c| c <= point)
            .min(self.areas.len() - 1)
    }

    /// Another tribunal of the same département, if there is one (a mandataire approved by two).
    pub fn neighbour(&self, area: usize, rng: &mut StdRng) -> Option<usize> {
        let departement = &self.areas[area].tribunal.departement;
        let others: Vec<usize> = (0..self.areas.len())
            .filter(|&i| i != area && &self.areas[i].tribunal.departement == departement)
            .collect();
        (!others.is_empty()).then(|| others[rng.random_range(0..others.len())])
    }
}

fn usable(commune: &Commune) -> bool {
    !commune.codes_postaux.is_empty() && commune.population > 0 && commune.coordinates.is_some()
}

/// The nearest tribunal of the commune's département (squared degrees are enough to compare).
fn nearest(areas: &[Area], commune: &Commune) -> Option<usize> {
    let (lat, lon) = commune.coordinates?;
    areas
        .iter()
        .enumerate()
        .filter(|(_, a)| a.tribunal.departement == commune.departement)
        .filter_map(|(i, a)| {
            let (t_lat, t_lon) = a.tribunal.coordinates?;
            let d = (t_lat - lat).powi(2) + ((t_lon - lon) * lat.to_radians().cos()).powi(2);
            Some((i, d))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

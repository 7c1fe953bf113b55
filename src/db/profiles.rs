//! Mandataire and magistrat profiles (SPEC §4.1, §4.2, §5.7, §6.6), keyed by their user id.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::{MAGISTRATS, MANDATAIRES, MANDATAIRES_BY_TRIBUNAL};
use super::{decode, encode, StoreError};
use crate::rules::profile::Genre;

/// What a mandataire declares; the counters are kept with it (SPEC §8.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mandataire {
    pub genre: Genre,
    pub adresse: String,
    pub code_postal: String,
    /// INSEE code of the commune (the pair with `code_postal` exists in the embedded list).
    pub code_insee: String,
    pub commune: String,
    pub telephone: String,
    pub telephone_portable: Option<String>,
    pub mesures_souhaitees: u32,
    pub secretariat: bool,
    /// Hundredths of ETP ("0,8" is 80).
    #[serde(default)]
    pub secretariat_etp_centiemes: Option<u32>,
    pub informations: String,
    /// Ids of the tribunaux where the mandataire is approved (at least one).
    pub tribunaux: Vec<u64>,
    /// FINESS numbers of the préposé's établissements.
    pub etablissements: Vec<String>,
    pub mesures_en_cours: u32,
    pub mesures_en_attente: u32,
    /// Kept like the other two (schema 12, issue 20): the "Mesures éteintes" tab's count and pages.
    #[serde(default)]
    pub mesures_eteintes: u32,
    /// Unix seconds of "Dernière mise à jour"; `None` is "jamais".
    pub derniere_mise_a_jour: Option<i64>,
    /// "Suspendre mon activité" (issue 17): magistrats see a disponibilité of 0 while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspension: Option<Suspension>,
    /// Unix seconds of the last "e-MJPM : actualisez vos données" (issue 17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derniere_relance: Option<i64>,
}

/// An activity suspended by the mandataire: since when, and why (optional, shown to magistrats).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suspension {
    /// Unix seconds.
    pub depuis: i64,
    pub motif: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Magistrat {
    pub genre: Genre,
    pub tribunal_id: u64,
    pub cabinet: String,
}

/// Stores a mandataire profile and its tribunal index entries, replacing the previous ones.
pub fn put_mandataire(
    write: &WriteTransaction,
    user_id: u64,
    mandataire: &Mandataire,
) -> Result<(), StoreError> {
    let mut table = write.open_table(MANDATAIRES)?;
    let previous: Option<Mandataire> =
        table.get(user_id)?.map(|v| decode(v.value())).transpose()?;
    table.insert(user_id, encode(mandataire)?.as_slice())?;
    let mut index = write.open_table(MANDATAIRES_BY_TRIBUNAL)?;
    for tribunal in previous.iter().flat_map(|p| p.tribunaux.iter()) {
        index.remove((*tribunal, user_id))?;
    }
    for tribunal in &mandataire.tribunaux {
        index.insert((*tribunal, user_id), ())?;
    }
    let mut changed: Vec<u64> = previous.map(|p| p.tribunaux).unwrap_or_default();
    changed.extend(&mandataire.tribunaux);
    changed.sort_unstable();
    changed.dedup();
    super::scope_versions::bump(write, &changed)
}

pub fn mandataire(read: &ReadTransaction, user_id: u64) -> Result<Option<Mandataire>, StoreError> {
    let Some(table) = super::open_or_empty(read, MANDATAIRES)? else {
        return Ok(None);
    };
    table.get(user_id)?.map(|v| decode(v.value())).transpose()
}

/// What the magistrat's list and map show of a mandataire profile, decoded without the other fields.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MandataireFigures {
    pub code_postal: String,
    pub code_insee: String,
    pub commune: String,
    pub mesures_souhaitees: u32,
    pub mesures_en_cours: u32,
    pub mesures_en_attente: u32,
    pub derniere_mise_a_jour: Option<i64>,
    #[serde(default)]
    pub suspension: Option<Suspension>,
}

impl From<&Mandataire> for MandataireFigures {
    fn from(profile: &Mandataire) -> Self {
        MandataireFigures {
            code_postal: profile.code_postal.clone(),
            code_insee: profile.code_insee.clone(),
            commune: profile.commune.clone(),
            mesures_souhaitees: profile.mesures_souhaitees,
            mesures_en_cours: profile.mesures_en_cours,
            mesures_en_attente: profile.mesures_en_attente,
            derniere_mise_a_jour: profile.derniere_mise_a_jour,
            suspension: profile.suspension.clone(),
        }
    }
}

static FIGURES: std::sync::LazyLock<super::decode_cache::DecodeCache<MandataireFigures>> =
    std::sync::LazyLock::new(super::decode_cache::DecodeCache::new);

/// The figures of these mandataires (missing ones skipped), through one opening of the table.
pub fn figures_many(
    read: &ReadTransaction,
    ids: &[u64],
) -> Result<Vec<(u64, std::sync::Arc<MandataireFigures>)>, StoreError> {
    let Some(table) = super::open_or_empty(read, MANDATAIRES)? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(value) = table.get(id)? {
            found.push((id, FIGURES.decode(id, value.value())?));
        }
    }
    Ok(found)
}

/// The ids of the mandataires who declared a tribunal.
pub fn mandataires_of_tribunal(
    read: &ReadTransaction,
    tribunal_id: u64,
) -> Result<Vec<u64>, StoreError> {
    let Some(index) = super::open_or_empty(read, MANDATAIRES_BY_TRIBUNAL)? else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for row in index.range((tribunal_id, 0)..=(tribunal_id, u64::MAX))? {
        ids.push(row?.0.value().1);
    }
    Ok(ids)
}

pub fn put_magistrat(
    write: &WriteTransaction,
    user_id: u64,
    magistrat: &Magistrat,
) -> Result<(), StoreError> {
    write
        .open_table(MAGISTRATS)?
        .insert(user_id, encode(magistrat)?.as_slice())?;
    Ok(())
}

pub fn magistrat(read: &ReadTransaction, user_id: u64) -> Result<Option<Magistrat>, StoreError> {
    let Some(table) = super::open_or_empty(read, MAGISTRATS)? else {
        return Ok(None);
    };
    table.get(user_id)?.map(|v| decode(v.value())).transpose()
}

/// The magistrat profile as the write transaction sees it.
pub fn magistrat_in(
    write: &WriteTransaction,
    user_id: u64,
) -> Result<Option<Magistrat>, StoreError> {
    write
        .open_table(MAGISTRATS)?
        .get(user_id)?
        .map(|v| decode(v.value()))
        .transpose()
}

/// The mandataire profile as the write transaction sees it.
pub fn mandataire_in(
    write: &WriteTransaction,
    user_id: u64,
) -> Result<Option<Mandataire>, StoreError> {
    write
        .open_table(MANDATAIRES)?
        .get(user_id)?
        .map(|v| decode(v.value()))
        .transpose()
}

/// Stores a profile whose tribunaux did not change (counters, dates): the tribunal index is left alone.
pub fn put_mandataire_record(
    write: &WriteTransaction,
    user_id: u64,
    mandataire: &Mandataire,
) -> Result<(), StoreError> {
    write
        .open_table(MANDATAIRES)?
        .insert(user_id, encode(mandataire)?.as_slice())?;
    super::scope_versions::bump(write, &mandataire.tribunaux)
}

/// Every mandataire id with its profile.
pub fn all_mandataires(read: &ReadTransaction) -> Result<Vec<(u64, Mandataire)>, StoreError> {
    let Some(table) = super::open_or_empty(read, MANDATAIRES)? else {
        return Ok(Vec::new());
    };
    let mut all = Vec::new();
    for row in table.iter()? {
        let (id, value) = row?;
        all.push((id.value(), decode(value.value())?));
    }
    Ok(all)
}

//! The consistency check (`emjpm verifier`, the crash and fuzz harnesses, issue 14): everything the storage
//! layer keeps by construction, recomputed from the rows in one read transaction and compared. Nothing is
//! changed; each disagreement is one French line.

use std::collections::{BTreeMap, HashMap, HashSet};

use redb::{ReadTransaction, ReadableTable, ReadableTableMetadata};

use super::mesures::{self, Mesure};
use super::tables::*;
use super::{decode, open_or_empty, StoreError};
use crate::rules::mesure::Status;

/// What the check found: the rows counted, and every disagreement.
#[derive(Debug, Default)]
pub struct Report {
    pub accounts: u64,
    pub mandataires: u64,
    pub mesures: u64,
    pub tribunaux: u64,
    pub etablissements: u64,
    pub audit_entries: u64,
    pub emails: u64,
    pub problems: Vec<String>,
}

impl Report {
    pub fn is_consistent(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} comptes, {} mandataires, {} mesures, {} tribunaux, {} établissements, {} entrées du journal, {} courriels",
            self.accounts,
            self.mandataires,
            self.mesures,
            self.tribunaux,
            self.etablissements,
            self.audit_entries,
            self.emails
        )
    }
}

fn len<K: redb::Key + 'static, V: redb::Value + 'static>(
    read: &ReadTransaction,
    table: redb::TableDefinition<K, V>,
) -> Result<u64, StoreError> {
    Ok(open_or_empty(read, table)?.map_or(Ok(0), |t| t.len())?)
}

/// The counts of `check` without its checks: what a backup compares between the live database and its
/// copy (issue 20: the full check decodes every mesure, a few hundred MB for a national database, too
/// much inside a server that must stay under 200 MB; `emjpm verifier` runs it, the server stopped).
pub fn counts(read: &ReadTransaction) -> Result<Report, StoreError> {
    Ok(Report {
        accounts: len(read, USERS)?,
        mandataires: len(read, MANDATAIRES)?,
        mesures: len(read, MESURES)?,
        tribunaux: len(read, TRIBUNAUX)?,
        etablissements: len(read, ETABLISSEMENTS)?,
        audit_entries: len(read, AUDIT)?,
        emails: len(read, OUTBOX)?,
        problems: Vec::new(),
    })
}

/// Runs every check on `read`.
pub fn check(read: &ReadTransaction) -> Result<Report, StoreError> {
    let mut report = counts(read)?;
    check_users(read, &mut report.problems)?;
    check_mesures(read, &mut report.problems)?;
    check_audit(read, &mut report.problems)?;
    Ok(report)
}

fn check_users(read: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let users = super::users::all(read)?;
    let by_id: HashMap<u64, &super::users::User> = users.iter().map(|u| (u.id, u)).collect();
    for (definition, name, field) in [
        (USERS_BY_IDENTIFIANT, "identifiant", 0),
        (USERS_BY_EMAIL, "adresse", 1),
    ] {
        let mut indexed = 0;
        if let Some(index) = open_or_empty(read, definition)? {
            for row in index.iter()? {
                let (key, id) = row?;
                indexed += 1;
                let (key, id) = (key.value().to_owned(), id.value());
                let holds = by_id
                    .get(&id)
                    .is_some_and(|u| (if field == 0 { &u.identifiant } else { &u.email }) == &key);
                if !holds {
                    problems.push(format!("l'index des comptes par {name} « {key} » désigne le compte {id}, qui ne l'a pas"));
                }
            }
        }
        if indexed != users.len() {
            problems.push(format!(
                "l'index des comptes par {name} a {indexed} entrées pour {} comptes",
                users.len()
            ));
        }
    }
    let mut expected: HashSet<(u8, u64)> = users
        .iter()
        .map(|u| (super::users::status_code(u.status), u.id))
        .collect();
    if let Some(index) = open_or_empty(read, USERS_BY_STATUS)? {
        for row in index.iter()? {
            let key = row?.0.value();
            if !expected.remove(&key) {
                problems.push(format!(
                    "l'index des comptes par état désigne le compte {} avec un état qu'il n'a pas",
                    key.1
                ));
            }
        }
    }
    for (_, id) in expected {
        problems.push(format!(
            "le compte {id} manque à l'index des comptes par état"
        ));
    }
    if let Some(index) = open_or_empty(read, MANDATAIRES_BY_TRIBUNAL)? {
        for row in index.iter()? {
            let (tribunal, owner) = row?.0.value();
            let linked = super::profiles::mandataire(read, owner)?
                .is_some_and(|m| m.tribunaux.contains(&tribunal));
            if !linked {
                problems.push(format!(
                    "le lien du tribunal {tribunal} vers le mandataire {owner} ne correspond à aucun profil"
                ));
            }
        }
    }
    Ok(())
}

/// Each antenne's counters against the rows, and each mesure's antenne: one of its owner's (issue 16).
fn check_antennes(
    read: &ReadTransaction,
    rows: &HashMap<u64, Mesure>,
    problems: &mut Vec<String>,
) -> Result<(), StoreError> {
    let mut counted: HashMap<(u64, Status), u32> = HashMap::new();
    for mesure in rows.values() {
        if let Some(antenne) = mesure.antenne {
            *counted.entry((antenne, mesure.status)).or_default() += 1;
        }
    }
    let mut owner_of: HashMap<u64, u64> = HashMap::new();
    if let Some(table) = open_or_empty(read, ANTENNES)? {
        for row in table.iter()? {
            let antenne: super::services::Antenne = decode(row?.1.value())?;
            owner_of.insert(antenne.id, antenne.service_id);
            let figure = |status| counted.get(&(antenne.id, status)).copied().unwrap_or(0);
            let (en_cours, en_attente) = (figure(Status::EnCours), figure(Status::EnAttente));
            if (antenne.mesures_en_cours, antenne.mesures_en_attente) != (en_cours, en_attente) {
                problems.push(format!(
                    "antenne {} : compteurs {} en cours / {} en attente, recomptés {en_cours} / {en_attente}",
                    antenne.id, antenne.mesures_en_cours, antenne.mesures_en_attente
                ));
            }
        }
    }
    for mesure in rows.values() {
        if let Some(antenne) = mesure.antenne {
            if owner_of.get(&antenne) != Some(&mesure.owner) {
                problems.push(format!(
                    "la mesure {} est rattachée à l'antenne {antenne}, qui n'est pas celle de son service",
                    mesure.id
                ));
            }
        }
    }
    Ok(())
}

fn check_mesures(read: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let mut rows: HashMap<u64, Mesure> = HashMap::new();
    if let Some(table) = open_or_empty(read, MESURES)? {
        for row in table.iter()? {
            let (id, value) = row?;
            let mesure: Mesure = decode(value.value())?;
            if mesure.id != id.value() {
                problems.push(format!(
                    "la mesure rangée sous {} porte l'id {}",
                    id.value(),
                    mesure.id
                ));
            }
            rows.insert(id.value(), mesure);
        }
    }
    // Counters: profile figures against the rows.
    let mut counted: HashMap<(u64, Status), u32> = HashMap::new();
    for mesure in rows.values() {
        *counted.entry((mesure.owner, mesure.status)).or_default() += 1;
    }
    let profiles = super::profiles::all_mandataires(read)?;
    let owners: HashSet<u64> = profiles.iter().map(|(id, _)| *id).collect();
    for (owner, profile) in &profiles {
        let en_cours = counted
            .get(&(*owner, Status::EnCours))
            .copied()
            .unwrap_or(0);
        let en_attente = counted
            .get(&(*owner, Status::EnAttente))
            .copied()
            .unwrap_or(0);
        let eteintes = counted
            .get(&(*owner, Status::Eteinte))
            .copied()
            .unwrap_or(0);
        if (profile.mesures_en_cours, profile.mesures_en_attente) != (en_cours, en_attente) {
            problems.push(format!(
                "mandataire {owner} : compteurs {} en cours / {} en attente, recomptés {en_cours} / {en_attente}",
                profile.mesures_en_cours, profile.mesures_en_attente
            ));
        }
        if profile.mesures_eteintes != eteintes {
            problems.push(format!(
                "mandataire {owner} : {} mesures éteintes comptées, recomptées {eteintes}",
                profile.mesures_eteintes
            ));
        }
    }
    for mesure in rows.values() {
        if !owners.contains(&mesure.owner) {
            problems.push(format!(
                "la mesure {} appartient au mandataire {}, sans profil",
                mesure.id, mesure.owner
            ));
        }
    }
    // Indexes: exactly the keys the rows give.
    let expected_owner: HashSet<(u64, u8, u64, u64)> =
        rows.values().map(mesures::owner_key).collect();
    compare_keys!(
        read,
        MESURES_BY_OWNER,
        expected_owner,
        "mesures par mandataire",
        problems
    );
    let expected_antenne: HashSet<(u64, u8, u64, u64)> =
        rows.values().filter_map(mesures::antenne_key).collect();
    compare_keys!(
        read,
        MESURES_BY_ANTENNE,
        expected_antenne,
        "mesures par antenne",
        problems
    );
    check_antennes(read, &rows, problems)?;
    let expected_rg: HashMap<(u64, u64, String), u64> = rows
        .values()
        .filter_map(|m| mesures::rg_key(m).map(|(o, t, rg)| ((o, t, rg.to_owned()), m.id)))
        .collect();
    let mut found_rg = 0;
    if let Some(index) = open_or_empty(read, MESURES_BY_RG)? {
        for row in index.iter()? {
            let (key, id) = row?;
            let (owner, tribunal, rg) = key.value();
            found_rg += 1;
            if expected_rg.get(&(owner, tribunal, rg.to_owned())) != Some(&id.value()) {
                problems.push(format!("l'index des numéros RG ({owner}, {tribunal}, {rg}) ne désigne pas la bonne mesure"));
            }
        }
    }
    if found_rg != expected_rg.len() {
        problems.push(format!(
            "l'index des numéros RG a {found_rg} entrées pour {} mesures numérotées",
            expected_rg.len()
        ));
    }
    let expected_reservations: HashSet<(u64, u8, u64)> =
        rows.values().filter_map(mesures::reservation_key).collect();
    compare_keys!(
        read,
        RESERVATIONS_BY_TRIBUNAL,
        expected_reservations,
        "réservations par tribunal",
        problems
    );
    // The map's counters against the rows.
    let mut expected_map: BTreeMap<(u64, String, String), u32> = BTreeMap::new();
    for mesure in rows.values() {
        if let Some((insee, line)) = mesures::map_entry(mesure) {
            *expected_map
                .entry((mesure.owner, insee.to_owned(), mesures::line_key(line)))
                .or_default() += 1;
        }
    }
    let mut found_map: BTreeMap<(u64, String, String), u32> = BTreeMap::new();
    if let Some(index) = open_or_empty(read, MESURES_CARTE)? {
        for row in index.iter()? {
            let (key, count) = row?;
            let (owner, insee, line) = key.value();
            found_map.insert((owner, insee.to_owned(), line.to_owned()), count.value());
        }
    }
    if found_map != expected_map {
        problems.push(format!(
            "le résumé de la carte a {} lignes, les mesures en donnent {} (ou des nombres différents)",
            found_map.len(),
            expected_map.len()
        ));
    }
    Ok(())
}

/// Compares a key-only index with the keys the rows give (keys of plain numbers).
macro_rules! compare_keys {
    ($read:expr, $definition:expr, $expected:expr, $name:expr, $problems:expr) => {{
        let mut found = 0;
        if let Some(index) = open_or_empty($read, $definition)? {
            for row in index.iter()? {
                let key = row?.0.value();
                found += 1;
                if !$expected.contains(&key) {
                    $problems.push(format!(
                        "l'index des {} a une entrée sans mesure : {key:?}",
                        $name
                    ));
                }
            }
        }
        if found != $expected.len() {
            $problems.push(format!(
                "l'index des {} a {found} entrées pour {} attendues",
                $name,
                $expected.len()
            ));
        }
    }};
}
use compare_keys;

fn check_audit(read: &ReadTransaction, problems: &mut Vec<String>) -> Result<(), StoreError> {
    let Some(table) = open_or_empty(read, AUDIT)? else {
        return Ok(());
    };
    let entries = table.len()?;
    let by_action = len(read, AUDIT_BY_ACTION)?;
    if by_action != entries {
        problems.push(format!(
            "l'index du journal par action a {by_action} entrées pour {entries}"
        ));
    }
    for (definition, name) in [(AUDIT_BY_ACTION, "action"), (AUDIT_BY_OBJECT, "objet")] {
        if let Some(index) = open_or_empty(read, definition)? {
            for row in index.iter()? {
                let id = row?.0.value().1;
                if table.get(id)?.is_none() {
                    problems.push(format!(
                        "l'index du journal par {name} désigne l'entrée absente {id}"
                    ));
                }
            }
        }
    }
    if let Some(index) = open_or_empty(read, AUDIT_BY_ACTOR)? {
        for row in index.iter()? {
            let id = row?.0.value().1;
            if table.get(id)?.is_none() {
                problems.push(format!(
                    "l'index du journal par auteur désigne l'entrée absente {id}"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use redb::ReadableDatabase;

    use crate::db::mesures::{self, Author};
    use crate::rules::account::Role;
    use crate::rules::mesure::Status;
    use crate::server::test_kit;

    #[test]
    fn rows_written_through_the_storage_layer_pass_and_a_broken_counter_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_kit::state(dir.path());
        let owner = test_kit::account(&state, test_kit::new_user("prepose", Role::Prepose));
        let write = state.db.begin_write().unwrap();
        crate::db::profiles::put_mandataire(&write, owner, &test_kit::mandataire_profile())
            .unwrap();
        for n in 0..30 {
            let mut mesure = test_kit::mesure(owner);
            mesure.numero_rg = Some(format!("RG{n}"));
            if n % 3 == 0 {
                mesure.status = Status::Eteinte;
                mesure.date_fin = Some("2025-01-01".into());
            }
            mesures::insert(&write, mesure, Author::Owner).unwrap();
        }
        crate::db::audit::record(
            &write,
            Some(owner),
            "ip",
            "Essai",
            "utilisateur 1",
            "Succès",
        )
        .unwrap();
        write.commit().unwrap();
        let report = super::check(&state.db.begin_read().unwrap()).unwrap();
        assert!(report.is_consistent(), "{:?}", report.problems);
        assert_eq!(report.mesures, 30);
        // A counter off by one, as a lost write would leave it.
        let write = state.db.begin_write().unwrap();
        let mut profile = crate::db::profiles::mandataire_in(&write, owner)
            .unwrap()
            .unwrap();
        profile.mesures_en_cours += 1;
        crate::db::profiles::put_mandataire_record(&write, owner, &profile).unwrap();
        write.commit().unwrap();
        let report = super::check(&state.db.begin_read().unwrap()).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(
            report.problems[0].contains("compteurs 21 en cours"),
            "{:?}",
            report.problems
        );
    }
}

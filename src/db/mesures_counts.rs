//! The counters' checks: the start-up recount (SPEC §8.4) and schema 12's count of mesures éteintes.

use redb::{ReadableTable, WriteTransaction};

use super::super::{profiles, StoreError};
use super::read::{count_of_owner, count_u32, ids_of_owner};
use crate::db::tables::MESURES_BY_ANTENNE;
use crate::rules::mesure::Status;

/// The keys of a table keyed by id (the mandataires' profiles, the antennes).
fn ids_of<V: redb::Value + 'static>(
    write: &WriteTransaction,
    table: redb::TableDefinition<'_, u64, V>,
) -> Result<Vec<u64>, StoreError> {
    let table = write.open_table(table)?;
    let mut ids = Vec::new();
    for row in table.iter()? {
        ids.push(row?.0.value());
    }
    Ok(ids)
}

/// Every mandataire's id (their profiles' keys).
fn mandataire_ids(write: &WriteTransaction) -> Result<Vec<u64>, StoreError> {
    ids_of(write, crate::db::tables::MANDATAIRES)
}

/// Schema 12 (issue 20): every mandataire's count of mesures éteintes, which the profile now keeps like
/// the other two (a list's page then reads its total instead of counting the owner's index).
pub(crate) fn fill_eteintes(write: &WriteTransaction) -> Result<(), StoreError> {
    let ids = mandataire_ids(write)?;
    for owner in ids {
        if let Some(mut profile) = profiles::mandataire_in(write, owner)? {
            profile.mesures_eteintes = count_of_owner(write, owner, Status::Eteinte)?;
            profiles::put_mandataire_record(write, owner, &profile)?;
        }
    }
    Ok(())
}

/// Start-up check (SPEC §8.4): recounts every mandataire's en cours and en attente from the owner index and
/// fixes the stored counters that differ, in one write transaction; returns how many were fixed.
pub fn recount(db: &redb::Database) -> Result<usize, StoreError> {
    let write = db.begin_write()?;
    let mut fixed = 0;
    let ids = mandataire_ids(&write)?;
    for owner in ids {
        let Some(mut profile) = profiles::mandataire_in(&write, owner)? else {
            continue;
        };
        let en_cours = count_of_owner(&write, owner, Status::EnCours)?;
        let en_attente = count_of_owner(&write, owner, Status::EnAttente)?;
        let eteintes = count_of_owner(&write, owner, Status::Eteinte)?;
        let stored = (
            profile.mesures_en_cours,
            profile.mesures_en_attente,
            profile.mesures_eteintes,
        );
        if stored != (en_cours, en_attente, eteintes) {
            tracing::warn!(
                mandataire = owner,
                stored_en_cours = profile.mesures_en_cours,
                stored_en_attente = profile.mesures_en_attente,
                stored_eteintes = profile.mesures_eteintes,
                en_cours,
                en_attente,
                eteintes,
                "compteurs de mesures corrigés au démarrage"
            );
            profile.mesures_en_cours = en_cours;
            profile.mesures_en_attente = en_attente;
            profile.mesures_eteintes = eteintes;
            profiles::put_mandataire_record(&write, owner, &profile)?;
            fixed += 1;
        }
    }
    let antennes = ids_of(&write, crate::db::tables::ANTENNES)?;
    for id in antennes {
        let Some(mut antenne) = crate::db::services::antenne_in(&write, id)? else {
            continue;
        };
        let index = write.open_table(MESURES_BY_ANTENNE)?;
        let en_cours = count_u32(ids_of_owner(&index, id, Status::EnCours)?.len());
        let en_attente = count_u32(ids_of_owner(&index, id, Status::EnAttente)?.len());
        drop(index);
        if (antenne.mesures_en_cours, antenne.mesures_en_attente) != (en_cours, en_attente) {
            tracing::warn!(
                antenne = id,
                stored_en_cours = antenne.mesures_en_cours,
                stored_en_attente = antenne.mesures_en_attente,
                en_cours,
                en_attente,
                "compteurs d'antenne corrigés au démarrage"
            );
            antenne.mesures_en_cours = en_cours;
            antenne.mesures_en_attente = en_attente;
            crate::db::services::put_antenne_record(&write, &antenne)?;
            fixed += 1;
        }
    }
    write.commit()?;
    Ok(fixed)
}

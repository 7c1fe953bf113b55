//! Schema version record and forward migrations.
//!
//! The database stores the version of the schema it was last written with. At start-up, older versions are
//! upgraded step by step, each step in its own write transaction together with the new version number; a
//! newer version is refused, because this binary does not know how to read it.

use redb::{Database, ReadableDatabase, WriteTransaction};

use super::tables::{
    AUDIT, AUDIT_BY_ACTION, AUDIT_BY_ACTOR, AUDIT_BY_OBJECT, ETABLISSEMENTS, MAGISTRATS,
    MANDATAIRES, MANDATAIRES_BY_TRIBUNAL, MESURES, MESURES_BY_OWNER, MESURES_BY_RG,
    MESURES_BY_TRIBUNAL, MESURES_CARTE, MESURES_PAR_COMMUNE, META, NOTES, OUTBOX,
    RESERVATIONS_BY_TRIBUNAL, RESET_TOKENS, SCOPE_VERSIONS, SEQUENCES, SESSIONS, TRIBUNAUX,
    TRIBUNAUX_BY_KEY, USERS, USERS_BY_EMAIL, USERS_BY_IDENTIFIANT,
};

/// The schema this binary reads and writes.
pub const CURRENT_SCHEMA_VERSION: u64 = 12;
const SCHEMA_VERSION_KEY: &str = "schema_version";

/// One step from version `n - 1` to version `n`, at index `n - 1` (the step to version 1 creates the tables).
type Migration = fn(&WriteTransaction) -> Result<(), redb::Error>;
const MIGRATIONS: [Migration; CURRENT_SCHEMA_VERSION as usize] = [
    create_v1,
    add_accounts_v2,
    add_tribunaux_v3,
    add_etablissements_v4,
    add_sessions_profiles_outbox_v5,
    add_mesures_v6,
    reservations_by_status_v7,
    counted_map_v8,
    audit_indexes_v9,
    services_v10,
    notes_scope_versions_v11,
    users_by_status_v12,
];

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "la base de données a été écrite par une version plus récente d'e-MJPM (schéma {found}) ; \
         cette version ne connaît que le schéma {supported}. Installez la version la plus récente."
    )]
    TooNew { found: u64, supported: u64 },
    #[error("la mise à jour du schéma de la base de données a échoué : {0}")]
    Storage(String),
}

impl From<redb::Error> for SchemaError {
    fn from(e: redb::Error) -> Self {
        SchemaError::Storage(e.to_string())
    }
}

/// Reads the stored schema version; a database never written reads as version 0.
pub fn stored_version(db: &Database) -> Result<u64, SchemaError> {
    let read = db.begin_read().map_err(redb::Error::from)?;
    let table = match read.open_table(META) {
        Ok(table) => table,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(redb::Error::from(e).into()),
    };
    let version = table.get(SCHEMA_VERSION_KEY).map_err(redb::Error::from)?;
    Ok(version.map(|v| v.value()).unwrap_or(0))
}

/// Upgrades the database to `CURRENT_SCHEMA_VERSION`, or refuses a newer one.
pub fn migrate(db: &Database) -> Result<u64, SchemaError> {
    let found = stored_version(db)?;
    if found > CURRENT_SCHEMA_VERSION {
        return Err(SchemaError::TooNew {
            found,
            supported: CURRENT_SCHEMA_VERSION,
        });
    }
    for target in (found + 1)..=CURRENT_SCHEMA_VERSION {
        let write = db.begin_write().map_err(redb::Error::from)?;
        MIGRATIONS[(target - 1) as usize](&write)?;
        write
            .open_table(META)
            .and_then(|mut meta| {
                meta.insert(SCHEMA_VERSION_KEY, target)
                    .map(|_| ())
                    .map_err(Into::into)
            })
            .map_err(redb::Error::from)?;
        write.commit().map_err(redb::Error::from)?;
        tracing::info!(version = target, "schéma de la base de données mis à jour");
    }
    Ok(found)
}

fn create_v1(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(META)?;
    Ok(())
}

/// Version 2: accounts and the audit log.
fn add_accounts_v2(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(SEQUENCES)?;
    write.open_table(USERS)?;
    write.open_table(USERS_BY_IDENTIFIANT)?;
    write.open_table(USERS_BY_EMAIL)?;
    write.open_table(AUDIT)?;
    Ok(())
}

/// Version 3: tribunaux.
fn add_tribunaux_v3(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(TRIBUNAUX)?;
    write.open_table(TRIBUNAUX_BY_KEY)?;
    Ok(())
}

/// Version 4: établissements.
fn add_etablissements_v4(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(ETABLISSEMENTS)?;
    Ok(())
}

/// Version 5: sessions, reset tokens, mandataire and magistrat profiles with their tribunal links, outbox.
fn add_sessions_profiles_outbox_v5(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(SESSIONS)?;
    write.open_table(RESET_TOKENS)?;
    write.open_table(MANDATAIRES)?;
    write.open_table(MANDATAIRES_BY_TRIBUNAL)?;
    write.open_table(MAGISTRATS)?;
    write.open_table(OUTBOX)?;
    Ok(())
}

/// Version 6: mesures and their indexes.
fn add_mesures_v6(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(MESURES)?;
    write.open_table(MESURES_BY_OWNER)?;
    write.open_table(MESURES_PAR_COMMUNE)?;
    write.open_table(MESURES_BY_RG)?;
    write.open_table(MESURES_BY_TRIBUNAL)?;
    Ok(())
}

/// Version 7: the tribunal's reservations indexed by status (the badge and the "État" filter of "Mesures
/// réservées"), rebuilt from the mesures; the version 6 index is dropped.
fn reservations_by_status_v7(write: &WriteTransaction) -> Result<(), redb::Error> {
    let mut index = write.open_table(RESERVATIONS_BY_TRIBUNAL)?;
    let mesures = write.open_table(MESURES)?;
    for row in redb::ReadableTable::iter(&mesures)? {
        let (id, value) = row?;
        let mesure: super::mesures::Mesure = super::decode(value.value())
            .map_err(|e| redb::Error::Corrupted(format!("mesure {}: {e}", id.value())))?;
        if let Some(reservation) = &mesure.reservation {
            index.insert(
                (
                    reservation.tribunal_id,
                    super::mesures::status_key(mesure.status),
                    mesure.id,
                ),
                (),
            )?;
        }
    }
    drop(mesures);
    drop(index);
    write.delete_table(MESURES_BY_TRIBUNAL)?;
    Ok(())
}

/// Version 8: the per-commune summary of "Vue carte" holds a counter per (owner, commune, line) instead of a
/// list per (owner, commune), so that a change of a mesure costs the same whatever the owner holds; rebuilt
/// from the mesures, the version 6 list is dropped.
fn counted_map_v8(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(MESURES_CARTE)?;
    super::mesures::rebuild_map(write).map_err(|e| match e {
        super::StoreError::Storage(e) => e,
        super::StoreError::Corrupt(detail) => redb::Error::Corrupted(detail),
    })?;
    write.delete_table(MESURES_PAR_COMMUNE)?;
    Ok(())
}

/// Version 9: the journal's indexes (by action, actor, object), built from the entries, so that its pages
/// and a user's events read ranges instead of decoding the whole 12-month log.
fn audit_indexes_v9(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(AUDIT_BY_ACTION)?;
    write.open_table(AUDIT_BY_ACTOR)?;
    write.open_table(AUDIT_BY_OBJECT)?;
    let entries: Vec<(u64, super::audit::AuditEntry)> = {
        let audit = write.open_table(AUDIT)?;
        let mut entries = Vec::new();
        for row in redb::ReadableTable::iter(&audit)? {
            let (id, value) = row?;
            let entry = super::decode(value.value())
                .map_err(|e| redb::Error::Corrupted(format!("audit {}: {e}", id.value())))?;
            entries.push((id.value(), entry));
        }
        entries
    };
    for (id, entry) in &entries {
        super::audit::index(write, *id, entry).map_err(|e| match e {
            super::StoreError::Storage(e) => e,
            super::StoreError::Corrupt(detail) => redb::Error::Corrupted(detail),
        })?;
    }
    Ok(())
}

/// Version 10 (issue 16): services, antennes, invitations and the antenne index. Older records read as
/// they are (a mesure without antenne, an account without service), so nothing is rewritten; the version
/// still moves, so that an older binary refuses a database that may hold services it cannot show.
fn services_v10(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(super::tables::SERVICES)?;
    write.open_table(super::tables::ANTENNES)?;
    write.open_table(super::tables::INVITATIONS)?;
    write.open_table(super::tables::MESURES_BY_ANTENNE)?;
    Ok(())
}

/// Version 11 (issue 18): the magistrats' notes, and the versions of each tribunal's scope (absent: 0).
fn notes_scope_versions_v11(write: &WriteTransaction) -> Result<(), redb::Error> {
    write.open_table(NOTES)?;
    write.open_table(SCOPE_VERSIONS)?;
    Ok(())
}

/// Version 12 (issue 20): the accounts by status, built from the accounts; each mandataire's count of
/// mesures éteintes.
fn users_by_status_v12(write: &WriteTransaction) -> Result<(), redb::Error> {
    let storage = |e: super::StoreError| match e {
        super::StoreError::Storage(e) => e,
        super::StoreError::Corrupt(detail) => redb::Error::Corrupted(detail),
    };
    super::users::rebuild_status_index(write).map_err(storage)?;
    super::mesures::fill_eteintes(write).map_err(storage)
}

/// Writes a schema version directly: only for tests that simulate a database from a newer binary.
#[cfg(test)]
pub(crate) fn force_version(db: &Database, version: u64) {
    let write = db.begin_write().unwrap();
    write
        .open_table(META)
        .unwrap()
        .insert(SCHEMA_VERSION_KEY, version)
        .unwrap();
    write.commit().unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_database_is_created_at_current_version_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(dir.path()).unwrap();
        assert_eq!(stored_version(&db).unwrap(), CURRENT_SCHEMA_VERSION);
        drop(db);
        let db = crate::db::open(dir.path()).unwrap();
        assert_eq!(migrate(&db).unwrap(), CURRENT_SCHEMA_VERSION);
    }

    #[test]
    fn a_version_1_database_is_migrated_forward() {
        let dir = tempfile::tempdir().unwrap();
        {
            // What version 1 wrote: only the meta table.
            let db = Database::create(dir.path().join(crate::db::DATABASE_FILE)).unwrap();
            let write = db.begin_write().unwrap();
            create_v1(&write).unwrap();
            write
                .open_table(META)
                .unwrap()
                .insert(SCHEMA_VERSION_KEY, 1)
                .unwrap();
            write.commit().unwrap();
        }
        let db = crate::db::open(dir.path()).unwrap();
        assert_eq!(stored_version(&db).unwrap(), CURRENT_SCHEMA_VERSION);
        let read = db.begin_read().unwrap();
        assert!(
            read.open_table(USERS).is_ok(),
            "the users table exists after the migration"
        );
    }

    #[test]
    fn a_version_7_database_gets_its_map_summary_counted() {
        use crate::db::mesures::{self, Mesure};
        use crate::rules::mesure::{Champ, Nature, Status};
        let dir = tempfile::tempdir().unwrap();
        let model = Mesure {
            code_insee: Some("62193".into()),
            ..crate::server::test_kit::mesure(7)
        };
        let mesures_v7 = [
            Mesure {
                id: 1,
                ..model.clone()
            },
            Mesure {
                id: 2,
                ..model.clone()
            },
            Mesure {
                id: 3,
                champ: Some(Champ::ProtectionPersonne),
                code_insee: Some("62041".into()),
                ..model.clone()
            },
            Mesure {
                id: 4,
                status: Status::Eteinte,
                ..model.clone()
            },
        ];
        {
            // What version 7 wrote: the mesures, and the old summary as JSON lists.
            let db = Database::create(dir.path().join(crate::db::DATABASE_FILE)).unwrap();
            let write = db.begin_write().unwrap();
            for step in &MIGRATIONS[..7] {
                step(&write).unwrap();
            }
            write
                .open_table(META)
                .unwrap()
                .insert(SCHEMA_VERSION_KEY, 7)
                .unwrap();
            let mut table = write.open_table(MESURES).unwrap();
            for mesure in &mesures_v7 {
                let bytes = crate::db::encode(mesure).unwrap();
                table.insert(mesure.id, bytes.as_slice()).unwrap();
            }
            drop(table);
            let line = crate::db::encode(&vec![
                (Nature::CuratelleRenforcee, None::<Champ>, 1950u16);
                2
            ])
            .unwrap();
            write
                .open_table(MESURES_PAR_COMMUNE)
                .unwrap()
                .insert((7, "62193"), line.as_slice())
                .unwrap();
            write.commit().unwrap();
        }
        let db = crate::db::open(dir.path()).unwrap();
        assert_eq!(stored_version(&db).unwrap(), CURRENT_SCHEMA_VERSION);
        let read = db.begin_read().unwrap();
        assert_eq!(
            mesures::map_of_owner(&read, 7).unwrap(),
            vec![
                (
                    "62041".to_owned(),
                    vec![(
                        Nature::CuratelleRenforcee,
                        Some(Champ::ProtectionPersonne),
                        1950
                    )]
                ),
                (
                    "62193".to_owned(),
                    vec![(Nature::CuratelleRenforcee, None, 1950); 2]
                ),
            ]
        );
        let counts = mesures::counts_by_commune(&read, &[7, 8]).unwrap();
        assert_eq!((counts["62193"], counts["62041"], counts.len()), (2, 1, 2));
        assert!(
            read.open_table(MESURES_PAR_COMMUNE).is_err(),
            "the old summary is gone"
        );
    }

    #[test]
    fn a_version_6_database_gets_its_reservations_indexed_by_status() {
        use crate::db::mesures::{self, Mesure, Reservation};
        use crate::rules::mesure::{Nature, Origin, Status};
        use crate::rules::profile::Genre;
        let dir = tempfile::tempdir().unwrap();
        let reserved = |id: u64, status: Status| Mesure {
            id,
            owner: 7,
            status,
            origin: Origin::Reservation,
            nature: Nature::Tutelle,
            champ: None,
            date_decision: None,
            code_postal: None,
            code_insee: None,
            commune: None,
            genre: Genre::H,
            annee_naissance: 1948,
            lieu_de_vie: None,
            etablissement: None,
            numero_dossier: None,
            numero_rg: None,
            tribunal_id: Some(3),
            reservation: Some(Reservation {
                magistrat_id: 9,
                tribunal_id: 3,
                cabinet: None,
                reserved_at: 0,
                accepted_at: None,
                refus: None,
                urgente: false,
                date_jugement: None,
                relance_at: None,
            }),
            date_fin: None,
            cause_sortie: None,
            created_at: 0,
            antenne: None,
        };
        {
            // What version 6 wrote: two reservations (one accepted) in the old index.
            let db = Database::create(dir.path().join(crate::db::DATABASE_FILE)).unwrap();
            let write = db.begin_write().unwrap();
            for step in &MIGRATIONS[..6] {
                step(&write).unwrap();
            }
            write
                .open_table(META)
                .unwrap()
                .insert(SCHEMA_VERSION_KEY, 6)
                .unwrap();
            let mut table = write.open_table(MESURES).unwrap();
            for mesure in [reserved(1, Status::EnCours), reserved(2, Status::EnAttente)] {
                let bytes = crate::db::encode(&mesure).unwrap();
                table.insert(mesure.id, bytes.as_slice()).unwrap();
                write
                    .open_table(MESURES_BY_TRIBUNAL)
                    .unwrap()
                    .insert((3, mesure.id), ())
                    .unwrap();
            }
            drop(table);
            write.commit().unwrap();
        }
        let db = crate::db::open(dir.path()).unwrap();
        assert_eq!(stored_version(&db).unwrap(), CURRENT_SCHEMA_VERSION);
        let read = db.begin_read().unwrap();
        assert_eq!(
            mesures::reservation_ids(&read, 3, None).unwrap(),
            vec![2, 1]
        );
        assert_eq!(
            mesures::reservation_ids(&read, 3, Some(Status::EnAttente)).unwrap(),
            vec![2]
        );
        assert_eq!(
            mesures::count_reservations(&read, 3, Status::EnCours).unwrap(),
            1
        );
        assert!(
            read.open_table(MESURES_BY_TRIBUNAL).is_err(),
            "the old index is gone"
        );
    }

    #[test]
    fn newer_schema_is_refused_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(dir.path()).unwrap();
        force_version(&db, CURRENT_SCHEMA_VERSION + 1);
        drop(db);
        let err = crate::db::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("version plus récente d'e-MJPM"), "{err}");
        assert!(
            err.contains(&format!("schéma {}", CURRENT_SCHEMA_VERSION + 1)),
            "{err}"
        );
    }

    #[test]
    fn second_open_of_a_live_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _db = crate::db::open(dir.path()).unwrap();
        let err = crate::db::open(dir.path()).unwrap_err();
        assert!(matches!(err, crate::db::OpenError::AlreadyOpen(_)), "{err}");
    }
}

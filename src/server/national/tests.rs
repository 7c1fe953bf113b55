//! `emjpm generer-national` on a small country: exact, consistent, the same from the same seed.

use std::path::Path;

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

use crate::db::mesures::Mesure;
use crate::server::config::{DataDirArg, NationalArgs};

fn args(dir: &Path, graine: u64) -> NationalArgs {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("end2end/fixtures");
    NationalArgs {
        tribunaux: fixtures.join("tribunaux.csv"),
        etablissements: fixtures.join("etablissements.csv"),
        graine,
        mandataires: 40,
        mesures: 3_000,
        plus_gros: 400,
        magistrats: 6,
        etablissements_total: 60,
        journal: 700,
        courriels: 80,
        data: DataDirArg {
            path: dir.to_owned(),
        },
    }
}

/// What was drawn, without the times (`created_at` is the generation's clock).
fn drawn(dir: &Path) -> Vec<String> {
    let db = crate::db::open(dir).unwrap();
    let read = db.begin_read().unwrap();
    let table = read.open_table(crate::db::tables::MESURES).unwrap();
    table
        .iter()
        .unwrap()
        .map(|row| {
            let m: Mesure = crate::db::decode(row.unwrap().1.value()).unwrap();
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                m.owner,
                m.status,
                m.nature,
                m.code_insee,
                m.numero_rg,
                m.date_decision,
                m.antenne,
                m.etablissement
            )
        })
        .collect()
}

#[test]
fn a_small_country_is_exact_consistent_and_the_same_from_the_same_seed() {
    let (one, two, other) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let report = super::run(&args(one.path(), 7)).unwrap();
    assert!(report.contains("Mesures : 3000 ("), "{report}");
    assert!(report.contains("Vérification : base cohérente"), "{report}");
    assert!(report.contains("banc detenteur svc.00001 "), "{report}");
    {
        let db = crate::db::open(one.path()).unwrap();
        let read = db.begin_read().unwrap();
        let check = crate::db::check::check(&read).unwrap();
        assert!(check.is_consistent(), "{:?}", check.problems);
        assert_eq!(check.mesures, 3_000);
        assert_eq!(check.mandataires, 40);
        assert_eq!(check.etablissements, 60);
        assert_eq!(check.emails, 80);
        // The journal's 700 entries and the two imports', ids following time.
        assert_eq!(check.audit_entries, 702);
        let audit = read.open_table(crate::db::tables::AUDIT).unwrap();
        let times: Vec<i64> = audit
            .iter()
            .unwrap()
            .map(|row| {
                crate::db::decode::<crate::db::audit::AuditEntry>(row.unwrap().1.value())
                    .unwrap()
                    .at
            })
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "ids follow time");
        let largest = read
            .open_table(crate::db::tables::MANDATAIRES)
            .unwrap()
            .len()
            .unwrap();
        assert_eq!(largest, 40);
    }
    super::run(&args(two.path(), 7)).unwrap();
    super::run(&args(other.path(), 8)).unwrap();
    assert_eq!(drawn(one.path()), drawn(two.path()), "same seed, same data");
    assert_ne!(
        drawn(one.path()),
        drawn(other.path()),
        "another seed, other data"
    );
    // Never into a directory that holds data.
    let again = super::run(&args(one.path(), 7));
    assert!(matches!(
        again,
        Err(crate::server::commands::CommandError::Invalid(_))
    ));
}

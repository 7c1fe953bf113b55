//! The mesure store's invariants, and the benchmark of a creation's cost at 1,000 and 20,000 mesures.

use std::time::{Duration, Instant};

use super::*;

fn owner_profile() -> profiles::Mandataire {
    let mut profile = crate::server::test_kit::mandataire_profile();
    profile.mesures_souhaitees = 25_000;
    profile
}

/// Gives `owner` `count` mesures en cours in all, in batches of 1,000 per transaction.
fn grow(db: &redb::Database, owner: u64, count: u32) {
    loop {
        let write = db.begin_write().unwrap();
        let have = profiles::mandataire_in(&write, owner)
            .unwrap()
            .unwrap()
            .mesures_en_cours;
        if have >= count {
            return;
        }
        for _ in have..count.min(have + 1_000) {
            insert(
                &write,
                crate::server::test_kit::mesure(owner),
                Author::Other,
            )
            .unwrap();
        }
        write.commit().unwrap();
    }
}

/// The mean time of `n` creations by the owner, each its own transaction.
fn creations(db: &redb::Database, owner: u64, n: u32, durable: bool) -> Duration {
    let started = Instant::now();
    for _ in 0..n {
        let mut write = db.begin_write().unwrap();
        if !durable {
            write.set_durability(redb::Durability::None).unwrap();
        }
        insert(
            &write,
            crate::server::test_kit::mesure(owner),
            Author::Owner,
        )
        .unwrap();
        write.commit().unwrap();
    }
    started.elapsed() / n
}

/// What a write used to add: recounting the owner's en cours and en attente from the index.
fn recount_cost(db: &redb::Database, owner: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..20 {
        let write = db.begin_write().unwrap();
        count_of_owner(&write, owner, Status::EnCours).unwrap();
        count_of_owner(&write, owner, Status::EnAttente).unwrap();
        write.abort().unwrap();
    }
    started.elapsed() / 20
}

#[test]
fn counters_follow_every_change_by_construction() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::open(dir.path()).unwrap();
    let write = db.begin_write().unwrap();
    profiles::put_mandataire(&write, 7, &owner_profile()).unwrap();
    let counters = |write: &WriteTransaction| {
        let p = profiles::mandataire_in(write, 7).unwrap().unwrap();
        (
            p.mesures_en_cours,
            p.mesures_en_attente,
            p.derniere_mise_a_jour.is_some(),
        )
    };
    let waiting = insert(
        &write,
        Mesure {
            status: Status::EnAttente,
            ..crate::server::test_kit::mesure(7)
        },
        Author::Other,
    )
    .unwrap();
    // A magistrat's reservation is no update of the mandataire's.
    assert_eq!(counters(&write), (0, 1, false));
    let accepted = Mesure {
        status: Status::EnCours,
        ..waiting.clone()
    };
    replace(&write, &waiting, &accepted, Author::Owner).unwrap();
    assert_eq!(counters(&write), (1, 0, true));
    let ended = Mesure {
        status: Status::Eteinte,
        ..accepted.clone()
    };
    replace(&write, &accepted, &ended, Author::Owner).unwrap();
    assert_eq!(counters(&write), (0, 0, true));
    let other = insert(&write, crate::server::test_kit::mesure(7), Author::Owner).unwrap();
    assert_eq!(counters(&write), (1, 0, true));
    delete(&write, &other, Author::Other).unwrap();
    assert_eq!(counters(&write), (0, 0, true));
    write.commit().unwrap();
    // The start-up recount agrees: nothing to fix.
    assert_eq!(recount(&db).unwrap(), 0);
}

/// `make bench` runs it (release build): a creation costs the same with 1,000 and 20,000 mesures.
#[test]
#[ignore]
fn bench_mesure_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::db::open(dir.path()).unwrap();
    let write = db.begin_write().unwrap();
    profiles::put_mandataire(&write, 7, &owner_profile()).unwrap();
    write.commit().unwrap();
    let mut figures = Vec::new();
    for size in [1_000, 20_000] {
        grow(&db, 7, size);
        creations(&db, 7, 50, false);
        let fast = creations(&db, 7, 500, false);
        let durable = creations(&db, 7, 100, true);
        figures.push((size, fast, durable, recount_cost(&db, 7)));
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let (small, large) = (figures[0], figures[1]);
    println!(
        "in-process writes: one creation (write transaction, indexes, counters, commit without fsync) {:.0} µs with 1,000 mesures, {:.0} µs with 20,000 ({:.2} ×); with fsync {:.2} ms and {:.2} ms ({:.2} ×); the recount a creation used to do instead: {:.0} µs and {:.0} µs",
        us(small.1),
        us(large.1),
        us(large.1) / us(small.1),
        us(small.2) / 1000.0,
        us(large.2) / 1000.0,
        us(large.2) / us(small.2),
        us(small.3),
        us(large.3),
    );
}

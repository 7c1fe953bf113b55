//! The national data set's mesures, written by `db::mesures::insert` (indexes, counters, summaries by
//! construction), in batches of one write transaction each.

use rand::rngs::StdRng;
use rand::Rng;
use redb::Database;

use super::geography::Geography;
use super::people::{Holder, People};
use super::Plan;
use crate::db::mesures::{self, Author, Mesure, Refus, Reservation};
use crate::db::StoreError;
use crate::rules::date;
use crate::rules::mesure::{CauseSortie, LieuDeVie, Origin, Status};
use crate::rules::profile::Genre;

/// Mesures per write transaction: big enough to amortise the commit, small enough to keep it in memory.
const BATCH: usize = 20_000;

const MOTIFS: [&str; 3] = [
    "Capacité atteinte",
    "Secteur trop éloigné",
    "Conflit d'intérêts",
];

/// Writes every holder's mesures; returns how many. Intermediate batches are committed without fsync,
/// the last one durably (a crash in between leaves a directory to generate again, never a wrong one).
pub(super) fn write(
    database: &Database,
    plan: &Plan,
    geography: &Geography,
    people: &People,
    now: i64,
    rng: &mut StdRng,
    progress: &mut dyn FnMut(usize),
) -> Result<usize, StoreError> {
    let mut written = 0;
    let mut write = batch(database)?;
    let mut in_batch = 0;
    for holder in &people.holders {
        let mut sequence = 0u32;
        let kinds = [
            (Status::EnCours, holder.en_cours),
            (Status::Eteinte, holder.eteintes),
            (Status::EnAttente, holder.en_attente),
            (Status::Refusee, holder.refusees),
        ];
        for (status, count) in kinds {
            for _ in 0..count {
                sequence += 1;
                let mesure = drawn(plan, geography, people, holder, status, sequence, now, rng);
                mesures::insert(&write, mesure, Author::Other)?;
                written += 1;
                in_batch += 1;
                if in_batch == BATCH {
                    write.commit()?;
                    progress(written);
                    write = batch(database)?;
                    in_batch = 0;
                }
            }
        }
    }
    write.set_durability(redb::Durability::Immediate).ok();
    write.commit()?;
    progress(written);
    Ok(written)
}

fn batch(database: &Database) -> Result<redb::WriteTransaction, StoreError> {
    let mut write = database.begin_write()?;
    // Not durable until the last batch, which is: see `write`.
    write.set_durability(redb::Durability::None).ok();
    Ok(write)
}

#[allow(clippy::too_many_arguments)]
fn drawn(
    plan: &Plan,
    geography: &Geography,
    people: &People,
    holder: &Holder,
    status: Status,
    sequence: u32,
    now: i64,
    rng: &mut StdRng,
) -> Mesure {
    let today = now.div_euclid(86_400);
    // Mostly at home; one in five at the second tribunal when there is one.
    let area = if holder.areas.len() > 1 && rng.random_range(0..5) == 0 {
        holder.areas[1]
    } else {
        holder.areas[0]
    };
    let tribunal_id = geography.areas[area].tribunal.id;
    let (nature, champ) = crate::server::demo::drawn_nature(rng);
    let pool = if holder.etablissements.is_empty() {
        &geography.areas[area].etablissements
    } else {
        &holder.etablissements
    };
    let in_etablissement = !pool.is_empty()
        && rng.random_range(0..10)
            < if holder.etablissements.is_empty() {
                2
            } else {
                7
            };
    let (lieu_de_vie, etablissement, commune) = if in_etablissement {
        let (finess, commune) = &pool[rng.random_range(0..pool.len())];
        (LieuDeVie::Etablissement, Some(finess.clone()), *commune)
    } else {
        (
            LieuDeVie::Domicile,
            None,
            geography.areas[area].draw_commune(rng),
        )
    };
    let commune = plan.commune(commune);
    let magistrats = &people.magistrats[area];
    let magistrat = magistrats
        .get(rng.random_range(0..magistrats.len().max(1)))
        .copied()
        .unwrap_or(0);
    let year = u16::try_from(1930 + rng.random_range(0..70)).unwrap_or(1960);
    let mut mesure = Mesure {
        id: 0,
        owner: holder.owner,
        status,
        origin: Origin::Saisie,
        nature,
        champ,
        date_decision: None,
        code_postal: Some(commune.codes_postaux[0].clone()),
        code_insee: Some(commune.code_insee.clone()),
        commune: Some(commune.nom.clone()),
        genre: if rng.random_range(0..2) == 0 {
            Genre::F
        } else {
            Genre::H
        },
        annee_naissance: year,
        lieu_de_vie: Some(lieu_de_vie),
        etablissement,
        numero_dossier: (!sequence.is_multiple_of(3)).then(|| format!("D{sequence:06}")),
        numero_rg: None,
        tribunal_id: Some(tribunal_id),
        reservation: None,
        date_fin: None,
        cause_sortie: None,
        created_at: now,
        antenne: (!holder.antennes.is_empty())
            .then(|| holder.antennes[rng.random_range(0..holder.antennes.len())]),
    };
    let reservation = |reserved_at: i64| Reservation {
        magistrat_id: magistrat,
        tribunal_id,
        cabinet: None,
        reserved_at,
        accepted_at: None,
        refus: None,
        urgente: rng_free_urgent(sequence),
        date_jugement: None,
        relance_at: None,
    };
    let decided = match status {
        Status::EnCours => today - rng.random_range(30..3_650),
        // Ended within the last four and a half years: the retention (five years) keeps them.
        Status::Eteinte => {
            let ended = today - rng.random_range(1..1_640);
            mesure.date_fin = Some(date::iso(date::from_epoch_days(ended)));
            mesure.cause_sortie =
                Some(CauseSortie::ALL[rng.random_range(0..CauseSortie::ALL.len())]);
            ended - rng.random_range(180..3_000)
        }
        Status::EnAttente | Status::Refusee => {
            // Reserved within the last 100 days: some are "Ancienne" (60), none is due a reminder (120).
            let reserved_at = now - rng.random_range(3_600..100 * 86_400);
            let mut waiting = reservation(reserved_at);
            if status == Status::Refusee {
                waiting.refus = Some(Refus {
                    motif: MOTIFS[rng.random_range(0..MOTIFS.len())].to_owned(),
                    at: reserved_at + rng.random_range(3_600..5 * 86_400),
                });
            }
            mesure.origin = Origin::Reservation;
            mesure.reservation = Some(waiting);
            mesure.date_decision = None;
            mesure.code_postal = None;
            mesure.code_insee = None;
            mesure.commune = None;
            mesure.lieu_de_vie = None;
            mesure.etablissement = None;
            mesure.numero_dossier = None;
            return mesure;
        }
    };
    mesure.date_decision = Some(date::iso(date::from_epoch_days(decided)));
    mesure.numero_rg = Some(format!(
        "{:02}/{sequence:05}",
        (1970 + decided / 365).rem_euclid(100)
    ));
    // A fifth of the recent mesures came from a magistrat's reservation, accepted within days.
    if status == Status::EnCours && today - decided < 730 && rng.random_range(0..5) == 0 {
        let mut accepted = reservation((decided - 10) * 86_400 + 36_000);
        accepted.accepted_at = Some((decided - 8) * 86_400 + 40_000);
        mesure.origin = Origin::Reservation;
        mesure.reservation = Some(accepted);
    }
    mesure
}

/// One reservation in twenty is urgent.
fn rng_free_urgent(sequence: u32) -> bool {
    sequence % 20 == 7
}

//! `emjpm generer-national` (issue 20): fills an empty data directory with a whole country's volume, for
//! the national-scale benchmark (`make bench-national`) and the cost table of docs/PERFORMANCE.md.
//!
//! Every tribunal of the reference file; the établissements of the reference file and fictitious copies up
//! to the number asked, through the product's import; magistrats and greffiers in every active tribunal; the
//! mandataires spread over the tribunaux in proportion to the population they serve (each commune belongs
//! to the nearest tribunal of its département), services holding 55 % of the mesures with antennes and
//! members, the largest of them in the most populated tribunal with exactly `--plus-gros` mesures en cours;
//! mesures en cours, éteintes, en attente and refusées with communes drawn by population, dates and RG
//! numbers; twelve months of journal and the outbox's 90 days. Everything goes through the storage layer's
//! write paths (`users::create`, `profiles::put_mandataire`, `services::save_antenne`, `mesures::insert`,
//! `audit::record_at`, `outbox::queue`), so counters, indexes and summaries are right by construction; the
//! consistency check of `emjpm verifier` runs at the end. The same seed gives the same data set.

pub mod args;
pub mod commits;
mod etablissements;
mod geography;
mod history;
mod mesures;
mod people;
#[cfg(test)]
mod tests;

use std::time::Instant;

use rand::rngs::StdRng;
use rand::SeedableRng;
use redb::{ReadableDatabase, ReadableTableMetadata};

use crate::db::{self, tables, StoreError};
use crate::server::auth::password;
use crate::server::commands::{read_input, CommandError};
use crate::server::config::NationalArgs;
use crate::server::reference::{Commune, ReferenceData};
use geography::Geography;

/// The password of every generated account (`EMJPM_NATIONAL_PASSWORD` replaces it).
const DEFAULT_PASSWORD: &str = "Echelle-Nationale-2026";

/// What is generated, from the command's arguments.
pub(crate) struct Plan<'r> {
    reference: &'r ReferenceData,
    pub mandataires: u32,
    pub mesures: u32,
    pub magistrats: u32,
    /// Mesures en cours of the largest holder (a service).
    pub largest: u32,
}

impl Plan<'_> {
    pub fn commune(&self, index: u32) -> &Commune {
        &self.reference.communes[index as usize]
    }
}

/// `emjpm generer-national --tribunaux F --etablissements F [--graine N] […]`: the report, one line per fact.
pub fn run(args: &NationalArgs) -> Result<String, CommandError> {
    let started = Instant::now();
    let store = |e: StoreError| CommandError::Store(e.to_string());
    let tribunaux_file = read_input(&args.tribunaux)?;
    let etablissements_file = read_input(&args.etablissements)?;
    super::prepare_data_dir(&args.data.path)?;
    let database = db::open(&args.data.path)?;
    {
        let read = database.begin_read().map_err(|e| store(e.into()))?;
        let users = db::open_or_empty(&read, tables::USERS)
            .map_err(store)?
            .map_or(Ok(0), |t| t.len())
            .map_err(|e| store(e.into()))?;
        let tribunaux = db::open_or_empty(&read, tables::TRIBUNAUX)
            .map_err(store)?
            .map_or(Ok(0), |t| t.len())
            .map_err(|e| store(e.into()))?;
        if users + tribunaux > 0 {
            return Err(CommandError::Invalid(
                "le jeu de données national se génère dans un dossier vide : choisissez-en un autre \
                 (--data-dir)"
                    .to_owned(),
            ));
        }
    }
    let reference = ReferenceData::load().map_err(|e| CommandError::Store(e.to_string()))?;
    let mut rng = StdRng::seed_from_u64(args.graine);
    let mut lines = Vec::new();
    let mut step = Instant::now();
    let mut timed = |lines: &mut Vec<String>, what: String| {
        lines.push(format!("{what} ({:.1} s)", step.elapsed().as_secs_f64()));
        step = Instant::now();
    };
    let invalid = |e: super::imports::ImportError| CommandError::Invalid(e.to_string());
    let report = super::imports::tribunaux::import(
        &database,
        &reference,
        &tribunaux_file,
        None,
        "génération nationale",
    )
    .map_err(invalid)?;
    timed(&mut lines, format!("Tribunaux : {}", report.summary()));
    let file = etablissements::file(
        &etablissements_file,
        args.etablissements_total as usize,
        &mut rng,
    )?;
    let (report, _) = super::imports::etablissements::import(
        &database,
        &reference,
        &file,
        false,
        None,
        "génération nationale",
    )
    .map_err(invalid)?;
    timed(&mut lines, format!("Établissements : {}", report.summary()));
    let geography = {
        let read = database.begin_read().map_err(|e| store(e.into()))?;
        Geography::new(
            &reference,
            db::tribunaux::all(&read).map_err(store)?,
            &db::etablissements::all(&read).map_err(store)?,
            &super::time::today_iso(),
        )
    };
    if geography.areas.is_empty() {
        return Err(CommandError::Invalid(
            "aucun tribunal actif et situé dans le fichier des tribunaux".to_owned(),
        ));
    }
    let secret =
        std::env::var("EMJPM_NATIONAL_PASSWORD").unwrap_or_else(|_| DEFAULT_PASSWORD.to_owned());
    // One hash for every account (same salt): a benchmark's data set, never real accounts.
    let hash = password::hash(&secret).map_err(|e| CommandError::Store(e.to_string()))?;
    let plan = Plan {
        reference: &reference,
        mandataires: args.mandataires.max(1),
        mesures: args.mesures,
        magistrats: args.magistrats,
        largest: args.plus_gros.min(args.mesures / 4),
    };
    let now = db::now();
    let people = {
        let write = database.begin_write().map_err(|e| store(e.into()))?;
        let people =
            people::create(&write, &plan, &geography, &hash, now, &mut rng).map_err(store)?;
        write.commit().map_err(|e| store(e.into()))?;
        people
    };
    timed(
        &mut lines,
        format!(
            "Comptes : {} ({} mandataires, {} magistrats et greffiers, 1 administrateur)",
            people.accounts,
            people.holders.len(),
            people.magistrats.iter().map(Vec::len).sum::<usize>()
        ),
    );
    let mut progress = |written: usize| {
        if written.is_multiple_of(200_000) {
            eprintln!("… {written} mesures");
        }
    };
    let written = mesures::write(
        &database,
        &plan,
        &geography,
        &people,
        now,
        &mut rng,
        &mut progress,
    )
    .map_err(store)?;
    timed(&mut lines, format!("Mesures : {written}"));
    history::write(
        &database,
        &people,
        args.journal as usize,
        12,
        args.courriels as usize,
        now,
        &mut rng,
    )
    .map_err(store)?;
    timed(
        &mut lines,
        format!(
            "Journal : {} entrées sur 12 mois ; courriels envoyés : {} sur 90 jours",
            args.journal, args.courriels
        ),
    );
    let check = {
        let read = database.begin_read().map_err(|e| store(e.into()))?;
        db::check::check(&read).map_err(store)?
    };
    if !check.is_consistent() {
        return Err(CommandError::Invalid(format!(
            "base incohérente après la génération ({check}) :\n{}",
            check.problems.join("\n")
        )));
    }
    timed(
        &mut lines,
        format!("Vérification : base cohérente ({check})"),
    );
    drop(database);
    lines.extend(summary(&people, &geography));
    let size = std::fs::metadata(args.data.path.join(db::DATABASE_FILE)).map_or(0, |m| m.len());
    lines.push(format!("Taille de la base : {} Mo", size / 1_000_000));
    lines.push(format!("Mot de passe de tous les comptes : {secret}"));
    lines.push(format!(
        "Durée totale : {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(lines.join("\n"))
}

/// The accounts the benchmark logs in with, one per line with a fixed label.
fn summary(people: &people::People, geography: &Geography) -> Vec<String> {
    let mut per_area = vec![0usize; geography.areas.len()];
    for holder in &people.holders {
        for &area in &holder.areas {
            per_area[area] += 1;
        }
    }
    let busiest = (0..per_area.len())
        .max_by_key(|&a| (per_area[a], std::cmp::Reverse(a)))
        .unwrap_or(0);
    let mut lines = vec!["Administrateur : admin".to_owned()];
    let mut machine = vec!["banc admin admin".to_owned()];
    if let Some(largest) = people.holders.first() {
        lines.push(format!(
            "Plus gros détenteur : {} (n° {}, {} mesures en cours)",
            largest.identifiant, largest.owner, largest.en_cours
        ));
        machine.push(format!(
            "banc detenteur {} {}",
            largest.identifiant, largest.owner
        ));
    }
    if let Some(prepose) = people
        .holders
        .iter()
        .filter(|h| h.role == crate::rules::account::Role::Prepose)
        .max_by_key(|h| h.en_cours)
    {
        lines.push(format!(
            "Plus gros préposé : {} ({} mesures en cours)",
            prepose.identifiant, prepose.en_cours
        ));
        machine.push(format!("banc prepose {}", prepose.identifiant));
    }
    let tribunal = &geography.areas[busiest].tribunal;
    lines.push(format!(
        "Tribunal comptant le plus de mandataires : {} ({} mandataires)",
        tribunal.nom, per_area[busiest]
    ));
    machine.push(format!("banc lieu {}", tribunal.code_postal));
    machine.push(format!("banc mandataires {}", per_area[busiest]));
    if let Some(magistrat) = &people.first_magistrat[busiest] {
        lines.push(format!("Magistrat de ce tribunal : {magistrat}"));
        machine.push(format!("banc magistrat {magistrat}"));
    }
    lines.extend(machine);
    lines
}

//! `emjpm demo` (SPEC §14): a data directory in which a newcomer tries every role at once.
//!
//! The reference files given are imported like `import-tribunaux` and `import-etablissements` do; without them
//! a few tribunaux and établissements named "… (démo)" are created. Then one write transaction creates the
//! active accounts of every P1 role on one tribunal, realistic mesures (en cours, éteintes, en attente, some
//! reservations already accepted), a stale mandataire and an over-capacity one, and marks the database as a
//! demo by storing the accounts and their passwords (`db::demo`): the banner and the "Comptes de
//! démonstration" of /connexion come from that mark. The mesures are drawn from a fixed seed, so two demos
//! (and the guides' screenshots) show the same figures; only the passwords are random.

mod people;
mod reference;
mod seed;
#[cfg(test)]
mod tests;

use rand::Rng;
use redb::{ReadableDatabase, ReadableTableMetadata};

use crate::db::{self, tables, StoreError};
use crate::rules::account::DemoAccount;
use crate::server::auth::password;
use crate::server::commands::{read_input, CommandError};
use crate::server::config::DemoArgs;
use crate::server::reference::ReferenceData;
use people::*;
use reference::*;
pub(crate) use seed::drawn_nature;
use seed::*;

/// The tribunal of scenario A, preferred when the reference file has it.
const PREFERRED_TRIBUNAL: &str = "Tribunal de proximité de Calais";
const SEED: u64 = 62_100;

/// What the command prints: the imports' reports, the tribunal and the accounts with their passwords.
#[derive(Debug)]
pub struct DemoReport {
    pub lines: Vec<String>,
    pub tribunal: String,
    pub accounts: Vec<DemoAccount>,
    /// True when the data directory already held this demo (nothing was changed).
    pub already: bool,
}

impl std::fmt::Display for DemoReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.already {
            writeln!(
                f,
                "Ce dossier contient déjà une démonstration : rien n'a été modifié."
            )?;
        }
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        if !self.tribunal.is_empty() {
            writeln!(f, "Tribunal de la démonstration : {}", self.tribunal)?;
        }
        writeln!(
            f,
            "Comptes de démonstration (identifiant, rôle, mot de passe) :"
        )?;
        for account in &self.accounts {
            writeln!(
                f,
                "  {:<16} {:<36} {}",
                account.identifiant, account.role, account.mot_de_passe
            )?;
        }
        Ok(())
    }
}

/// `emjpm demo [--tribunaux FILE] [--etablissements FILE] [--force]`.
pub fn run(args: &DemoArgs) -> Result<DemoReport, CommandError> {
    let tribunaux_file = args.tribunaux.as_deref().map(read_input).transpose()?;
    let etablissements_file = args.etablissements.as_deref().map(read_input).transpose()?;
    super::prepare_data_dir(&args.data.path)?;
    let database = db::open(&args.data.path)?;
    let store = |e: StoreError| CommandError::Store(e.to_string());
    {
        let read = database.begin_read().map_err(|e| store(e.into()))?;
        if let Some(accounts) = db::demo::accounts(&read).map_err(store)? {
            return Ok(DemoReport {
                lines: Vec::new(),
                tribunal: String::new(),
                accounts,
                already: true,
            });
        }
        // The demo's passwords are shown on the login page: never beside real accounts, even with --force.
        if db::open_or_empty(&read, tables::USERS)
            .map_err(store)?
            .map_or(Ok(0), |t| t.len())
            .map_err(|e| store(e.into()))?
            > 0
        {
            return Err(CommandError::Invalid(
                "ce dossier de données contient des comptes qui ne viennent pas d'une démonstration : \
                 la démonstration, dont les mots de passe s'affichent sur la page de connexion, n'y est jamais \
                 ajoutée, même avec --force ; choisissez un autre dossier (--data-dir)"
                    .to_owned(),
            ));
        }
        if !args.force && holds_data(&read).map_err(store)? {
            return Err(CommandError::Invalid(
                "ce dossier de données contient déjà des données qui ne viennent pas d'une démonstration : \
                 choisissez un autre dossier (--data-dir), ou ajoutez --force pour y ajouter la démonstration"
                    .to_owned(),
            ));
        }
    }
    let reference = ReferenceData::load().map_err(|e| CommandError::Store(e.to_string()))?;
    let mut lines = Vec::new();
    match tribunaux_file {
        Some(bytes) => {
            let report = super::imports::tribunaux::import(
                &database,
                &reference,
                &bytes,
                None,
                "démonstration",
            )
            .map_err(|e| CommandError::Invalid(e.to_string()))?;
            lines.push(format!("Tribunaux : {}", report.summary()));
        }
        None => lines.push(format!(
            "Tribunaux : {} tribunaux « (démo) » créés.",
            builtin_tribunaux(&database, &reference).map_err(store)?
        )),
    }
    match etablissements_file {
        Some(bytes) => {
            let (report, _) = super::imports::etablissements::import(
                &database,
                &reference,
                &bytes,
                false,
                None,
                "démonstration",
            )
            .map_err(|e| CommandError::Invalid(e.to_string()))?;
            lines.push(format!("Établissements : {}", report.summary()));
        }
        None => lines.push(format!(
            "Établissements : {} établissements « (démo) » créés.",
            builtin_etablissements(&database, &reference).map_err(store)?
        )),
    }
    let people = PEOPLE
        .iter()
        .map(|person| {
            let secret = new_password(person.identifiant);
            let hash = password::hash(&secret).map_err(|e| CommandError::Store(e.to_string()))?;
            Ok((secret, hash))
        })
        .collect::<Result<Vec<_>, CommandError>>()?;
    let (tribunal, accounts) = seed(&database, &reference, &people)?;
    Ok(DemoReport {
        lines,
        tribunal,
        accounts,
        already: false,
    })
}

/// Whether the database holds anything: accounts or reference data.
fn holds_data(read: &redb::ReadTransaction) -> Result<bool, StoreError> {
    let users = db::open_or_empty(read, tables::USERS)?.map_or(Ok(0), |t| t.len())?;
    let tribunaux = db::open_or_empty(read, tables::TRIBUNAUX)?.map_or(Ok(0), |t| t.len())?;
    let etablissements =
        db::open_or_empty(read, tables::ETABLISSEMENTS)?.map_or(Ok(0), |t| t.len())?;
    Ok(users + tribunaux + etablissements > 0)
}

/// A random password that the policy accepts: three groups of four letters and digits (no look-alikes).
fn new_password(identifiant: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    loop {
        let groups: Vec<String> = (0..3)
            .map(|_| {
                (0..4)
                    .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                    .collect()
            })
            .collect();
        let candidate = groups.join("-");
        let email = format!("{identifiant}@demo.emjpm.invalid");
        if password::policy_error(&candidate, identifiant, &email).is_none() {
            return candidate;
        }
    }
}

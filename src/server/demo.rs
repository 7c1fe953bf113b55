//! `emjpm demo` (SPEC §14): a data directory in which a newcomer tries every role at once.
//!
//! The reference files given are imported like `import-tribunaux` and `import-etablissements` do; without them
//! a few tribunaux and établissements named "… (démo)" are created. Then one write transaction creates the
//! active accounts of every P1 role on one tribunal, realistic mesures (en cours, éteintes, en attente, some
//! reservations already accepted), a stale mandataire and an over-capacity one, and marks the database as a
//! demo by storing the accounts and their passwords (`db::demo`): the banner and the "Comptes de
//! démonstration" of /connexion come from that mark. The mesures are drawn from a fixed seed, so two demos
//! (and the guides' screenshots) show the same figures; only the passwords are random.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redb::{ReadableDatabase, ReadableTableMetadata, WriteTransaction};

use super::auth::password;
use super::commands::{read_input, CommandError};
use super::config::DemoArgs;
use super::reference::{Commune, ReferenceData};
use crate::db::etablissements::{self, Etablissement};
use crate::db::mesures::{self, Author, Mesure, Reservation};
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::tribunaux::{self, Tribunal};
use crate::db::users::{self, AccountStatus, NewUser};
use crate::db::{self, audit, tables, StoreError};
use crate::rules::account::{DemoAccount, Role};
use crate::rules::date;
use crate::rules::mesure::{CauseSortie, Champ, LieuDeVie, Nature, Origin, Status};
use crate::rules::profile::Genre;
use crate::rules::tribunal::TribunalType;

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

/// The built-in tribunaux: three of the Pas-de-Calais, named "(démo)". Returns how many were created.
fn builtin_tribunaux(
    database: &redb::Database,
    reference: &ReferenceData,
) -> Result<usize, StoreError> {
    let specs = [
        (
            TribunalType::Proximite,
            "Tribunal de proximité de Calais (démo)",
            "62193",
            "62100",
            "Calais",
        ),
        (
            TribunalType::Judiciaire,
            "Tribunal judiciaire de Boulogne-sur-Mer (démo)",
            "62160",
            "62200",
            "Boulogne-sur-Mer",
        ),
        (
            TribunalType::Judiciaire,
            "Tribunal judiciaire d'Arras (démo)",
            "62041",
            "62000",
            "Arras",
        ),
    ];
    let write = database.begin_write()?;
    for (kind, nom, code_insee, code_postal, ville) in specs {
        tribunaux::upsert(
            &write,
            Tribunal {
                id: 0,
                kind,
                nom: nom.to_owned(),
                siret: None,
                adresse: "1 place de la Justice".to_owned(),
                adresse_complement: String::new(),
                code_postal: code_postal.to_owned(),
                ville: ville.to_owned(),
                code_insee: code_insee.to_owned(),
                departement: "62".to_owned(),
                telephone: "03 21 00 00 00".to_owned(),
                email: String::new(),
                juridiction_parente: String::new(),
                date_ouverture: None,
                date_fermeture: None,
                actif: true,
                coordinates: reference.commune(code_insee).and_then(|c| c.coordinates),
            },
        )?;
    }
    audit::record(
        &write,
        None,
        "démonstration",
        "Import des tribunaux",
        "tribunaux de démonstration",
        "Succès",
    )?;
    write.commit()?;
    Ok(specs.len())
}

/// The built-in établissements, with FINESS numbers of a range no real one uses ("62999…").
fn builtin_etablissements(
    database: &redb::Database,
    reference: &ReferenceData,
) -> Result<usize, StoreError> {
    let specs = [
        (
            "629990011",
            "EHPAD Les Tilleuls (démo)",
            "62193",
            "62100",
            "Calais",
            "500",
        ),
        (
            "629990029",
            "Résidence Les Oyats (démo)",
            "62193",
            "62100",
            "Calais",
            "500",
        ),
        (
            "629990037",
            "Centre hospitalier du Littoral (démo)",
            "62160",
            "62200",
            "Boulogne-sur-Mer",
            "355",
        ),
        (
            "629990045",
            "Foyer d'accueil médicalisé Les Dunes (démo)",
            "62548",
            "62730",
            "Marck",
            "437",
        ),
    ];
    let write = database.begin_write()?;
    for (finess, nom, code_insee, code_postal, ville, categorie) in specs {
        etablissements::upsert(
            &write,
            Etablissement {
                finess: finess.to_owned(),
                finess_ej: String::new(),
                nom: nom.to_owned(),
                adresse: "2 rue des Écoles".to_owned(),
                code_postal: code_postal.to_owned(),
                ville: ville.to_owned(),
                code_insee: code_insee.to_owned(),
                telephone: String::new(),
                categorie: categorie.to_owned(),
                categorie_libelle: match categorie {
                    "500" => "Établissement d'hébergement pour personnes âgées dépendantes",
                    "355" => "Centre hospitalier",
                    _ => "Foyer d'accueil médicalisé",
                }
                .to_owned(),
                siret: String::new(),
                coordinates: reference.commune(code_insee).and_then(|c| c.coordinates),
                ferme: false,
            },
        )?;
    }
    audit::record(
        &write,
        None,
        "démonstration",
        "Import des établissements",
        "établissements de démonstration",
        "Succès",
    )?;
    write.commit()?;
    Ok(specs.len())
}

/// One account of the demo and what its space holds.
struct Person {
    identifiant: &'static str,
    role: Role,
    prenom: &'static str,
    nom: &'static str,
    genre: Genre,
    /// Listed on /connexion with its password; the other mandataires only fill the magistrat's list.
    listed: bool,
    /// False for the one sign-up waiting for an administrator, so that "Activer" can be tried.
    active: bool,
    mandataire: Option<Figures>,
}

/// The mesures and the profile facts of a demo mandataire.
struct Figures {
    souhaitees: u32,
    en_cours: u32,
    /// Among `en_cours`: reservations of the demo magistrat already accepted.
    acceptees: u32,
    eteintes: u32,
    en_attente: u32,
    /// Days since "Dernière mise à jour" (more than 30: the stale warning); `None`: "jamais".
    jours_depuis_mise_a_jour: Option<i64>,
    secretariat_etp_centiemes: Option<u32>,
    informations: &'static str,
    /// Also declares a second tribunal of the same département, when there is one.
    deux_tribunaux: bool,
}

const PEOPLE: &[Person] = &[
    Person {
        identifiant: "demo-individuel",
        role: Role::Individuel,
        prenom: "Camille",
        nom: "Lambert",
        genre: Genre::F,
        listed: true,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 30,
            en_cours: 20,
            acceptees: 3,
            eteintes: 6,
            en_attente: 2,
            jours_depuis_mise_a_jour: Some(2),
            secretariat_etp_centiemes: None,
            informations:
                "Permanences le mardi et le jeudi matin. Déplacements dans tout l'arrondissement.",
            deux_tribunaux: false,
        }),
    },
    Person {
        identifiant: "demo-prepose",
        role: Role::Prepose,
        prenom: "Julien",
        nom: "Marchand",
        genre: Genre::H,
        listed: true,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 25,
            en_cours: 21,
            acceptees: 2,
            eteintes: 5,
            en_attente: 2,
            jours_depuis_mise_a_jour: Some(5),
            secretariat_etp_centiemes: Some(50),
            informations:
                "Service des majeurs protégés de l'établissement, joignable du lundi au vendredi.",
            deux_tribunaux: false,
        }),
    },
    Person {
        identifiant: "demo-magistrat",
        role: Role::Magistrat,
        prenom: "Hélène",
        nom: "Rousseau",
        genre: Genre::F,
        listed: true,
        active: true,
        mandataire: None,
    },
    Person {
        identifiant: "demo-admin",
        role: Role::Admin,
        prenom: "Paul",
        nom: "Girard",
        genre: Genre::H,
        listed: true,
        active: true,
        mandataire: None,
    },
    // The stale mandataire: no update for 75 days.
    Person {
        identifiant: "demo-mjpm-sans-nouvelles",
        role: Role::Individuel,
        prenom: "Sophie",
        nom: "Bernard",
        genre: Genre::F,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 20,
            en_cours: 18,
            acceptees: 0,
            eteintes: 3,
            en_attente: 0,
            jours_depuis_mise_a_jour: Some(75),
            secretariat_etp_centiemes: None,
            informations: "",
            deux_tribunaux: false,
        }),
    },
    // The over-capacity one: more mesures en cours than souhaitées.
    Person {
        identifiant: "demo-mjpm-complet",
        role: Role::Prepose,
        prenom: "Marc",
        nom: "Lefebvre",
        genre: Genre::H,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 15,
            en_cours: 19,
            acceptees: 1,
            eteintes: 4,
            en_attente: 1,
            jours_depuis_mise_a_jour: Some(10),
            secretariat_etp_centiemes: Some(100),
            informations: "",
            deux_tribunaux: true,
        }),
    },
    Person {
        identifiant: "demo-mjpm-disponible",
        role: Role::Individuel,
        prenom: "Nadia",
        nom: "Benali",
        genre: Genre::F,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 40,
            en_cours: 17,
            acceptees: 0,
            eteintes: 2,
            en_attente: 0,
            jours_depuis_mise_a_jour: Some(1),
            secretariat_etp_centiemes: Some(80),
            informations: "Nouvelle installation : disponible pour des mesures à domicile.",
            deux_tribunaux: false,
        }),
    },
    // A sign-up waiting for validation: the administrator's "Activer".
    Person {
        identifiant: "demo-mjpm-inscrit",
        role: Role::Individuel,
        prenom: "Thomas",
        nom: "Petit",
        genre: Genre::H,
        listed: false,
        active: false,
        mandataire: Some(Figures {
            souhaitees: 25,
            en_cours: 0,
            acceptees: 0,
            eteintes: 0,
            en_attente: 0,
            jours_depuis_mise_a_jour: None,
            secretariat_etp_centiemes: None,
            informations: "",
            deux_tribunaux: false,
        }),
    },
];

/// Where the demo happens: its tribunal, a second one nearby, communes and établissements of the département.
struct Setting<'a> {
    tribunal: Tribunal,
    second: Option<Tribunal>,
    communes: Vec<&'a Commune>,
    etablissements: Vec<Etablissement>,
}

fn setting<'a>(
    read: &redb::ReadTransaction,
    reference: &'a ReferenceData,
) -> Result<Setting<'a>, CommandError> {
    let store = |e: StoreError| CommandError::Store(e.to_string());
    let today = crate::server::time::today_iso();
    let mut active: Vec<Tribunal> = tribunaux::all(read)
        .map_err(store)?
        .into_iter()
        .filter(|t| t.is_active(&today))
        .collect();
    active.sort_by_key(|t| t.id);
    let chosen = active
        .iter()
        .position(|t| t.nom.starts_with(PREFERRED_TRIBUNAL))
        .or_else(|| active.iter().position(|t| t.kind == TribunalType::Judiciaire))
        .or(if active.is_empty() { None } else { Some(0) })
        .ok_or_else(|| {
            CommandError::Invalid(
                "aucun tribunal actif dans le fichier des tribunaux : la démonstration a besoin d'au moins un tribunal"
                    .to_owned(),
            )
        })?;
    let tribunal = active.remove(chosen);
    let departement = reference
        .commune(&tribunal.code_insee)
        .map(|c| c.departement.clone())
        .unwrap_or_else(|| tribunal.departement.clone());
    let second = active.into_iter().find(|t| {
        reference
            .commune(&t.code_insee)
            .is_some_and(|c| c.departement == departement)
    });
    let mut communes: Vec<&Commune> = reference
        .communes
        .iter()
        .filter(|c| {
            c.departement == departement
                && !c.arrondissement
                && c.coordinates.is_some()
                && !c.codes_postaux.is_empty()
        })
        .collect();
    // The tribunal's commune first, then the most populated: where most mesures are.
    communes.sort_by_key(|c| {
        (
            c.code_insee != tribunal.code_insee,
            std::cmp::Reverse(c.population),
        )
    });
    communes.truncate(15);
    if communes.is_empty() {
        return Err(CommandError::Invalid(format!(
            "aucune commune connue pour le tribunal « {} »",
            tribunal.nom
        )));
    }
    let mut etablissements: Vec<Etablissement> = etablissements::all(read)
        .map_err(store)?
        .into_iter()
        .filter(|e| {
            !e.ferme
                && reference
                    .commune(&e.code_insee)
                    .is_some_and(|c| c.departement == departement)
        })
        .collect();
    // Those of the tribunal's commune first, so that the préposé's établissements look near.
    etablissements.sort_by(|a, b| {
        (a.code_insee != tribunal.code_insee, &a.finess)
            .cmp(&(b.code_insee != tribunal.code_insee, &b.finess))
    });
    etablissements.truncate(6);
    Ok(Setting {
        tribunal,
        second,
        communes,
        etablissements,
    })
}

/// Creates the accounts, profiles and mesures and marks the database as a demo, in one write transaction.
fn seed(
    database: &redb::Database,
    reference: &ReferenceData,
    passwords: &[(String, String)],
) -> Result<(String, Vec<DemoAccount>), CommandError> {
    let store = |e: StoreError| CommandError::Store(e.to_string());
    let setting = {
        let read = database.begin_read().map_err(|e| store(e.into()))?;
        setting(&read, reference)?
    };
    let now = db::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let write = database.begin_write().map_err(|e| store(e.into()))?;
    let mut ids = Vec::with_capacity(PEOPLE.len());
    for (person, (_, hash)) in PEOPLE.iter().zip(passwords) {
        let user = users::create(
            &write,
            NewUser {
                identifiant: person.identifiant.to_owned(),
                email: format!("{}@demo.emjpm.invalid", person.identifiant),
                role: person.role,
                nom: person.nom.to_owned(),
                prenom: person.prenom.to_owned(),
                status: if person.active {
                    AccountStatus::Actif
                } else {
                    AccountStatus::EnAttente
                },
                password_hash: hash.clone(),
            },
        )
        .map_err(|e| match e {
            users::CreateUserError::Store(e) => store(e),
            taken => CommandError::Invalid(format!(
                "« {} » : {} Utilisez un autre dossier de données.",
                person.identifiant, taken
            )),
        })?;
        ids.push(user.id);
    }
    let magistrat_id = ids[PEOPLE
        .iter()
        .position(|p| p.role == Role::Magistrat)
        .unwrap_or_default()];
    for (index, (person, user_id)) in PEOPLE.iter().zip(&ids).enumerate() {
        match (&person.mandataire, person.role) {
            (Some(figures), _) => {
                let context = Context {
                    setting: &setting,
                    owner: *user_id,
                    index,
                    magistrat_id,
                    now,
                    year: u16::try_from(super::time::current_year()).unwrap_or(2026),
                };
                seed_mandataire(&write, &context, person, figures, &mut rng).map_err(store)?;
            }
            (None, Role::Magistrat) => profiles::put_magistrat(
                &write,
                *user_id,
                &Magistrat {
                    genre: person.genre,
                    tribunal_id: setting.tribunal.id,
                    cabinet: "Cabinet 2".to_owned(),
                },
            )
            .map_err(store)?,
            (None, _) => {}
        }
    }
    let accounts: Vec<DemoAccount> = PEOPLE
        .iter()
        .zip(passwords)
        .filter(|(person, _)| person.listed)
        .map(|(person, (secret, _))| DemoAccount {
            identifiant: person.identifiant.to_owned(),
            role: person.role.label().to_owned(),
            mot_de_passe: secret.clone(),
        })
        .collect();
    db::demo::put_accounts(&write, &accounts).map_err(store)?;
    audit::record(
        &write,
        None,
        "ligne de commande",
        "Création de la démonstration",
        &format!("{} comptes", PEOPLE.len()),
        "Succès",
    )
    .map_err(store)?;
    write.commit().map_err(|e| store(e.into()))?;
    Ok((setting.tribunal.nom.clone(), accounts))
}

struct Context<'a> {
    setting: &'a Setting<'a>,
    owner: u64,
    /// The person's rank: keeps the numéros RG of two mandataires apart.
    index: usize,
    magistrat_id: u64,
    now: i64,
    year: u16,
}

fn seed_mandataire(
    write: &WriteTransaction,
    context: &Context<'_>,
    person: &Person,
    figures: &Figures,
    rng: &mut StdRng,
) -> Result<(), StoreError> {
    let setting = context.setting;
    let home = setting.communes[context.index % setting.communes.len().min(3)];
    let mut tribunaux = vec![setting.tribunal.id];
    if figures.deux_tribunaux {
        tribunaux.extend(setting.second.as_ref().map(|t| t.id));
    }
    let etablissements: Vec<String> = if person.role == Role::Prepose {
        setting
            .etablissements
            .iter()
            .skip(context.index % 2 * 2)
            .take(2)
            .map(|e| e.finess.clone())
            .collect()
    } else {
        Vec::new()
    };
    profiles::put_mandataire(
        write,
        context.owner,
        &Mandataire {
            genre: person.genre,
            adresse: format!("{} rue de la République", 3 + context.index * 7),
            code_postal: home.codes_postaux[0].clone(),
            code_insee: home.code_insee.clone(),
            commune: home.nom.clone(),
            telephone: format!(
                "03 21 4{} 2{} 1{}",
                context.index, context.index, context.index
            ),
            telephone_portable: None,
            mesures_souhaitees: figures.souhaitees,
            secretariat: figures.secretariat_etp_centiemes.is_some(),
            secretariat_etp_centiemes: figures.secretariat_etp_centiemes,
            informations: figures.informations.to_owned(),
            tribunaux,
            etablissements: etablissements.clone(),
            mesures_en_cours: 0,
            mesures_en_attente: 0,
            derniere_mise_a_jour: None,
        },
    )?;
    let today = context.now.div_euclid(86_400);
    for number in 0..figures.en_cours + figures.eteintes {
        let mut mesure = drawn_mesure(context, &etablissements, number, rng);
        let decided = today - rng.random_range(40..2_500);
        mesure.date_decision = Some(date::iso(date::from_epoch_days(decided)));
        if number < figures.acceptees {
            mesure.origin = Origin::Reservation;
            mesure.reservation = Some(Reservation {
                magistrat_id: context.magistrat_id,
                tribunal_id: setting.tribunal.id,
                cabinet: Some("Cabinet 2".to_owned()),
                reserved_at: (decided - 3) * 86_400 + 36_000,
                accepted_at: Some(decided * 86_400 + 50_000),
            });
        }
        if number >= figures.en_cours {
            mesure.status = Status::Eteinte;
            mesure.date_fin = Some(date::iso(date::from_epoch_days(
                rng.random_range(decided + 1..today),
            )));
            mesure.cause_sortie =
                Some(CauseSortie::ALL[rng.random_range(0..CauseSortie::ALL.len())]);
        }
        mesures::insert(write, mesure, Author::Other)?;
    }
    for number in 0..figures.en_attente {
        let mut mesure = drawn_mesure(context, &etablissements, 900 + number, rng);
        mesure.status = Status::EnAttente;
        mesure.origin = Origin::Reservation;
        mesure.date_decision = None;
        mesure.code_postal = None;
        mesure.code_insee = None;
        mesure.commune = None;
        mesure.lieu_de_vie = None;
        mesure.etablissement = None;
        mesure.numero_dossier = None;
        mesure.reservation = Some(Reservation {
            magistrat_id: context.magistrat_id,
            tribunal_id: setting.tribunal.id,
            cabinet: Some("Cabinet 2".to_owned()),
            reserved_at: context.now - i64::from(number + 1) * 5_400,
            accepted_at: None,
        });
        mesures::insert(write, mesure, Author::Other)?;
    }
    if let Some(mut profile) = profiles::mandataire_in(write, context.owner)? {
        profile.derniere_mise_a_jour = figures
            .jours_depuis_mise_a_jour
            .map(|days| context.now - days * 86_400);
        profiles::put_mandataire_record(write, context.owner, &profile)?;
    }
    Ok(())
}

/// A mesure en cours with drawn facts; the caller sets its dates and status.
fn drawn_mesure(
    context: &Context<'_>,
    etablissements: &[String],
    number: u32,
    rng: &mut StdRng,
) -> Mesure {
    let setting = context.setting;
    // Most mesures are curatelles renforcées and tutelles (the national proportions, roughly).
    let nature = match rng.random_range(0..100) {
        0..40 => Nature::CuratelleRenforcee,
        40..72 => Nature::Tutelle,
        72..87 => Nature::CuratelleSimple,
        87..95 => Nature::SauvegardeJustice,
        _ => Nature::MesureAccompagnementJudiciaire,
    };
    let champ = match nature {
        Nature::Tutelle | Nature::CuratelleRenforcee | Nature::CuratelleSimple => {
            Some(if rng.random_range(0..4) == 0 {
                Champ::ProtectionBien
            } else {
                Champ::ProtectionBienPersonne
            })
        }
        _ => None,
    };
    // Near the tribunal: the first communes (the largest) more often.
    let place = setting.communes[rng
        .random_range(0..setting.communes.len())
        .min(rng.random_range(0..setting.communes.len()))];
    let in_etablissement = !etablissements.is_empty() && rng.random_range(0..10) < 6
        || !setting.etablissements.is_empty() && rng.random_range(0..10) < 2;
    let (lieu_de_vie, etablissement, place) = if in_etablissement {
        let finess = if etablissements.is_empty() {
            setting.etablissements[rng.random_range(0..setting.etablissements.len())]
                .finess
                .clone()
        } else {
            etablissements[rng.random_range(0..etablissements.len())].clone()
        };
        let at = setting
            .etablissements
            .iter()
            .find(|e| e.finess == finess)
            .and_then(|e| {
                setting
                    .communes
                    .iter()
                    .find(|c| c.code_insee == e.code_insee)
            })
            .copied()
            .unwrap_or(place);
        (LieuDeVie::Etablissement, Some(finess), at)
    } else {
        (LieuDeVie::Domicile, None, place)
    };
    // Adults well before their decision: between 25 and 90 years old today.
    let year = context.year - 25 - rng.random_range(0..65_u16);
    Mesure {
        id: 0,
        owner: context.owner,
        status: Status::EnCours,
        origin: Origin::Saisie,
        nature,
        champ,
        date_decision: None,
        code_postal: Some(place.codes_postaux[0].clone()),
        code_insee: Some(place.code_insee.clone()),
        commune: Some(place.nom.clone()),
        genre: if rng.random_range(0..2) == 0 {
            Genre::F
        } else {
            Genre::H
        },
        annee_naissance: year,
        lieu_de_vie: Some(lieu_de_vie),
        etablissement,
        numero_dossier: (number % 3 != 2)
            .then(|| format!("D{:02}-{:03}", context.index, number + 1)),
        numero_rg: Some(format!(
            "{}{:02}/{:04}",
            2 + context.index % 7,
            context.index,
            number + 1
        )),
        tribunal_id: Some(setting.tribunal.id),
        reservation: None,
        date_fin: None,
        cause_sortie: None,
        created_at: context.now,
    }
}

#[cfg(test)]
mod tests;

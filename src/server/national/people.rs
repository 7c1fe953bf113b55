//! The national data set's accounts: an administrator, magistrats and greffiers in every tribunal, and the
//! mandataires (individuels, préposés, services with antennes and members), each with its share of mesures.

use rand::rngs::StdRng;
use rand::Rng;
use redb::WriteTransaction;

use super::geography::Geography;
use super::Plan;
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::services::{self, Antenne, NewService};
use crate::db::users::{self, AccountStatus, NewUser};
use crate::db::StoreError;
use crate::rules::account::Role;
use crate::rules::profile::Genre;

const NOMS: [&str; 40] = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Perrin",
];
const PRENOMS: [&str; 40] = [
    "Camille",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Sandrine",
    "Valérie",
    "Christine",
    "Céline",
    "Hélène",
    "Sophie",
    "Élodie",
    "Aurélie",
    "Julie",
    "Claire",
    "Anne",
    "Marie",
    "Laure",
    "Agnès",
    "Émilie",
    "Philippe",
    "Jean",
    "Pierre",
    "Nicolas",
    "Christophe",
    "Stéphane",
    "Frédéric",
    "Laurent",
    "Olivier",
    "Julien",
    "Éric",
    "Thierry",
    "David",
    "Sébastien",
    "Vincent",
    "François",
    "Patrick",
    "Benoît",
    "Marc",
    "Jérôme",
];

/// A holder of mesures: an individuel, a préposé, or a service (then `owner` is the service).
pub(super) struct Holder {
    pub owner: u64,
    pub role: Role,
    /// Indices into `Geography::areas`: the first is home.
    pub areas: Vec<usize>,
    pub antennes: Vec<u64>,
    /// A préposé's établissements: (FINESS, commune index).
    pub etablissements: Vec<(String, u32)>,
    pub en_cours: u32,
    pub eteintes: u32,
    pub en_attente: u32,
    pub refusees: u32,
    /// An account that logs into this holder's space.
    pub identifiant: String,
}

/// Who was created: the holders, and the magistrats and greffiers of each area.
pub(super) struct People {
    pub holders: Vec<Holder>,
    pub magistrats: Vec<Vec<u64>>,
    pub accounts: usize,
    pub first_magistrat: Vec<Option<String>>,
}

struct Maker<'a> {
    write: &'a WriteTransaction,
    hash: &'a str,
    accounts: usize,
}

impl Maker<'_> {
    fn user(&mut self, identifiant: &str, role: Role, rng: &mut StdRng) -> Result<u64, StoreError> {
        self.accounts += 1;
        let user = users::create(
            self.write,
            NewUser {
                identifiant: identifiant.to_owned(),
                email: format!("{identifiant}@national.emjpm.invalid"),
                role,
                nom: NOMS[rng.random_range(0..NOMS.len())].to_owned(),
                prenom: PRENOMS[rng.random_range(0..PRENOMS.len())].to_owned(),
                status: AccountStatus::Actif,
                password_hash: self.hash.to_owned(),
            },
        )
        .map_err(|e| match e {
            users::CreateUserError::Store(e) => e,
            other => StoreError::Corrupt(other.to_string()),
        })?;
        Ok(user.id)
    }
}

/// Creates every account and profile in the caller's transaction.
pub(super) fn create(
    write: &WriteTransaction,
    plan: &Plan,
    geography: &Geography,
    hash: &str,
    now: i64,
    rng: &mut StdRng,
) -> Result<People, StoreError> {
    let mut maker = Maker {
        write,
        hash,
        accounts: 0,
    };
    maker.user("admin", Role::Admin, rng)?;
    let areas = geography.areas.len();
    let mut magistrats = vec![Vec::new(); areas];
    let mut first_magistrat = vec![None; areas];
    let greffiers = plan.magistrats / 4;
    for number in 0..plan.magistrats + greffiers {
        // Every tribunal has one magistrat; the others go where people live.
        let area = if (number as usize) < areas {
            number as usize
        } else {
            geography.draw_area(rng)
        };
        let (role, identifiant) = if number < plan.magistrats {
            (Role::Magistrat, format!("mag.{:05}", number + 1))
        } else {
            (
                Role::Greffier,
                format!("gre.{:05}", number + 1 - plan.magistrats),
            )
        };
        let id = maker.user(&identifiant, role, rng)?;
        profiles::put_magistrat(
            write,
            id,
            &Magistrat {
                genre: genre(rng),
                tribunal_id: geography.areas[area].tribunal.id,
                cabinet: format!("Cabinet {}", rng.random_range(1..6)),
            },
        )?;
        magistrats[area].push(id);
        if role == Role::Magistrat && first_magistrat[area].is_none() {
            first_magistrat[area] = Some(identifiant);
        }
    }
    let shares = shares(plan, rng);
    let largest_area = (0..areas)
        .max_by_key(|&a| geography.areas[a].population())
        .unwrap_or(0);
    let mut holders = Vec::with_capacity(shares.len());
    for (number, (role, total)) in shares.into_iter().enumerate() {
        let home = if number == 0 {
            largest_area
        } else {
            geography.draw_area(rng)
        };
        let mut served = vec![home];
        if rng.random_range(0..10) < 3 {
            served.extend(geography.neighbour(home, rng));
        }
        let (en_cours, eteintes, en_attente, refusees) = if number == 0 {
            // The largest holder: exactly `plan.largest` mesures en cours.
            let en_cours = plan.largest;
            (en_cours, en_cours * 36 / 100, en_cours / 50, en_cours / 150)
        } else {
            split(total)
        };
        let tribunaux: Vec<u64> = served
            .iter()
            .map(|&a| geography.areas[a].tribunal.id)
            .collect();
        let home_commune = geography.areas[home].draw_commune(rng);
        let mut holder = Holder {
            owner: 0,
            role,
            areas: served,
            antennes: Vec::new(),
            etablissements: Vec::new(),
            en_cours,
            eteintes,
            en_attente,
            refusees,
            identifiant: String::new(),
        };
        let prefix = match role {
            Role::Service => "svc",
            Role::Prepose => "prep",
            _ => "ind",
        };
        holder.identifiant = format!("{prefix}.{:05}", number + 1);
        let user = maker.user(&holder.identifiant, role, rng)?;
        holder.owner = user;
        let mut service = None;
        if role == Role::Service {
            let mut created = services::create(
                write,
                NewService {
                    nom: format!(
                        "Association tutélaire {} {}",
                        geography.areas[home].tribunal.ville,
                        number + 1
                    ),
                    siret: format!("{:014}", 77_000_000_000_000u64 + number as u64),
                    email: format!("{}@national.emjpm.invalid", holder.identifiant),
                    contact_nom: NOMS[rng.random_range(0..NOMS.len())].to_owned(),
                    contact_prenom: PRENOMS[rng.random_range(0..PRENOMS.len())].to_owned(),
                },
                user,
            )?;
            if let Some(refreshed) = services::refresh_status(write, created.id)? {
                created = refreshed;
            }
            // One member per 300 mesures en cours, at least one besides the founder.
            for member in 0..(en_cours / 300).clamp(1, 15) {
                let id =
                    maker.user(&format!("{}.{}", holder.identifiant, member + 2), role, rng)?;
                services::add_member(write, &mut created, id)?;
            }
            holder.owner = created.id;
            service = Some(created);
        }
        if role == Role::Prepose {
            let pool = &geography.areas[home].etablissements;
            for _ in 0..rng.random_range(1..4).min(pool.len()) {
                holder
                    .etablissements
                    .push(pool[rng.random_range(0..pool.len())].clone());
            }
            holder.etablissements.dedup();
        }
        let souhaitees = en_cours + en_attente + en_cours * rng.random_range(0..30) / 100;
        profiles::put_mandataire(
            write,
            holder.owner,
            &Mandataire {
                genre: genre(rng),
                adresse: format!("{} rue de la République", rng.random_range(1..120)),
                code_postal: plan.commune(home_commune).codes_postaux[0].clone(),
                code_insee: plan.commune(home_commune).code_insee.clone(),
                commune: plan.commune(home_commune).nom.clone(),
                telephone: format!(
                    "0{} {:02} {:02} {:02} {:02}",
                    rng.random_range(1..6),
                    rng.random_range(0..100),
                    rng.random_range(0..100),
                    rng.random_range(0..100),
                    rng.random_range(0..100)
                ),
                telephone_portable: None,
                mesures_souhaitees: souhaitees,
                secretariat: rng.random_range(0..2) == 0,
                secretariat_etp_centiemes: None,
                informations: String::new(),
                tribunaux,
                etablissements: holder
                    .etablissements
                    .iter()
                    .map(|(f, _)| f.clone())
                    .collect(),
                mesures_en_cours: 0,
                mesures_en_attente: 0,
                mesures_eteintes: 0,
                // Most update their figures each month; one in ten has not for more than a month.
                derniere_mise_a_jour: Some(if rng.random_range(0..10) == 0 {
                    now - rng.random_range(31..400) * 86_400
                } else {
                    now - rng.random_range(0..30 * 86_400)
                }),
                suspension: None,
                derniere_relance: None,
            },
        )?;
        if let Some(mut service) = service {
            let count = (en_cours / 500).clamp(1, 10);
            let service_id = service.id;
            for rank in 0..count {
                let commune = plan.commune(geography.areas[home].draw_commune(rng));
                let id = services::save_antenne(
                    write,
                    &mut service,
                    Antenne {
                        id: 0,
                        service_id,
                        nom: format!("Antenne {}", commune.nom),
                        adresse: format!("{} avenue Jean Jaurès", 2 + rank),
                        code_postal: commune.codes_postaux[0].clone(),
                        code_insee: commune.code_insee.clone(),
                        commune: commune.nom.clone(),
                        contact: format!("Accueil antenne {}", rank + 1),
                        telephone: format!("01 45 {:02} {:02} {:02}", rank, rank, rank),
                        email: None,
                        mesures_souhaitees: souhaitees / count + 1,
                        mesures_en_cours: 0,
                        mesures_en_attente: 0,
                    },
                )?;
                holder.antennes.push(id);
            }
        }
        holders.push(holder);
    }
    Ok(People {
        holders,
        magistrats,
        accounts: maker.accounts,
        first_magistrat,
    })
}

fn genre(rng: &mut StdRng) -> Genre {
    if rng.random_range(0..2) == 0 {
        Genre::F
    } else {
        Genre::H
    }
}

/// Each holder's role and number of mesures (all statuses), the largest service first: services hold
/// 55 % of the mesures, individuels 30 %, préposés 15 % (about the national proportions).
fn shares(plan: &Plan, rng: &mut StdRng) -> Vec<(Role, u32)> {
    let count = plan.mandataires as usize;
    let services = (count * 6 / 100).max(1);
    let preposes = count * 24 / 100;
    let individuels = count.saturating_sub(services + preposes);
    let largest_total =
        plan.largest + plan.largest * 36 / 100 + plan.largest / 50 + plan.largest / 150;
    let total = u64::from(plan.mesures).saturating_sub(u64::from(largest_total));
    let mut shares = vec![(Role::Service, 0)];
    for (role, number, percent) in [
        (Role::Service, services - 1, 55),
        (Role::Individuel, individuels, 30),
        (Role::Prepose, preposes, 15),
    ] {
        // Log-normal sizes: most hold about the mean, a few many more (capped below the largest).
        let weights: Vec<f64> = (0..number).map(|_| (normal(rng) * 0.7).exp()).collect();
        let sum: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let class_total = total as f64 * f64::from(percent) / 100.0;
        let cap = f64::from(largest_total) * 0.9;
        for weight in weights {
            shares.push((role, (class_total * weight / sum).min(cap).round() as u32));
        }
    }
    // The roundings' remainder goes to the last individuel: exactly `plan.mesures` in all.
    let drawn: i64 = shares.iter().map(|s| i64::from(s.1)).sum::<i64>() + i64::from(largest_total);
    if let Some(last) = shares.iter_mut().rev().find(|s| s.0 == Role::Individuel) {
        last.1 = u32::try_from((i64::from(last.1) + i64::from(plan.mesures) - drawn).max(0))
            .unwrap_or(0);
    }
    shares
}

/// en cours, éteintes, en attente, refusées of `total` mesures.
fn split(total: u32) -> (u32, u32, u32, u32) {
    let eteintes = total * 26 / 100;
    let en_attente = total * 15 / 1000;
    let refusees = total / 200;
    (
        total - eteintes - en_attente - refusees,
        eteintes,
        en_attente,
        refusees,
    )
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

//! The demo's accounts, profiles, mesures and reservations, drawn from a fixed seed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use redb::{ReadableDatabase, WriteTransaction};

use super::*;
use crate::db::mesures::{self, Author, Mesure, Reservation};
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::users::{self, AccountStatus, NewUser};
use crate::db::{self, audit, StoreError};
use crate::rules::account::{DemoAccount, Role};
use crate::rules::date;
use crate::rules::mesure::{CauseSortie, Champ, LieuDeVie, Nature, Origin, Status};
use crate::rules::profile::Genre;
use crate::server::commands::CommandError;
use crate::server::reference::ReferenceData;

/// Creates the accounts, profiles and mesures and marks the database as a demo, in one write transaction.
pub(super) fn seed(
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
            (Some(figures), role) => {
                let (owner, antennes) = if role == Role::Service {
                    seed_service(&write, &setting, person, *user_id).map_err(store)?
                } else {
                    (*user_id, Vec::new())
                };
                let context = Context {
                    setting: &setting,
                    owner,
                    antennes,
                    index,
                    magistrat_id,
                    now,
                    year: u16::try_from(crate::server::time::current_year()).unwrap_or(2026),
                };
                seed_mandataire(&write, &context, person, figures, &mut rng).map_err(store)?;
            }
            (None, Role::Magistrat | Role::Greffier) => profiles::put_magistrat(
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

/// The demo's service (issue 16): "Association tutélaire du Littoral (démo)", its founding account as
/// administrateur, two antennes; returns the service's id (the owner of its mesures) and the antennes'.
fn seed_service(
    write: &WriteTransaction,
    setting: &Setting<'_>,
    person: &Person,
    founder: u64,
) -> Result<(u64, Vec<u64>), StoreError> {
    use crate::db::services::{self, Antenne, NewService};
    let mut service = services::create(
        write,
        NewService {
            nom: "Association tutélaire du Littoral (démo)".to_owned(),
            siret: "73282932000074".to_owned(),
            email: format!("{}@demo.emjpm.invalid", person.identifiant),
            contact_nom: person.nom.to_owned(),
            contact_prenom: person.prenom.to_owned(),
        },
        founder,
    )?;
    // The record as refreshed (active), so that the antennes below do not write an older copy back.
    if let Some(refreshed) = services::refresh_status(write, service.id)? {
        service = refreshed;
    }
    let service_id = service.id;
    let mut ids = Vec::new();
    for (rank, (nom, souhaitees)) in [("Antenne Nord", 20), ("Antenne Sud", 15)]
        .into_iter()
        .enumerate()
    {
        let commune = setting.communes[rank % setting.communes.len()];
        let id = services::save_antenne(
            write,
            &mut service,
            Antenne {
                id: 0,
                service_id,
                nom: nom.to_owned(),
                adresse: format!("{} boulevard Gambetta", 10 + rank * 5),
                code_postal: commune.codes_postaux[0].clone(),
                code_insee: commune.code_insee.clone(),
                commune: commune.nom.clone(),
                contact: format!("Accueil {nom}"),
                telephone: format!("03 21 5{rank} 6{rank} 7{rank}"),
                email: Some(format!("antenne-{}@demo.emjpm.invalid", rank + 1)),
                mesures_souhaitees: souhaitees,
                mesures_en_cours: 0,
                mesures_en_attente: 0,
            },
        )?;
        ids.push(id);
    }
    Ok((service_id, ids))
}

pub(super) struct Context<'a> {
    pub(super) setting: &'a Setting<'a>,
    pub(super) owner: u64,
    /// A service's antennes: its mesures go to each in turn.
    pub(super) antennes: Vec<u64>,
    /// The person's rank: keeps the numéros RG of two mandataires apart.
    pub(super) index: usize,
    pub(super) magistrat_id: u64,
    pub(super) now: i64,
    pub(super) year: u16,
}

pub(super) fn seed_mandataire(
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
            mesures_eteintes: 0,
            derniere_mise_a_jour: None,
            suspension: None,
            derniere_relance: None,
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
                refus: None,
                urgente: false,
                date_jugement: None,
                relance_at: None,
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
        mesure.antenne = antenne_of(context, number);
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
            refus: None,
            // The first waiting reservation of the demo is urgent, with its judgment date (issue 18).
            urgente: number == 0,
            date_jugement: (number == 0)
                .then(|| date::iso(date::from_epoch_days(context.now.div_euclid(86_400) + 21))),
            relance_at: None,
        });
        mesure.antenne = antenne_of(context, number);
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

/// The antenne of a service's `number`-th mesure: each in turn.
fn antenne_of(context: &Context<'_>, number: u32) -> Option<u64> {
    (!context.antennes.is_empty())
        .then(|| context.antennes[number as usize % context.antennes.len()])
}

/// A nature and its champ: most mesures are curatelles renforcées and tutelles (the national proportions,
/// roughly). Shared with the national data set (`server::national`).
pub(crate) fn drawn_nature(rng: &mut StdRng) -> (Nature, Option<Champ>) {
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
    (nature, champ)
}

/// A mesure en cours with drawn facts; the caller sets its dates and status.
pub(super) fn drawn_mesure(
    context: &Context<'_>,
    etablissements: &[String],
    number: u32,
    rng: &mut StdRng,
) -> Mesure {
    let setting = context.setting;
    let (nature, champ) = drawn_nature(rng);
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
        antenne: None,
    }
}

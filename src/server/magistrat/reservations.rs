//! Server-function bodies of the magistrat's reservations (SPEC §6.3, §6.4). A magistrat reaches only the
//! active mandataires who declared his tribunal, and only his tribunal's reservations; anything else, even
//! by a forged request, answers 404 "Page introuvable".

use std::collections::HashMap;

use redb::WriteTransaction;

use crate::api::form::{FormReply, FormState};
use crate::api::magistrat::{
    CancelTarget, MagistratPage, ReservationForm, ReservationTarget, ReservedList, ReservedRow,
};
use crate::db::mesures::{self, Author, Mesure, Reservation};
use crate::db::profiles;
use crate::db::users;
use crate::db::{audit, now, tribunaux, StoreError};
use crate::rules::date::display_iso;
use crate::rules::mesure::{nature_with_champ, Origin, Status};
use crate::rules::profile::disponibilite;
use crate::server::forms::{done, refuse};

use crate::api::AppError;
use crate::api::AppResult;
use crate::db::services;
use crate::rules::forms::mesure::Majeur;
use crate::rules::forms::reservation::parse_reservation;
use crate::rules::PAGE_SIZE;
use crate::server::context::Ctx;
use crate::server::magistrat::{magistrat_page, mandataire_in_scope, owner_name, still_in_scope};

/// "Antenne" of a reservation for a service, when it is not one of the service's.
pub const ANTENNE_UNKNOWN: &str = "Choisissez une antenne du service dans la liste.";
use crate::server::mail;
use crate::server::time::current_year;
use crate::server::time::local_date;
use crate::server::AppState;

pub const RESERVED: &str = "L'attribution de mesure a bien été envoyée.";
pub const EDITED: &str = "La réservation a été modifiée.";
pub const CANCELLED: &str = "La réservation a été annulée.";
pub const ALREADY_ACCEPTED: &str =
    "Cette mesure a déjà été acceptée par le mandataire : elle ne peut plus être modifiée ni annulée.";
pub use crate::rules::forms::reservation::RG_TAKEN_FOR_MANDATAIRE;
const RESERVATION_FORM: &str = "reservation";

/// A reservation of the magistrat's tribunal, else 404 (another tribunal's, a mandataire's own mesure).
fn of_tribunal(mesure: Option<Mesure>, tribunal_id: u64) -> Result<Mesure, AppError> {
    mesure
        .filter(|m| m.reservation.as_ref().map(|r| r.tribunal_id) == Some(tribunal_id))
        .ok_or(AppError::NotFound)
}

/// "Réserver une mesure" for a mandataire in scope, or "Modifier" of a reservation of the tribunal (its
/// values; once accepted, the refusal instead of the form).
pub fn reservation_page(
    mandataire_id: Option<u64>,
    reservation_id: Option<u64>,
) -> Result<MagistratPage<ReservationTarget>, AppError> {
    let cx = Ctx::magistrat()?;
    let _state = &cx.state;
    magistrat_page(&cx, RESERVATION_FORM, |space| {
        let (read, profile) = (space.read, &space.profile);
        let mut values = FormState::default();
        let (mandataire_id, mandataire, refus) = match reservation_id {
            Some(id) => {
                let mesure = of_tribunal(mesures::get(read, id)?, profile.tribunal_id)?;
                for (name, value) in [
                    ("nature", mesure.nature.code().to_owned()),
                    (
                        "champ",
                        mesure
                            .champ
                            .map(|c| c.code().to_owned())
                            .unwrap_or_default(),
                    ),
                    ("genre", mesure.genre.code().to_owned()),
                    ("annee_naissance", mesure.annee_naissance.to_string()),
                    ("numero_rg", mesure.numero_rg.clone().unwrap_or_default()),
                    (
                        "cabinet",
                        mesure
                            .reservation
                            .as_ref()
                            .and_then(|r| r.cabinet.clone())
                            .unwrap_or_default(),
                    ),
                ] {
                    values.set(name, value);
                }
                if let Some(reservation) = &mesure.reservation {
                    if reservation.urgente {
                        values.set("urgente", "oui");
                    }
                    if let Some(date) = &reservation.date_jugement {
                        values.set("date_jugement", crate::rules::date::display_iso(date));
                    }
                }
                let mandataire = profiles::mandataire(read, mesure.owner)?;
                let name = owner_name(read, mesure.owner)?;
                let refus =
                    (mesure.status != Status::EnAttente).then(|| ALREADY_ACCEPTED.to_owned());
                // The antenne is chosen when reserving; "Modifier" keeps it.
                (mesure.owner, mandataire.map(|m| (name, m, None)), refus)
            }
            None => {
                let id = mandataire_id.ok_or(AppError::NotFound)?;
                values.set("cabinet", profile.cabinet.clone());
                let found = mandataire_in_scope(read, profile.tribunal_id, id)?;
                let name = format!("{} {}", found.head.prenom, found.head.nom)
                    .trim()
                    .to_owned();
                let antennes = match &found.service {
                    Some(service) => Some(
                        services::antennes_of(read, service)?
                            .into_iter()
                            .map(|a| crate::rules::Suggestion {
                                id: a.id.to_string(),
                                label: format!("{} ({})", a.nom, a.commune),
                            })
                            .collect::<Vec<_>>(),
                    ),
                    None => None,
                };
                (id, Some((name, found.profile, antennes)), None)
            }
        };
        let (name, mandataire, antennes) = mandataire.ok_or(AppError::NotFound)?;
        Ok(ReservationTarget {
            suspendu: super::suspension_sentence(mandataire.suspension.as_ref()),
            antennes,
            mandataire_id,
            mandataire: name,
            complet: disponibilite(
                mandataire.mesures_souhaitees,
                mandataire.mesures_en_cours,
                mandataire.mesures_en_attente,
            ) <= 0,
            reservation: reservation_id,
            refus,
            values,
        })
    })
}

/// Queues "e-MJPM : une nouvelle mesure vous a été attribuée" or its cancellation to the mandataire, with
/// the facts of the reservation and the mandataire's capacity after the change, in the change's transaction.
fn queue_mandataire_email(
    write: &WriteTransaction,
    state: &AppState,
    tribunal: &str,
    mesure: &Mesure,
    cancelled: bool,
) -> Result<(), StoreError> {
    // An account's own address; for a service (issue 16), its administrateurs' and the antenne's.
    let recipients: Vec<String> = match users::get_in(write, mesure.owner)? {
        Some(user) => vec![user.email],
        None => crate::server::service::reservation_recipients(write, mesure.owner, mesure.antenne)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    };
    if recipients.is_empty() {
        return Ok(());
    }
    let counters = profiles::mandataire_in(write, mesure.owner)?;
    let capacite = counters.map_or_else(String::new, |c| {
        format!(
            "Vos mesures : {} en cours, {} en attente, {} souhaitées.",
            c.mesures_en_cours, c.mesures_en_attente, c.mesures_souhaitees
        )
    });
    let type_mesure = nature_with_champ(mesure.nature, mesure.champ);
    let urgente = mesure.reservation.as_ref().is_some_and(|r| r.urgente);
    let date_jugement = mesure
        .reservation
        .as_ref()
        .and_then(|r| r.date_jugement.as_deref())
        .map(crate::rules::date::display_iso)
        .unwrap_or_default();
    let body = mail::reservation_body(
        &state.settings,
        &mail::ReservationFacts {
            tribunal,
            cabinet: mesure
                .reservation
                .as_ref()
                .and_then(|r| r.cabinet.as_deref())
                .unwrap_or(""),
            type_mesure: &type_mesure,
            genre: mesure.genre.label(),
            annee_naissance: mesure.annee_naissance,
            numero_rg: mesure.numero_rg.as_deref().unwrap_or(""),
            capacite: &capacite,
            urgente,
            date_jugement: &date_jugement,
        },
        cancelled,
    );
    let subject = match (cancelled, urgente) {
        (true, _) => mail::SUBJECT_CANCELLATION,
        (false, true) => mail::SUBJECT_RESERVATION_URGENT,
        (false, false) => mail::SUBJECT_RESERVATION,
    };
    for to in &recipients {
        mail::queue(write, to, subject, &body)?;
    }
    Ok(())
}

/// "Valider" of "Réserver une mesure" (a new reservation: in one transaction the mesure en attente, the
/// mandataire's en attente count, the e-mail and the audit entry; "Dernière mise à jour" does not change)
/// or of "Modifier" (the same fields of a reservation still en attente). The magistrat's tribunal, the
/// mandataire's scope and the reservation's state are read in the transaction that writes.
pub fn reserve(form: ReservationForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::magistrat()?;
    let id_of = |text: &str| text.trim().parse::<u64>().map_err(|_| AppError::NotFound);
    let editing = match form.reservation.trim() {
        "" => None,
        text => Some(id_of(text)?),
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let profile = profiles::magistrat_in(&write, caller.user.id)?.ok_or(AppError::NotFound)?;
    let (previous, mandataire_id, page) = match editing {
        Some(id) => {
            let mesure = of_tribunal(mesures::get_in(&write, id)?, profile.tribunal_id)?;
            if mesure.status != Status::EnAttente {
                drop(write);
                return Ok(done(&parts, "/magistrat/mesures", Some(ALREADY_ACCEPTED)));
            }
            let owner = mesure.owner;
            (
                Some(mesure),
                owner,
                format!("/magistrat/mesures/{id}/modifier"),
            )
        }
        None => {
            let id = id_of(&form.mandataire)?;
            still_in_scope(&write, profile.tribunal_id, id)?;
            (None, id, format!("/magistrat/mandataires/{id}/reserver"))
        }
    };
    let rg_taken =
        |rg: &str| match mesures::rg_holder(&write, mandataire_id, Some(profile.tribunal_id), rg) {
            Ok(holder) => holder.is_some_and(|id| Some(id) != editing),
            Err(error) => {
                // Refusing is safe: the magistrat sees the message and nothing is written.
                tracing::error!(%error, "lecture des numéros RG impossible");
                true
            }
        };
    // "Antenne" of a new reservation for a service: one of its antennes as this transaction sees them.
    let antenne: Result<Option<u64>, &str> = match (editing, form.antenne.trim()) {
        (None, typed) if !typed.is_empty() => {
            let antennes = services::get_in(&write, mandataire_id)?
                .map(|s| s.antennes)
                .unwrap_or_default();
            match typed.parse::<u64>() {
                Ok(id) if antennes.contains(&id) => Ok(Some(id)),
                _ => Err(ANTENNE_UNKNOWN),
            }
        }
        _ => Ok(None),
    };
    let input = match (
        parse_reservation(
            &form,
            &crate::server::time::today_iso(),
            current_year(),
            rg_taken,
        ),
        antenne,
    ) {
        (Ok(input), Ok(_)) => input,
        (parsed, antenne) => {
            drop(write);
            let mut out = parsed
                .err()
                .unwrap_or_else(|| crate::rules::forms::reservation::echo(&form));
            if let Err(message) = antenne {
                out.fail("antenne", message);
            }
            return Ok(refuse(&parts, RESERVATION_FORM, &page, out, &[]));
        }
    };
    let antenne = antenne.ok().flatten();
    let Majeur {
        nature,
        champ,
        genre,
        annee_naissance,
    } = input.majeur;
    if let Some(previous) = previous {
        let mut next = previous.clone();
        next.nature = nature;
        next.champ = champ;
        next.genre = genre;
        next.annee_naissance = annee_naissance;
        next.numero_rg = input.numero_rg;
        if let Some(reservation) = next.reservation.as_mut() {
            reservation.cabinet = input.cabinet;
            reservation.urgente = input.urgente;
            reservation.date_jugement = input.date_jugement;
        }
        mesures::replace(&write, &previous, &next, Author::Other)?;
        audit::record(
            &write,
            Some(caller.user.id),
            &ip,
            "Réservation modifiée",
            &format!("mesure {}", next.id),
            "Succès",
        )?;
        crate::server::blocking::commit(write)?;
        return Ok(done(&parts, "/magistrat/mesures", Some(EDITED)));
    }
    let tribunal = tribunaux::get_in(&write, profile.tribunal_id)?
        .map(|t| t.nom)
        .unwrap_or_default();
    let created = mesures::insert(
        &write,
        Mesure {
            id: 0,
            owner: mandataire_id,
            status: Status::EnAttente,
            origin: Origin::Reservation,
            nature,
            champ,
            date_decision: None,
            code_postal: None,
            code_insee: None,
            commune: None,
            genre,
            annee_naissance,
            lieu_de_vie: None,
            etablissement: None,
            numero_dossier: None,
            numero_rg: input.numero_rg,
            tribunal_id: Some(profile.tribunal_id),
            reservation: Some(Reservation {
                magistrat_id: caller.user.id,
                tribunal_id: profile.tribunal_id,
                cabinet: input.cabinet,
                reserved_at: now(),
                accepted_at: None,
                refus: None,
                urgente: input.urgente,
                date_jugement: input.date_jugement,
                relance_at: None,
            }),
            date_fin: None,
            cause_sortie: None,
            created_at: now(),
            antenne,
        },
        Author::Other,
    )?;
    queue_mandataire_email(&write, &state, &tribunal, &created, false)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Mesure réservée",
        &format!("mesure {}", created.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, "/magistrat/mesures", Some(RESERVED)))
}

/// "Mesures réservées": the tribunal's reservations, newest first, filtered by "État", 50 a page.
pub fn reserved_page(etat: &str, page: usize) -> Result<MagistratPage<ReservedList>, AppError> {
    let cx = Ctx::magistrat()?;
    magistrat_page(&cx, "", |space| {
        let (read, profile) = (space.read, &space.profile);
        let (etat, status) = match etat {
            "en_attente" => ("en_attente", Some(Status::EnAttente)),
            "acceptee" => ("acceptee", Some(Status::EnCours)),
            "eteinte" => ("eteinte", Some(Status::Eteinte)),
            "refusee" => ("refusee", Some(Status::Refusee)),
            _ => ("", None),
        };
        let ids = mesures::reservation_ids(read, profile.tribunal_id, status)?;
        let page = page.max(1);
        let start = crate::rules::page_start(page, ids.len()).ok_or(AppError::NotFound)?;
        let shown: Vec<u64> = ids.iter().copied().skip(start).take(PAGE_SIZE).collect();
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut name = |id: u64| {
            names
                .entry(id)
                .or_insert_with(|| owner_name(read, id).unwrap_or_default())
                .clone()
        };
        let mut rows = Vec::with_capacity(shown.len());
        for m in mesures::get_many(read, &shown)? {
            let reservation = m.reservation.as_ref();
            rows.push(ReservedRow {
                id: m.id,
                mandataire: name(m.owner),
                type_mesure: nature_with_champ(m.nature, m.champ),
                genre: m.genre.label().to_owned(),
                annee_naissance: m.annee_naissance.to_string(),
                numero_rg: m.numero_rg.clone().unwrap_or_default(),
                cabinet: reservation
                    .and_then(|r| r.cabinet.clone())
                    .unwrap_or_default(),
                reservee_le: reservation
                    .map(|r| local_date(r.reserved_at))
                    .unwrap_or_default(),
                reservee_par: reservation
                    .map(|r| super::staff_name(read, r.magistrat_id).unwrap_or_default())
                    .unwrap_or_default(),
                etat: match m.status {
                    Status::EnAttente => "En attente",
                    Status::EnCours => "Acceptée",
                    Status::Eteinte => "Éteinte",
                    Status::Refusee => "Refusée",
                }
                .to_owned(),
                motif_refus: reservation
                    .and_then(|r| r.refus.as_ref())
                    .map(|r| r.motif.clone())
                    .unwrap_or_default(),
                en_attente: m.status == Status::EnAttente,
                urgente: reservation.is_some_and(|r| r.urgente),
                date_jugement: reservation
                    .and_then(|r| r.date_jugement.as_deref())
                    .map(crate::rules::date::display_iso)
                    .unwrap_or_default(),
                ancienne: crate::server::mandataire::is_old(
                    &m,
                    cx.state.settings.old_reservation_secs,
                    now(),
                ),
                date_decision: m
                    .date_decision
                    .as_deref()
                    .map(display_iso)
                    .unwrap_or_default(),
                date_fin: m.date_fin.as_deref().map(display_iso).unwrap_or_default(),
            });
        }
        Ok(ReservedList {
            etat: etat.to_owned(),
            rows,
            total: ids.len(),
            page,
            has_next: ids.len() > start + PAGE_SIZE,
        })
    })
}

/// The confirmation page of "Annuler la réservation".
pub fn cancel_page(id: u64) -> Result<MagistratPage<CancelTarget>, AppError> {
    let cx = Ctx::magistrat()?;
    let _state = &cx.state;
    magistrat_page(&cx, "", |space| {
        let (read, profile) = (space.read, &space.profile);
        let mesure = of_tribunal(mesures::get(read, id)?, profile.tribunal_id)?;
        let mandataire = owner_name(read, mesure.owner)?;
        Ok(CancelTarget {
            id,
            resume: format!(
                "{} – {} – {}, réservée pour {mandataire}",
                nature_with_champ(mesure.nature, mesure.champ),
                mesure.genre.label(),
                mesure.annee_naissance
            ),
            refus: (mesure.status != Status::EnAttente).then(|| ALREADY_ACCEPTED.to_owned()),
        })
    })
}

/// "Annuler la réservation": in one transaction the mesure is deleted, the mandataire's en attente count
/// drops, "e-MJPM : Annulation d'une réservation de mesure" is queued and the action audited. Refused once
/// accepted.
pub fn cancel(id: u64) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::magistrat()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    // The magistrat's tribunal as this transaction sees it (an administrator may have just changed it).
    let profile = profiles::magistrat_in(&write, caller.user.id)?.ok_or(AppError::NotFound)?;
    let tribunal = tribunaux::get_in(&write, profile.tribunal_id)?
        .map(|t| t.nom)
        .unwrap_or_default();
    let mesure = of_tribunal(mesures::get_in(&write, id)?, profile.tribunal_id)?;
    if mesure.status != Status::EnAttente {
        drop(write);
        return Ok(done(&parts, "/magistrat/mesures", Some(ALREADY_ACCEPTED)));
    }
    mesures::delete(&write, &mesure, Author::Other)?;
    queue_mandataire_email(&write, &state, &tribunal, &mesure, true)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Réservation annulée",
        &format!("mesure {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, "/magistrat/mesures", Some(CANCELLED)))
}

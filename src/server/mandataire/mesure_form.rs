//! The mesure form (SPEC §5.3, §5.5): its page's data, and "Valider" of a new mesure, of an edit and of
//! "Accepter la mesure". Each post authorises, opens the write transaction, reads and checks the mesure
//! there, parses the form (`rules::forms::mesure`), writes and answers.

use redb::ReadTransaction;

use super::{own_mesure, parse_id, record, space_page, TribunalNames, ACCEPTED, CREATED, EDITED};
use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::{MesureForm, MesureFormData, SpacePage};
use crate::api::{AppError, AppResult, Suggestion};
use crate::db::mesures::{self, Author, Mesure};
use crate::db::profiles::{self, Mandataire};
use crate::db::{now, tribunaux};
use crate::rules::date::display_iso;
use crate::rules::forms::mesure::{echo, parse_acceptance, parse_mesure, MesureContext, Placement};
use crate::rules::mesure::{self as rules, Champ, LieuDeVie, Origin, Status};
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse, StateReferences};
use crate::server::time::{current_year, today_iso};
use crate::server::AppState;

const MESURE_FORM: &str = "mesure";
const ACCEPT_FORM: &str = "acceptation";
const ALREADY_ACCEPTED: &str = "Cette mesure a déjà été acceptée.";

/// Sets a mesure's placement fields from a checked form.
fn place_mesure(mesure: &mut Mesure, placement: Placement) {
    mesure.date_decision = Some(placement.date_decision);
    mesure.code_postal = Some(placement.place.code_postal);
    mesure.code_insee = Some(placement.place.code_insee);
    mesure.commune = Some(placement.place.commune);
    mesure.lieu_de_vie = Some(placement.lieu_de_vie);
    mesure.etablissement = placement.etablissement;
    mesure.numero_dossier = placement.numero_dossier;
}

/// "Valider" of "Enregistrer une nouvelle mesure" and "Modifier la mesure" (SPEC §5.3). The write goes
/// through the group commit (`server::writer`, issue 20): it is checked and written in a transaction shared
/// with the other writes of the moment, and answered once that transaction is durably committed.
pub async fn save(form: MesureForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let editing = parse_id(&form.id)?;
    let page = match editing {
        Some(id) => format!("/mandataire/mesures/{id}/modifier"),
        None => "/mandataire/mesures/nouvelle".to_owned(),
    };
    let writer = state.writer.clone();
    let outcome = writer
        .run(move |write| {
            // Everything the form relies on is read in the transaction that writes: a concurrent change is
            // serialised before this one. Nothing is written before every check passed.
            let (next, previous) = match checked(write, &state, &caller, &form, editing) {
                Err(error) => return Ok(Err(error)),
                Ok(Err(refused)) => return Ok(Ok(Saved::Refused(refused))),
                Ok(Ok(checked)) => checked,
            };
            let (id, action, notice) = match previous {
                Some(previous) => {
                    mesures::replace(write, &previous, &next, Author::Owner)?;
                    (next.id, "Mesure modifiée", EDITED)
                }
                None => {
                    let created = mesures::insert(write, next, Author::Owner)?;
                    (created.id, "Mesure créée", CREATED)
                }
            };
            record(write, &caller, &ip, action, id)
                .map_err(|e| crate::db::StoreError::Corrupt(e.to_string()))?;
            Ok(Ok(Saved::Written(notice)))
        })
        .await??;
    Ok(match outcome {
        Saved::Refused(out) => refuse(&parts, MESURE_FORM, &page, out, &[]),
        Saved::Written(notice) => done(&parts, "/mandataire/mesures", Some(notice)),
    })
}

/// What the writer answers a "Valider".
enum Saved {
    Refused(FormState),
    Written(&'static str),
}

/// The mesure to write and the one it replaces (an edit), or the form refused, all read in `write`.
fn checked(
    write: &redb::WriteTransaction,
    state: &AppState,
    caller: &crate::server::auth::Caller,
    form: &MesureForm,
    editing: Option<u64>,
) -> AppResult<Result<(Mesure, Option<Mesure>), FormState>> {
    let owner = caller.owner();
    let profile = profiles::mandataire_in(write, owner)?.ok_or(AppError::NotFound)?;
    let previous = match editing {
        Some(id) => match mesures::get_in(write, id)? {
            Some(m) if m.owner == owner && m.status == Status::EnCours => Some(m),
            Some(m) if m.owner == owner && m.status == Status::Eteinte => {
                let mut out = echo(form);
                out.fail("id", rules::ETEINTE_READ_ONLY);
                return Ok(Err(out));
            }
            _ => return Err(AppError::NotFound),
        },
        None => None,
    };
    let today = today_iso();
    let context = MesureContext {
        today: &today,
        current_year: current_year(),
        tribunaux: &profile.tribunaux,
        reserved_tribunal: previous
            .as_ref()
            .and_then(|m| m.reservation.as_ref())
            .map(|r| r.tribunal_id),
    };
    // Read in the transaction that writes: the uniqueness told is the one the write will see.
    let rg_taken =
        |tribunal: Option<u64>, rg: &str| match mesures::rg_holder(write, owner, tribunal, rg) {
            Ok(holder) => holder.is_some_and(|h| Some(h) != editing),
            Err(error) => {
                // Refusing is safe: the user sees the message and nothing is written.
                tracing::error!(%error, "lecture des numéros RG impossible");
                true
            }
        };
    let antenne = chosen_antenne(write, caller, &form.antenne)?;
    let (input, antenne) = match (
        parse_mesure(form, &context, &StateReferences(state), rg_taken),
        antenne,
    ) {
        (Ok(input), Ok(antenne)) => (input, antenne),
        (parsed, antenne) => {
            let mut out = parsed.err().unwrap_or_else(|| echo(form));
            if let Err(message) = antenne {
                out.fail("antenne", message);
                crate::rules::forms::in_form_order(
                    &mut out,
                    crate::rules::forms::mesure::MESURE_FIELDS,
                );
            }
            return Ok(Err(out));
        }
    };
    // Owner, status, origin and reservation never change by an edit.
    let mut next = previous.clone().unwrap_or_else(|| Mesure {
        id: 0,
        owner,
        status: Status::EnCours,
        origin: Origin::Saisie,
        nature: input.majeur.nature,
        champ: None,
        date_decision: None,
        code_postal: None,
        code_insee: None,
        commune: None,
        genre: input.majeur.genre,
        annee_naissance: input.majeur.annee_naissance,
        lieu_de_vie: None,
        etablissement: None,
        numero_dossier: None,
        numero_rg: None,
        tribunal_id: None,
        reservation: None,
        date_fin: None,
        cause_sortie: None,
        created_at: now(),
        antenne: None,
    });
    next.nature = input.majeur.nature;
    next.champ = input.majeur.champ;
    next.genre = input.majeur.genre;
    next.annee_naissance = input.majeur.annee_naissance;
    place_mesure(&mut next, input.placement);
    next.antenne = antenne;
    next.numero_rg = input.numero_rg;
    next.tribunal_id = input.tribunal_id;
    Ok(Ok((next, previous)))
}

/// "Accepter la mesure" (SPEC §5.5): the reservation becomes a mesure en cours, in one transaction that also
/// finds a cancellation or an acceptance made meanwhile.
pub fn accept(form: MesureForm) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let Some(id) = parse_id(&form.id)? else {
        return Err(AppError::NotFound);
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    let previous = match mesures::get_in(&write, id)? {
        None => {
            return Ok(done(
                &parts,
                "/mandataire/mesures/en-attente",
                Some(rules::RESERVATION_CANCELLED),
            ))
        }
        Some(m) if m.owner != caller.owner() => return Err(AppError::NotFound),
        Some(m) if m.status != Status::EnAttente => {
            return Ok(done(&parts, "/mandataire/mesures", Some(ALREADY_ACCEPTED)));
        }
        Some(m) => m,
    };
    let today = today_iso();
    let antenne = chosen_antenne(&write, &caller, &form.antenne)?;
    let placement = match (
        parse_acceptance(
            &form,
            &today,
            previous.annee_naissance,
            &StateReferences(&state),
        ),
        antenne,
    ) {
        (Ok(placement), Ok(_)) => placement,
        (parsed, antenne) => {
            let mut out = parsed.err().unwrap_or_else(|| echo(&form));
            if let Err(message) = antenne {
                out.fail("antenne", message);
            }
            let page = format!("/mandataire/mesures/{id}/accepter");
            return Ok(refuse(&parts, ACCEPT_FORM, &page, out, &[]));
        }
    };
    let mut next = previous.clone();
    // The antenne chosen at acceptance, else the one the magistrat reserved on (issue 16).
    if let Ok(Some(chosen)) = antenne {
        next.antenne = Some(chosen);
    }
    next.status = Status::EnCours;
    place_mesure(&mut next, placement);
    if let Some(reservation) = next.reservation.as_mut() {
        reservation.accepted_at = Some(now());
        next.tribunal_id = Some(reservation.tribunal_id);
    }
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    // The reserving magistrat is told (issue 17).
    super::answers::queue_answer(&write, &state, &caller, &next, None)?;
    record(&write, &caller, &ip, "Mesure acceptée", id)?;
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, "/mandataire/mesures", Some(ACCEPTED)))
}

/// "Antenne" of a service's mesure form: none, or one of the caller's service's antennes as the write
/// transaction sees them (`Err` is the field's message). Other mandataires have no antenne: ignored.
fn chosen_antenne(
    write: &redb::WriteTransaction,
    caller: &crate::server::auth::Caller,
    typed: &str,
) -> AppResult<Result<Option<u64>, &'static str>> {
    use crate::rules::forms::mesure::ANTENNE_UNKNOWN;
    if caller.user.role != crate::rules::account::Role::Service || typed.trim().is_empty() {
        return Ok(Ok(None));
    }
    let Ok(id) = typed.trim().parse::<u64>() else {
        return Ok(Err(ANTENNE_UNKNOWN));
    };
    let service = crate::db::services::get_in(write, caller.owner())?.ok_or(AppError::NotFound)?;
    Ok(if service.antennes.contains(&id) {
        Ok(Some(id))
    } else {
        Err(ANTENNE_UNKNOWN)
    })
}

/// The form's values of a stored mesure.
fn values_of(state: &AppState, mesure: &Mesure) -> FormState {
    let mut values = FormState::default();
    values.set("id", mesure.id.to_string());
    values.set(
        "date_decision",
        mesure
            .date_decision
            .as_deref()
            .map(display_iso)
            .unwrap_or_default(),
    );
    values.set("nature", mesure.nature.code());
    values.set("champ", mesure.champ.map(Champ::code).unwrap_or_default());
    values.set(
        "code_postal",
        mesure.code_postal.clone().unwrap_or_default(),
    );
    values.set("commune", mesure.commune.clone().unwrap_or_default());
    values.set("genre", mesure.genre.code());
    values.set("annee_naissance", mesure.annee_naissance.to_string());
    values.set(
        "lieu_de_vie",
        mesure.lieu_de_vie.map(LieuDeVie::code).unwrap_or_default(),
    );
    if let Some(finess) = &mesure.etablissement {
        values.set("etablissement", state.etablissements.label_or_id(finess));
        values.set("etablissement_id", finess.clone());
    }
    values.set(
        "numero_dossier",
        mesure.numero_dossier.clone().unwrap_or_default(),
    );
    values.set("numero_rg", mesure.numero_rg.clone().unwrap_or_default());
    values.set(
        "tribunal",
        mesure
            .tribunal_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    values.set(
        "antenne",
        mesure.antenne.map(|a| a.to_string()).unwrap_or_default(),
    );
    values
}

/// The mandataire's tribunaux, for the "Tribunal" list.
fn tribunal_options(read: &ReadTransaction, profile: &Mandataire) -> Vec<Suggestion> {
    let mut options: Vec<Suggestion> = profile
        .tribunaux
        .iter()
        .filter_map(|&id| tribunaux::get(read, id).ok().flatten())
        .map(|t| Suggestion {
            id: t.id.to_string(),
            label: t.nom,
        })
        .collect();
    options.sort_by_key(|t| crate::rules::text::fold(&t.label));
    options
}

/// The new-mesure, edit and acceptance forms' data.
pub fn form_page(
    id: Option<u64>,
    acceptation: bool,
) -> Result<SpacePage<MesureFormData>, AppError> {
    let cx = Ctx::mandataire()?;
    let form_name = if acceptation {
        ACCEPT_FORM
    } else {
        MESURE_FORM
    };
    let page = space_page(&cx, form_name, |read, caller, profile| {
        let tribunaux = tribunal_options(read, profile);
        let antennes = super::lists::antenne_names(read, caller)?.map(|names| {
            names
                .into_iter()
                .map(|(id, label)| Suggestion {
                    id: id.to_string(),
                    label,
                })
                .collect::<Vec<_>>()
        });
        let Some(id) = id else {
            let mut values = FormState::default();
            values.set("date_decision", display_iso(&today_iso()));
            return Ok(MesureFormData {
                values,
                tribunaux,
                tribunal_reserve: None,
                read_only: None,
                antennes,
            });
        };
        let mesure = own_mesure(read, caller, id)?;
        if acceptation != (mesure.status == Status::EnAttente) {
            return Err(AppError::NotFound);
        }
        let mut values = values_of(&cx.state, &mesure);
        if acceptation {
            values.set("date_decision", display_iso(&today_iso()));
        }
        let mut names = TribunalNames::new(read);
        let tribunal_reserve = mesure
            .reservation
            .as_ref()
            .map(|r| names.name(Some(r.tribunal_id)));
        Ok(MesureFormData {
            values,
            tribunaux,
            tribunal_reserve,
            read_only: (mesure.status == Status::Eteinte)
                .then(|| rules::ETEINTE_READ_ONLY.to_owned()),
            antennes,
        })
    })?;
    Ok(page)
}

//! Server-function bodies of the mandataire's mesures (SPEC §5.2–5.5, §8): lists, the mesure form, end of
//! mandate, reactivation and acceptance. Each change writes the mesure, its indexes, its owner's counters
//! and "Dernière mise à jour", and its audit entry in one write transaction; ownership comes from the
//! session, never from the request (a forged id answers 404 "Page introuvable").

use std::collections::HashMap;

use redb::{ReadTransaction, ReadableDatabase, WriteTransaction};

use crate::api::form::{FormReply, FormState};
use crate::api::mandataire::{
    EndForm, MandataireHeader, MesureForm, MesureFormData, MesureList, MesureRow, MesureSummary,
    SpacePage,
};
use crate::api::AppError;
use crate::db::mesures::{self, Author, Mesure};
use crate::db::profiles::{self, Mandataire};
use crate::db::{audit, now, tribunaux};
use crate::rules::account::Role;
use crate::rules::date::display_iso;
use crate::rules::mesure::{
    self as rules, nature_with_champ, CauseSortie, Champ, LieuDeVie, Nature, Origin, Status,
};
use crate::rules::profile::{
    self as profile_rules, capacity_sentence, disponibilite, CapacityLevel, Genre,
};
use crate::rules::Suggestion;
use crate::server::accounts::{check_place, done, in_form_order, refuse};
use crate::server::auth::Caller;
use crate::server::context::{Ctx, Visit};
use crate::server::time::{current_year, local_date, today_iso};
use crate::server::{flash, AppState};

/// The roles of the mandataire space.
pub const MANDATAIRE_ROLES: &[Role] = &[Role::Individuel, Role::Prepose, Role::Service];
pub const PAGE_SIZE: usize = 50;
const MESURE_FORM: &str = "mesure";
const ACCEPT_FORM: &str = "acceptation";
const END_FORM: &str = "fin";
pub const CREATED: &str = "La mesure a bien été enregistrée.";
pub const EDITED: &str = "La mesure a bien été modifiée.";
pub const ENDED: &str =
    "La mesure a été éteinte. Vous la retrouverez dans l'onglet « Mesures éteintes ».";
pub const REACTIVATED: &str = "La mesure a été réactivée.";
pub const ACCEPTED: &str =
    "La mesure a été acceptée. Elle figure désormais dans vos mesures en cours.";
const ALREADY_ACCEPTED: &str = "Cette mesure a déjà été acceptée.";
const TRIBUNAL_UNKNOWN: &str = "Choisissez un de vos tribunaux dans la liste.";
const MESURE_FIELDS: &[&str] = &[
    "id",
    "date_decision",
    "nature",
    "champ",
    "code_postal",
    "commune",
    "genre",
    "annee_naissance",
    "lieu_de_vie",
    "etablissement",
    "numero_dossier",
    "numero_rg",
    "tribunal",
];

/// The logged-in mandataire and its profile.
fn mandataire(state: &AppState) -> Result<(Caller, Mandataire), AppError> {
    let Ctx { caller, .. } = Ctx::mandataire()?;
    let read = state.db.begin_read()?;
    let profile = profiles::mandataire(&read, caller.user.id)?.ok_or(AppError::NotFound)?;
    Ok((caller, profile))
}

fn count(read: &ReadTransaction, owner: u64, status: Status) -> Result<u32, AppError> {
    mesures::count_of_owner_read(read, owner, status).map_err(AppError::internal)
}

/// The header of the space (SPEC §5.1).
pub fn header(
    read: &ReadTransaction,
    caller: &Caller,
    profile: &Mandataire,
) -> Result<MandataireHeader, AppError> {
    let remaining = disponibilite(
        profile.mesures_souhaitees,
        profile.mesures_en_cours,
        profile.mesures_en_attente,
    );
    let free = i64::from(profile.mesures_souhaitees) - i64::from(profile.mesures_en_cours);
    Ok(MandataireHeader {
        nom: format!("{} {}", caller.user.prenom, caller.user.nom)
            .trim()
            .to_owned(),
        phrase: capacity_sentence(remaining),
        mise_a_jour: profile
            .derniere_mise_a_jour
            .map_or_else(|| "jamais".to_owned(), local_date),
        en_cours: profile.mesures_en_cours,
        souhaitees: profile.mesures_souhaitees,
        en_attente: profile.mesures_en_attente,
        eteintes: count(read, caller.user.id, Status::Eteinte)?,
        niveau: CapacityLevel::of(free).class().to_owned(),
        premiere_connexion: profile.derniere_mise_a_jour.is_none(),
        prepose: caller.user.role == Role::Prepose,
    })
}

/// A page of the space: header, one-time notice, the refused form of `form_name` (no JavaScript), data.
pub fn space_page<T>(
    state: &AppState,
    form_name: &str,
    data: impl FnOnce(&ReadTransaction, &Caller, &Mandataire) -> Result<T, AppError>,
) -> Result<SpacePage<T>, AppError> {
    let Ctx { parts, caller, .. } = Ctx::mandataire()?;
    let read = state.db.begin_read()?;
    let profile = profiles::mandataire(&read, caller.user.id)?.ok_or(AppError::NotFound)?;
    let data = data(&read, &caller, &profile)?;
    let header = header(&read, &caller, &profile)?;
    let flash = state.flash.take(&parts, form_name);
    Ok(SpacePage {
        header,
        notice: flash.notice,
        form: flash.form,
        data,
    })
}

/// Tribunal names by id, read once per page.
struct TribunalNames<'a> {
    read: &'a ReadTransaction,
    names: HashMap<u64, String>,
}

impl TribunalNames<'_> {
    fn name(&mut self, id: Option<u64>) -> String {
        let Some(id) = id else {
            return String::new();
        };
        let read = self.read;
        self.names
            .entry(id)
            .or_insert_with(|| {
                tribunaux::get(read, id)
                    .ok()
                    .flatten()
                    .map(|t| t.nom)
                    .unwrap_or_default()
            })
            .clone()
    }
}

fn row(mesure: &Mesure, names: &mut TribunalNames<'_>) -> MesureRow {
    let reservation = mesure.reservation.as_ref();
    MesureRow {
        id: mesure.id,
        date_decision: mesure
            .date_decision
            .as_deref()
            .map(display_iso)
            .unwrap_or_default(),
        type_mesure: nature_with_champ(mesure.nature, mesure.champ),
        commune: mesure.commune.clone().unwrap_or_default(),
        lieu_de_vie: mesure
            .lieu_de_vie
            .map(|l| l.label().to_owned())
            .unwrap_or_default(),
        genre: mesure.genre.label().to_owned(),
        annee_naissance: mesure.annee_naissance.to_string(),
        numero_dossier: mesure.numero_dossier.clone().unwrap_or_default(),
        numero_rg: mesure.numero_rg.clone().unwrap_or_default(),
        tribunal: names.name(
            mesure
                .tribunal_id
                .or_else(|| reservation.map(|r| r.tribunal_id)),
        ),
        cabinet: reservation
            .and_then(|r| r.cabinet.clone())
            .unwrap_or_default(),
        date_fin: mesure
            .date_fin
            .as_deref()
            .map(display_iso)
            .unwrap_or_default(),
        cause_sortie: mesure
            .cause_sortie
            .map(|c| c.label().to_owned())
            .unwrap_or_default(),
        reservee_le: reservation
            .map(|r| local_date(r.reserved_at))
            .unwrap_or_default(),
    }
}

/// "Mesures en cours" (newest decision first), "Mesures éteintes" (latest end first), "Mesures en attente"
/// (latest reservation first); 50 a page.
pub fn list_page(etat: &str, page: usize) -> Result<SpacePage<MesureList>, AppError> {
    let Visit { state, .. } = Visit::current()?;
    let status = match etat {
        "en_cours" => Status::EnCours,
        "eteintes" => Status::Eteinte,
        "en_attente" => Status::EnAttente,
        _ => return Err(AppError::NotFound),
    };
    space_page(&state, "", |read, caller, _| {
        let page = page.max(1);
        let (mesures, total) = mesures::page_of_owner(
            read,
            caller.user.id,
            status,
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
        )?;
        let mut names = TribunalNames {
            read,
            names: HashMap::new(),
        };
        Ok(MesureList {
            rows: mesures.iter().map(|m| row(m, &mut names)).collect(),
            page,
            has_next: total > page * PAGE_SIZE,
        })
    })
}

/// The caller's mesure, or 404 when it is missing or someone else's.
fn own_mesure(read: &ReadTransaction, caller: &Caller, id: u64) -> Result<Mesure, AppError> {
    match mesures::get(read, id)? {
        Some(mesure) if mesure.owner == caller.user.id => Ok(mesure),
        _ => Err(AppError::NotFound),
    }
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
    let Visit { state, .. } = Visit::current()?;
    let form_name = if acceptation {
        ACCEPT_FORM
    } else {
        MESURE_FORM
    };
    let page = space_page(&state, form_name, |read, caller, profile| {
        let tribunaux = tribunal_options(read, profile);
        let Some(id) = id else {
            let mut values = FormState::default();
            values.set("date_decision", display_iso(&today_iso()));
            return Ok(MesureFormData {
                values,
                tribunaux,
                tribunal_reserve: None,
                read_only: None,
            });
        };
        let mesure = own_mesure(read, caller, id)?;
        if acceptation != (mesure.status == Status::EnAttente) {
            return Err(AppError::NotFound);
        }
        let mut values = values_of(&state, &mesure);
        if acceptation {
            values.set("date_decision", display_iso(&today_iso()));
        }
        let mut names = TribunalNames {
            read,
            names: HashMap::new(),
        };
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
        })
    })?;
    Ok(page)
}

/// "Type de mesure", "Champ de la mesure", "Genre du majeur" and "Année de naissance du majeur": what the
/// mesure form and the magistrat's reservation share. `None` fields were refused (their message is in `out`).
pub struct MajeurFields {
    pub nature: Option<Nature>,
    pub champ: Option<Option<Champ>>,
    pub genre: Option<Genre>,
    pub annee: Option<u16>,
}

pub fn check_majeur(
    out: &mut FormState,
    nature: &str,
    champ: &str,
    genre: &str,
    annee: &str,
) -> MajeurFields {
    let annee = if annee.trim().is_empty() {
        out.fail(
            "annee_naissance",
            profile_rules::required("Année de naissance du majeur"),
        );
        None
    } else {
        rules::annee_naissance(annee, current_year())
            .map_err(|m| out.fail("annee_naissance", m))
            .ok()
    };
    let nature = Nature::from_code(nature);
    if nature.is_none() {
        out.fail("nature", rules::NATURE_MISSING);
    }
    let champ = match champ {
        "" => Some(None),
        code => Champ::from_code(code).map(Some),
    };
    let genre = Genre::from_code(genre);
    if genre.is_none() {
        out.fail("genre", rules::GENRE_MISSING);
    }
    MajeurFields {
        nature,
        champ,
        genre,
        annee,
    }
}

/// The fields of the form, checked in order. `None` fields were refused (their message is in `out`).
struct CheckedPlace {
    code_insee: String,
    code_postal: String,
    commune: String,
}

struct CheckedFields {
    date_decision: Option<String>,
    place: Option<CheckedPlace>,
    lieu_de_vie: Option<LieuDeVie>,
    etablissement: Option<Option<String>>,
    numero_dossier: Option<Option<String>>,
}

/// Date de décision, place, lieu de vie with its établissement, numéro de dossier: the fields the full form
/// and the acceptance share.
fn check_shared(
    state: &AppState,
    out: &mut FormState,
    form: &MesureForm,
    annee_naissance: Option<u16>,
) -> CheckedFields {
    let today = today_iso();
    let date_decision = if form.date_decision.trim().is_empty() {
        out.fail("date_decision", profile_rules::required("Date de décision"));
        None
    } else {
        rules::decision_date(&form.date_decision, &today, annee_naissance)
            .map_err(|m| out.fail("date_decision", m))
            .ok()
    };
    let place = check_place(
        state,
        out,
        &form.code_postal,
        &form.commune,
        &form.commune_id,
        &form.commune_choix,
    )
    .map(|(code_insee, code_postal, commune)| CheckedPlace {
        code_insee,
        code_postal,
        commune,
    });
    let lieu_de_vie = LieuDeVie::from_code(&form.lieu_de_vie);
    if lieu_de_vie.is_none() {
        out.fail("lieu_de_vie", rules::LIEU_DE_VIE_MISSING);
    }
    let etablissement = match lieu_de_vie {
        Some(lieu) if lieu.needs_etablissement() => check_etablissement(state, out, form).map(Some),
        // Hidden and cleared for the other values.
        _ => Some(None),
    };
    let numero_dossier = rules::numero_dossier(&form.numero_dossier)
        .map_err(|m| out.fail("numero_dossier", m))
        .ok();
    CheckedFields {
        date_decision,
        place,
        lieu_de_vie,
        etablissement,
        numero_dossier,
    }
}

/// "Établissement": the picked one, or the typed text resolved like every autocomplete without JavaScript.
fn check_etablissement(state: &AppState, out: &mut FormState, form: &MesureForm) -> Option<String> {
    let typed = form.etablissement.trim();
    let chosen = [&form.etablissement_choix, &form.etablissement_id]
        .into_iter()
        .find(|id| !id.is_empty())
        .map(String::as_str);
    let index = state.etablissements.get();
    let entry = index.resolve_in_form(
        out,
        "etablissement",
        typed,
        chosen,
        Some(rules::ETABLISSEMENT_MISSING.to_owned()),
        etablissement_unknown(typed),
    )?;
    out.set("etablissement_id", entry.id.clone());
    Some(entry.id.clone())
}

/// "Aucun établissement ne correspond à « <saisie> »…" (SPEC §10).
pub fn etablissement_unknown(typed: &str) -> String {
    format!(
        "Aucun établissement ne correspond à « {} ». Vérifiez l'orthographe ou saisissez le numéro FINESS.",
        typed.trim()
    )
}

fn echo(form: &MesureForm, out: &mut FormState) {
    for (name, value) in [
        ("id", &form.id),
        ("date_decision", &form.date_decision),
        ("nature", &form.nature),
        ("champ", &form.champ),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("genre", &form.genre),
        ("annee_naissance", &form.annee_naissance),
        ("lieu_de_vie", &form.lieu_de_vie),
        ("etablissement", &form.etablissement),
        ("numero_dossier", &form.numero_dossier),
        ("numero_rg", &form.numero_rg),
        ("tribunal", &form.tribunal),
    ] {
        out.set(name, value.clone());
    }
    // The picked établissement survives a refusal (the text alone might be ambiguous).
    let picked = [&form.etablissement_choix, &form.etablissement_id]
        .into_iter()
        .find(|id| !id.is_empty());
    if let Some(id) = picked {
        out.set("etablissement_id", id.clone());
    }
}

fn record(
    write: &WriteTransaction,
    caller: &Caller,
    ip: &str,
    action: &str,
    mesure_id: u64,
) -> Result<(), AppError> {
    audit::record(
        write,
        Some(caller.user.id),
        ip,
        action,
        &format!("mesure {mesure_id}"),
        "Succès",
    )
    .map_err(AppError::internal)
}

fn parse_id(id: &str) -> Result<Option<u64>, AppError> {
    if id.trim().is_empty() {
        return Ok(None);
    }
    id.trim().parse().map(Some).map_err(|_| AppError::NotFound)
}

/// "Valider" of "Enregistrer une nouvelle mesure" and "Modifier la mesure" (SPEC §5.3).
pub fn save(form: MesureForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let (caller, profile) = mandataire(&state)?;
    let editing = parse_id(&form.id)?;
    let existing = match editing {
        Some(id) => {
            let read = state.db.begin_read()?;
            let mesure = own_mesure(&read, &caller, id)?;
            if mesure.status == Status::EnAttente {
                return Err(AppError::NotFound);
            }
            Some(mesure)
        }
        None => None,
    };
    let page = match editing {
        Some(id) => format!("/mandataire/mesures/{id}/modifier"),
        None => "/mandataire/mesures/nouvelle".to_owned(),
    };
    let mut out = FormState::default();
    echo(&form, &mut out);
    if existing
        .as_ref()
        .is_some_and(|m| m.status == Status::Eteinte)
    {
        out.fail("id", rules::ETEINTE_READ_ONLY);
        return Ok(refuse(&parts, MESURE_FORM, &page, out, &[]));
    }

    let MajeurFields {
        nature,
        champ,
        genre,
        annee,
    } = check_majeur(
        &mut out,
        &form.nature,
        &form.champ,
        &form.genre,
        &form.annee_naissance,
    );
    let shared = check_shared(&state, &mut out, &form, annee);
    let numero_rg = rules::numero_rg(&form.numero_rg)
        .map_err(|m| out.fail("numero_rg", m))
        .ok();
    // A reserved mesure keeps its tribunal; otherwise "Aucun" or one of the mandataire's tribunaux.
    let tribunal_id = match existing.as_ref().and_then(|m| m.reservation.as_ref()) {
        Some(reservation) => Some(Some(reservation.tribunal_id)),
        None => match parse_id(&form.tribunal) {
            Ok(None) => Some(None),
            Ok(Some(id)) if profile.tribunaux.contains(&id) => Some(Some(id)),
            _ => {
                out.fail("tribunal", TRIBUNAL_UNKNOWN);
                None
            }
        },
    };
    // Told with the other errors; checked again in the write transaction.
    if let (Some(Some(rg)), Some(tribunal)) = (&numero_rg, tribunal_id) {
        let read = state.db.begin_read()?;
        let holder = mesures::rg_holder_read(&read, caller.user.id, tribunal, rg)?;
        if holder.is_some_and(|h| Some(h) != editing) {
            out.fail("numero_rg", rules::RG_TAKEN);
        }
    }
    in_form_order(&mut out, MESURE_FIELDS);
    let (
        Some(annee),
        Some(nature),
        Some(champ),
        Some(genre),
        Some(date_decision),
        Some(place),
        Some(lieu_de_vie),
        Some(etablissement),
        Some(numero_dossier),
        Some(numero_rg),
        Some(tribunal_id),
        true,
    ) = (
        annee,
        nature,
        champ,
        genre,
        shared.date_decision,
        shared.place,
        shared.lieu_de_vie,
        shared.etablissement,
        shared.numero_dossier,
        numero_rg,
        tribunal_id,
        out.errors.is_empty(),
    )
    else {
        return Ok(refuse(&parts, MESURE_FORM, &page, out, &[]));
    };

    let write = state.db.begin_write()?;
    // Read again inside the transaction: a concurrent change is serialised before this one.
    let previous = match editing {
        Some(id) => match mesures::get_in(&write, id)? {
            Some(m) if m.owner == caller.user.id && m.status == Status::EnCours => Some(m),
            Some(m) if m.owner == caller.user.id && m.status == Status::Eteinte => {
                out.fail("id", rules::ETEINTE_READ_ONLY);
                return Ok(refuse(&parts, MESURE_FORM, &page, out, &[]));
            }
            _ => return Err(AppError::NotFound),
        },
        None => None,
    };
    if let Some(rg) = &numero_rg {
        let holder = mesures::rg_holder(&write, caller.user.id, tribunal_id, rg)?;
        if holder.is_some_and(|h| Some(h) != editing) {
            out.fail("numero_rg", rules::RG_TAKEN);
            return Ok(refuse(&parts, MESURE_FORM, &page, out, &[]));
        }
    }
    let fields = |mut mesure: Mesure| {
        mesure.nature = nature;
        mesure.champ = champ;
        mesure.date_decision = Some(date_decision.clone());
        mesure.code_postal = Some(place.code_postal.clone());
        mesure.code_insee = Some(place.code_insee.clone());
        mesure.commune = Some(place.commune.clone());
        mesure.genre = genre;
        mesure.annee_naissance = annee;
        mesure.lieu_de_vie = Some(lieu_de_vie);
        mesure.etablissement = etablissement.clone();
        mesure.numero_dossier = numero_dossier.clone();
        mesure.numero_rg = numero_rg.clone();
        mesure.tribunal_id = tribunal_id;
        mesure
    };
    let (id, action, notice) = match previous {
        Some(previous) => {
            // Owner, status, origin and reservation never change by an edit.
            let next = fields(previous.clone());
            mesures::replace(&write, &previous, &next, Author::Owner)?;
            (next.id, "Mesure modifiée", EDITED)
        }
        None => {
            let created = mesures::insert(
                &write,
                fields(Mesure {
                    id: 0,
                    owner: caller.user.id,
                    status: Status::EnCours,
                    origin: Origin::Saisie,
                    nature,
                    champ: None,
                    date_decision: None,
                    code_postal: None,
                    code_insee: None,
                    commune: None,
                    genre,
                    annee_naissance: annee,
                    lieu_de_vie: None,
                    etablissement: None,
                    numero_dossier: None,
                    numero_rg: None,
                    tribunal_id: None,
                    reservation: None,
                    date_fin: None,
                    cause_sortie: None,
                    created_at: now(),
                }),
                Author::Owner,
            )?;
            (created.id, "Mesure créée", CREATED)
        }
    };
    record(&write, &caller, &ip, action, id)?;
    write.commit()?;
    Ok(done(&parts, "/mandataire/mesures", Some(notice)))
}

/// "Accepter la mesure" (SPEC §5.5): the reservation becomes a mesure en cours, in one transaction that also
/// finds a cancellation made meanwhile.
pub fn accept(form: MesureForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let (caller, _) = mandataire(&state)?;
    let Some(id) = parse_id(&form.id)? else {
        return Err(AppError::NotFound);
    };
    let page = format!("/mandataire/mesures/{id}/accepter");
    let waiting = {
        let read = state.db.begin_read()?;
        match mesures::get(&read, id)? {
            None => {
                return Ok(done(
                    &parts,
                    "/mandataire/mesures/en-attente",
                    Some(rules::RESERVATION_CANCELLED),
                ))
            }
            Some(m) if m.owner != caller.user.id => return Err(AppError::NotFound),
            Some(m) => m,
        }
    };
    let mut out = FormState::default();
    echo(&form, &mut out);
    let shared = check_shared(&state, &mut out, &form, Some(waiting.annee_naissance));
    in_form_order(&mut out, MESURE_FIELDS);
    let (
        Some(date_decision),
        Some(place),
        Some(lieu_de_vie),
        Some(etablissement),
        Some(numero_dossier),
        true,
    ) = (
        shared.date_decision,
        shared.place,
        shared.lieu_de_vie,
        shared.etablissement,
        shared.numero_dossier,
        out.errors.is_empty(),
    )
    else {
        return Ok(refuse(&parts, ACCEPT_FORM, &page, out, &[]));
    };
    let write = state.db.begin_write()?;
    let previous = match mesures::get_in(&write, id)? {
        None => {
            drop(write);
            return Ok(done(
                &parts,
                "/mandataire/mesures/en-attente",
                Some(rules::RESERVATION_CANCELLED),
            ));
        }
        Some(m) if m.owner != caller.user.id => return Err(AppError::NotFound),
        Some(m) if m.status != Status::EnAttente => {
            drop(write);
            return Ok(done(&parts, "/mandataire/mesures", Some(ALREADY_ACCEPTED)));
        }
        Some(m) => m,
    };
    let mut next = previous.clone();
    next.status = Status::EnCours;
    next.date_decision = Some(date_decision);
    next.code_postal = Some(place.code_postal);
    next.code_insee = Some(place.code_insee);
    next.commune = Some(place.commune);
    next.lieu_de_vie = Some(lieu_de_vie);
    next.etablissement = etablissement;
    next.numero_dossier = numero_dossier;
    if let Some(reservation) = next.reservation.as_mut() {
        reservation.accepted_at = Some(now());
        next.tribunal_id = Some(reservation.tribunal_id);
    }
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure acceptée", id)?;
    write.commit()?;
    Ok(done(&parts, "/mandataire/mesures", Some(ACCEPTED)))
}

fn summary(read: &ReadTransaction, mesure: &Mesure) -> MesureSummary {
    let mut names = TribunalNames {
        read,
        names: HashMap::new(),
    };
    let row = row(mesure, &mut names);
    let mut facts = vec![
        ("Type de mesure".to_owned(), row.type_mesure),
        ("Date de décision".to_owned(), row.date_decision.clone()),
        ("Commune".to_owned(), row.commune),
        ("Lieu de vie".to_owned(), row.lieu_de_vie),
        ("Genre".to_owned(), row.genre),
        ("Année de naissance".to_owned(), row.annee_naissance),
    ];
    for (label, value) in [
        ("Numéro de dossier", row.numero_dossier),
        ("Numéro RG", row.numero_rg),
        ("Tribunal", row.tribunal.clone()),
    ] {
        if !value.is_empty() {
            facts.push((label.to_owned(), value));
        }
    }
    MesureSummary {
        facts,
        date_decision: row.date_decision,
        tribunal: row.tribunal,
    }
}

/// The "Mettre fin au mandat" page of a mesure en cours.
pub fn end_page(id: u64) -> Result<SpacePage<MesureSummary>, AppError> {
    let Visit { state, .. } = Visit::current()?;
    let mut page = space_page(&state, END_FORM, |read, caller, _| {
        let mesure = own_mesure(read, caller, id)?;
        if mesure.status != Status::EnCours {
            return Err(AppError::NotFound);
        }
        Ok(summary(read, &mesure))
    })?;
    if page.form.is_none() {
        let mut values = FormState::default();
        values.set("id", id.to_string());
        values.set("date_fin", display_iso(&today_iso()));
        page.form = Some(values);
    }
    Ok(page)
}

/// "Eteindre la mesure" (SPEC §5.4).
pub fn end(form: EndForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let (caller, _) = mandataire(&state)?;
    let Some(id) = parse_id(&form.id)? else {
        return Err(AppError::NotFound);
    };
    let page = format!("/mandataire/mesures/{id}/fin");
    let mut out = FormState::default();
    out.set("id", form.id.clone());
    out.set("date_fin", form.date_fin.clone());
    out.set("cause_sortie", form.cause_sortie.clone());
    let write = state.db.begin_write()?;
    let previous = match mesures::get_in(&write, id)? {
        Some(m) if m.owner == caller.user.id && m.status == Status::EnCours => m,
        _ => return Err(AppError::NotFound),
    };
    let decision = previous.date_decision.clone().unwrap_or_default();
    let date_fin = if form.date_fin.trim().is_empty() {
        out.fail("date_fin", profile_rules::required("Date de fin de mandat"));
        None
    } else {
        rules::end_date(&form.date_fin, &today_iso(), &decision)
            .map_err(|m| out.fail("date_fin", m))
            .ok()
    };
    let cause = match form.cause_sortie.as_str() {
        "" => Some(None),
        code => match CauseSortie::from_code(code) {
            Some(cause) => Some(Some(cause)),
            None => {
                out.fail(
                    "cause_sortie",
                    "Choisissez une cause de sortie dans la liste.",
                );
                None
            }
        },
    };
    let (Some(date_fin), Some(cause)) = (date_fin, cause) else {
        drop(write);
        return Ok(refuse(&parts, END_FORM, &page, out, &[]));
    };
    let mut next = previous.clone();
    next.status = Status::Eteinte;
    next.date_fin = Some(date_fin);
    next.cause_sortie = cause;
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure éteinte", id)?;
    write.commit()?;
    Ok(done(&parts, "/mandataire/mesures", Some(ENDED)))
}

/// "Réactiver la mesure" (SPEC §5.4): back en cours, end date and cause cleared.
pub fn reactivate(id: u64) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let (caller, _) = mandataire(&state)?;
    let write = state.db.begin_write()?;
    let previous = match mesures::get_in(&write, id)? {
        Some(m) if m.owner == caller.user.id && m.status == Status::Eteinte => m,
        _ => return Err(AppError::NotFound),
    };
    let mut next = previous.clone();
    next.status = Status::EnCours;
    next.date_fin = None;
    next.cause_sortie = None;
    mesures::replace(&write, &previous, &next, Author::Owner)?;
    record(&write, &caller, &ip, "Mesure réactivée", id)?;
    write.commit()?;
    Ok(flash::stay(
        &parts,
        "/mandataire/mesures/eteintes",
        REACTIVATED,
    ))
}

/// "Vue carte" (SPEC §5.6): the mesures en cours grouped by commune, located with the embedded coordinates.
pub fn map_page() -> Result<SpacePage<crate::api::mandataire::Carte>, AppError> {
    let Visit { state, .. } = Visit::current()?;
    use crate::api::mandataire::{Carte, CarteCommune};
    space_page(&state, "", |read, caller, _| {
        let by_commune = mesures::map_of_owner(read, caller.user.id)?;
        let mut communes: Vec<CarteCommune> = by_commune
            .into_iter()
            .map(|(insee, lines)| {
                let place = state.reference.commune(&insee);
                CarteCommune {
                    nom: place.map_or_else(|| format!("Commune {insee}"), |c| c.nom.clone()),
                    position: place.and_then(|c| c.coordinates),
                    lignes: lines
                        .into_iter()
                        .map(|(nature, champ, annee)| {
                            format!("{} – {annee}", nature_with_champ(nature, champ))
                        })
                        .collect(),
                }
            })
            .collect();
        communes.sort_by(|a, b| {
            b.lignes.len().cmp(&a.lignes.len()).then_with(|| {
                crate::rules::text::fold(&a.nom).cmp(&crate::rules::text::fold(&b.nom))
            })
        });
        Ok(Carte {
            communes,
            tuiles: state.settings.tile_url.clone(),
            attribution: state.settings.tile_attribution.clone(),
        })
    })
}

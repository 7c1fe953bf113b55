//! Server-function bodies of the magistrat's "Mandataires", fiche and "Vue carte" (SPEC §6.2, §6.5), and
//! the scope every magistrat function shares: the active mandataires who declared the magistrat's tribunal
//! (from his profile, from the session). Nothing else is listed, counted or reachable; an out-of-scope id
//! answers 404 "Page introuvable" like a missing one.

pub mod export;
pub mod fiche;
#[cfg(test)]
mod greffier_tests;
pub mod map;
pub mod notes;
#[cfg(test)]
mod notes_tests;
pub mod profile;
pub mod reservations;
pub mod scope;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod urgent_tests;

use std::sync::Arc;

use redb::ReadTransaction;

use crate::api::magistrat::{
    MagistratHeader, MagistratPage, MandataireList, MandataireQuery, MandataireRow,
};
use crate::api::{AppError, AppResult};
use crate::db::profiles::{self, Magistrat, Mandataire, MandataireFigures};
use crate::db::services::{self, Service};
use crate::db::users::{self, AccountStatus, UserHead};
use crate::db::{mesures, now, tribunaux};
use crate::rules::account::Role;
use crate::rules::geo::{distance_km, distance_label};
use crate::rules::mesure::Status;
use crate::rules::profile::{disponibilite, CapacityLevel};
use crate::rules::search::{name_matches, MandataireSort};
use crate::rules::PAGE_SIZE;
use crate::server::auth::Caller;
use crate::server::context::Ctx;
use crate::server::search::Resolution;
use crate::server::time::local_date;
use crate::server::AppState;

pub const CODE_POSTAL_INVALID: &str = "Code postal non valide";
/// SPEC §8.4: stale after 30 days without an update.
const STALE_AFTER_SECONDS: i64 = 30 * 24 * 3600;

/// The logged-in magistrat, his profile and his tribunal's name.
pub fn magistrat(read: &ReadTransaction, caller: &Caller) -> AppResult<(Magistrat, String)> {
    let profile = profiles::magistrat(read, caller.user.id)?.ok_or(AppError::NotFound)?;
    let tribunal = tribunaux::get(read, profile.tribunal_id)?
        .map(|t| t.nom)
        .unwrap_or_default();
    Ok((profile, tribunal))
}

fn active_mandataire(status: AccountStatus, role: Role) -> bool {
    status == AccountStatus::Actif && role.is_mandataire()
}

/// A mandataire of the scope as a page shows it: an account, or a service (issue 16).
pub struct InScope {
    pub head: UserHead,
    /// The account's e-mail, or the service's contact e-mail.
    pub email: String,
    pub profile: Mandataire,
    pub service: Option<Service>,
}

/// A mandataire in the magistrat's scope, else 404.
pub fn mandataire_in_scope(
    read: &ReadTransaction,
    tribunal_id: u64,
    mandataire_id: u64,
) -> Result<InScope, AppError> {
    let (head, email, service) = match users::get(read, mandataire_id)? {
        Some(user) => (UserHead::from(&user), user.email, None),
        None => {
            let service = services::get(read, mandataire_id)?.ok_or(AppError::NotFound)?;
            (
                services::head(&service),
                service.email.clone(),
                Some(service),
            )
        }
    };
    if !active_mandataire(head.status, head.role) {
        return Err(AppError::NotFound);
    }
    let profile = profiles::mandataire(read, mandataire_id)?
        .filter(|p| p.tribunaux.contains(&tribunal_id))
        .ok_or(AppError::NotFound)?;
    Ok(InScope {
        head,
        email,
        profile,
        service,
    })
}

/// The name a magistrat's page gives a mesure's owner: the account's or the service's.
pub fn owner_name(read: &ReadTransaction, owner: u64) -> Result<String, AppError> {
    if let Some(user) = users::get(read, owner)? {
        return Ok(format!("{} {}", user.prenom, user.nom).trim().to_owned());
    }
    Ok(services::get(read, owner)?
        .map(|s| s.nom)
        .unwrap_or_default())
}

/// `owner_name` as the write transaction sees it.
pub fn owner_name_in(
    write: &redb::WriteTransaction,
    owner: u64,
) -> Result<String, crate::db::StoreError> {
    if let Some(user) = users::get_in(write, owner)? {
        return Ok(format!("{} {}", user.prenom, user.nom).trim().to_owned());
    }
    Ok(services::get_in(write, owner)?
        .map(|s| s.nom)
        .unwrap_or_default())
}

/// A magistrat or greffier as the tribunal's lists name them: "Marie Martin", "Paul Durand (Greffier)"
/// (issue 18: a greffier is labelled everywhere).
/// A deleted account (issue 19) is "compte supprimé".
pub fn staff_name(read: &ReadTransaction, id: u64) -> Result<String, AppError> {
    Ok(users::get(read, id)?.map_or_else(
        || "compte supprimé".to_owned(),
        |u| labelled(&u.prenom, &u.nom, u.role),
    ))
}

/// "<Prénom> <Nom>", followed by " (Greffier)" for a greffier.
pub fn labelled(prenom: &str, nom: &str, role: Role) -> String {
    let name = format!("{prenom} {nom}").trim().to_owned();
    if role == Role::Greffier {
        format!("{name} (Greffier)")
    } else {
        name
    }
}

/// What every page of the space starts from: the read transaction, the magistrat, his tribunal and his scope
/// (read once per request).
pub struct Space<'a> {
    pub read: &'a ReadTransaction,
    pub caller: Caller,
    pub profile: Magistrat,
    pub tribunal: String,
    /// The active mandataires who declared the tribunal (`scope`, kept per version).
    pub scope: Arc<Vec<scope::Member>>,
}

/// `mandataire_in_scope` as the write transaction sees it: a deactivation or a removed tribunal committed
/// since the page was read refuses the change (404) instead of reserving for someone out of scope.
pub fn still_in_scope(
    write: &redb::WriteTransaction,
    tribunal_id: u64,
    mandataire_id: u64,
) -> Result<(), AppError> {
    let active = match users::get_in(write, mandataire_id)? {
        Some(user) => active_mandataire(user.status, user.role),
        None => services::get_in(write, mandataire_id)?
            .is_some_and(|s| s.status == AccountStatus::Actif),
    };
    let declared = profiles::mandataire_in(write, mandataire_id)?
        .is_some_and(|p| p.tribunaux.contains(&tribunal_id));
    if active && declared {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A page of the space: header (name, tribunal, badges), one-time notice, refused form of `form_name`.
pub fn magistrat_page<T>(
    cx: &Ctx,
    form_name: &str,
    data: impl FnOnce(&Space<'_>) -> AppResult<T>,
) -> AppResult<MagistratPage<T>> {
    let read = cx.read()?;
    let (data, header) = with_space(&cx.state, &read, &cx.caller, |space| {
        Ok((data(space)?, header_of(space)?))
    })?;
    let flash = cx.state.flash.take(&cx.parts, form_name);
    Ok(MagistratPage {
        header,
        notice: flash.notice,
        form: flash.form,
        data,
    })
}

/// Runs `work` in the caller's space (his profile, tribunal and scope), read once: the pages and the
/// export (an axum route, without the Leptos context) share it.
pub fn with_space<T>(
    state: &AppState,
    read: &ReadTransaction,
    caller: &Caller,
    work: impl FnOnce(&Space<'_>) -> AppResult<T>,
) -> AppResult<T> {
    let (profile, tribunal) = magistrat(read, caller)?;
    let scope = state
        .scope_memo
        .scope(read, &state.reference, profile.tribunal_id)?;
    let space = Space {
        read,
        caller: caller.clone(),
        profile,
        tribunal,
        scope,
    };
    work(&space)
}

fn header_of(space: &Space<'_>) -> AppResult<MagistratHeader> {
    Ok(MagistratHeader {
        nom: format!(
            "{} – {}",
            labelled(
                &space.caller.user.prenom,
                &space.caller.user.nom,
                space.caller.user.role
            ),
            space.tribunal
        ),
        mandataires: u32::try_from(space.scope.len()).unwrap_or(u32::MAX),
        en_attente: mesures::count_reservations(
            space.read,
            space.profile.tribunal_id,
            Status::EnAttente,
        )?,
    })
}

/// "Individuel", "Préposé", "Service": the "Type" column.
pub(super) fn type_label(role: Role) -> &'static str {
    match role {
        Role::Prepose => "Préposé",
        Role::Service => "Service",
        _ => "Individuel",
    }
}

fn is_stale(profile: &MandataireFigures) -> bool {
    profile
        .derniere_mise_a_jour
        .is_none_or(|t| now() - t > STALE_AFTER_SECONDS)
}

/// Where the "Code postal ou commune" control points: everywhere, one code postal, or communes.
enum Lieu {
    Partout,
    CodePostal(String),
    Communes(Vec<String>),
}

/// Reads the control like the autocomplete offers it (SPEC §10): a picked commune, a code postal (five
/// digits known to the embedded list, else "Code postal non valide"), or a commune's name, typos forgiven.
fn lieu(state: &AppState, typed: &str, picked: &str) -> Result<Lieu, String> {
    let typed = crate::rules::text::search_input(typed);
    if typed.is_empty() {
        return Ok(Lieu::Partout);
    }
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().all(|c| c.is_ascii_digit()) {
        let known =
            compact.len() == 5 && !state.reference.places_of_code_postal(&compact).is_empty();
        return if known {
            Ok(Lieu::CodePostal(compact))
        } else {
            Err(CODE_POSTAL_INVALID.to_owned())
        };
    }
    let insee = |id: &str| id.split_once('-').map_or(id, |(insee, _)| insee).to_owned();
    match state.communes.resolve(typed, Some(picked)) {
        Resolution::Empty => Ok(Lieu::Partout),
        Resolution::One(entry) => Ok(Lieu::Communes(vec![insee(entry.id)])),
        Resolution::Several(entries) => Ok(Lieu::Communes(
            entries.iter().map(|e| insee(e.id)).collect(),
        )),
        Resolution::None => Err(format!("Aucune commune ne correspond à « {typed} ».")),
    }
}

fn row(member: &scope::Member, distance: Option<f64>) -> MandataireRow {
    let profile = &*member.figures;
    let remaining = row_available(profile);
    MandataireRow {
        id: member.head.id,
        type_label: type_label(member.head.role).to_owned(),
        nom: member.nom.clone(),
        commune: profile.commune.clone(),
        disponibilite: remaining,
        niveau: CapacityLevel::of(remaining).class().to_owned(),
        en_cours: profile.mesures_en_cours,
        souhaitees: profile.mesures_souhaitees,
        en_attente: profile.mesures_en_attente,
        mise_a_jour: profile
            .derniere_mise_a_jour
            .map_or_else(|| "jamais".to_owned(), local_date),
        perime: is_stale(profile),
        suspendu: profile.suspension.is_some(),
        distance: distance.map(distance_label),
        position: member.position,
    }
}

/// Where "Trier par : Distance" measures from: the place typed, else the tribunal's commune; with its name.
fn origin(state: &AppState, space: &Space<'_>, place: &Lieu) -> Option<((f64, f64), String)> {
    let reference = &state.reference;
    match place {
        Lieu::CodePostal(cp) => reference
            .places_of_code_postal(cp)
            .into_iter()
            .find_map(|p| reference.commune_of(p).coordinates)
            .map(|at| (at, cp.clone())),
        Lieu::Communes(codes) => codes.iter().find_map(|code| {
            let commune = reference.commune(code)?;
            Some((commune.coordinates?, commune.nom.clone()))
        }),
        Lieu::Partout => {
            let tribunal =
                crate::db::tribunaux::get(space.read, space.profile.tribunal_id).ok()??;
            let at = tribunal.coordinates.or_else(|| {
                reference
                    .commune(&tribunal.code_insee)
                    .and_then(|c| c.coordinates)
            })?;
            Some((at, "le tribunal".to_owned()))
        }
    }
}

/// The members a list shows, in order, each with its distance (sorted by distance only); with the place's
/// error and, sorted by distance, where the distances start.
type Filtered<'a> = (
    Vec<(&'a scope::Member, Option<f64>)>,
    Option<String>,
    Option<String>,
);

/// The filtered mandataires of the scope, sorted as asked (most available first by default), then by
/// name. Only the members are sorted: the rows are built for the page shown (`list`).
fn filtered<'a>(
    state: &AppState,
    space: &'a Space<'_>,
    query: &mut MandataireQuery,
) -> Result<Filtered<'a>, AppError> {
    let (sort, role, only_available) = normalise(query);
    let (place, erreur) = match lieu(state, &query.lieu, &query.lieu_id) {
        Ok(place) => (place, None),
        Err(message) => (Lieu::Partout, Some(message)),
    };
    // Sorted by distance, the place typed is where the distances start: nobody is filtered out by it.
    let from = if sort == MandataireSort::Distance && erreur.is_none() {
        origin(state, space, &place)
    } else {
        None
    };
    let filter_place = if from.is_some() {
        &Lieu::Partout
    } else {
        &place
    };
    let mut members: Vec<(&scope::Member, Option<f64>)> = Vec::new();
    if erreur.is_none() {
        for member in space.scope.iter() {
            let profile = &*member.figures;
            let here = match filter_place {
                Lieu::Partout => true,
                Lieu::CodePostal(cp) => profile.code_postal == *cp,
                Lieu::Communes(codes) => codes.contains(&profile.code_insee),
            };
            if !here
                || role.is_some_and(|r| r != member.head.role)
                || (only_available && row_available(profile) <= 0)
                || (!query.nom.is_empty() && !name_matches(&member.nom, &query.nom))
            {
                continue;
            }
            let km = from
                .as_ref()
                .and_then(|(at, _)| member.position.map(|p| distance_km(*at, p)));
            members.push((member, km));
        }
    }
    let by_name = |a: &scope::Member, b: &scope::Member| a.folded.cmp(&b.folded);
    match (sort, &from) {
        // Unlocated communes last, then by name.
        (MandataireSort::Distance, Some(_)) => members.sort_by(|(a, ka), (b, kb)| {
            let key = |km: &Option<f64>| km.map_or(u64::MAX, |km| (km * 1000.0) as u64);
            key(ka).cmp(&key(kb)).then_with(|| by_name(a, b))
        }),
        (MandataireSort::NomAz, _) => members.sort_by(|(a, _), (b, _)| by_name(a, b)),
        (MandataireSort::NomZa, _) => members.sort_by(|(a, _), (b, _)| by_name(b, a)),
        _ => members.sort_by(|(a, _), (b, _)| {
            row_available(&b.figures)
                .cmp(&row_available(&a.figures))
                .then_with(|| by_name(a, b))
        }),
    }
    Ok((members, erreur, from.map(|(_, name)| name)))
}

/// A mandataire's disponibilité as the list shows it: a suspended activity shows 0 (issue 17), and sorts
/// with it.
fn row_available(profile: &MandataireFigures) -> i64 {
    if profile.suspension.is_some() {
        0
    } else {
        disponibilite(
            profile.mesures_souhaitees,
            profile.mesures_en_cours,
            profile.mesures_en_attente,
        )
    }
}

/// The list's controls brought to their known values (bad ones to the defaults, SPEC §6.2): the sort, the
/// type's role, "Places disponibles uniquement".
fn normalise(query: &mut MandataireQuery) -> (MandataireSort, Option<Role>, bool) {
    let sort = MandataireSort::parse(&query.tri);
    query.tri = sort.code().to_owned();
    query.nom = crate::rules::text::search_input(&query.nom).to_owned();
    let only_available = query.disponibles == "oui";
    if !only_available {
        query.disponibles.clear();
    }
    let role = match query.type_mandataire.as_str() {
        "individuel" => Some(Role::Individuel),
        "prepose" => Some(Role::Prepose),
        "service" => Some(Role::Service),
        _ => {
            query.type_mandataire.clear();
            None
        }
    };
    (sort, role, only_available)
}

/// The query string of the list's controls as the list and its pager write them (`MandataireList::base`),
/// without filtering anything.
pub(super) fn base_of(query: &MandataireQuery) -> String {
    let mut query = query.clone();
    normalise(&mut query);
    query_string(&query)
}

fn query_string(query: &MandataireQuery) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("type_mandataire", &query.type_mandataire)
        .append_pair("lieu", query.lieu.trim())
        .append_pair("lieu_id", &query.lieu_id)
        .append_pair("nom", &query.nom)
        .append_pair("tri", &query.tri)
        .append_pair("disponibles", &query.disponibles)
        .finish()
}

pub(super) fn list(
    state: &AppState,
    space: &Space<'_>,
    mut query: MandataireQuery,
    paged: bool,
) -> Result<MandataireList, AppError> {
    let (members, erreur_lieu, origine) = filtered(state, space, &mut query)?;
    let total = members.len();
    query.page = query.page.max(1);
    let mut has_next = false;
    let shown = if paged {
        let start = crate::rules::page_start(query.page, total).ok_or(AppError::NotFound)?;
        has_next = total > start + PAGE_SIZE;
        &members[start..total.min(start + PAGE_SIZE)]
    } else {
        &members[..]
    };
    let rows = shown.iter().map(|(m, km)| row(m, *km)).collect();
    Ok(MandataireList {
        base: query_string(&query),
        query,
        erreur_lieu,
        rows,
        total,
        has_next,
        origine,
    })
}

/// "Mandataires" (SPEC §6.2), 50 a page.
pub use map::map_page;

pub fn list_page(
    query: MandataireQuery,
    paged: bool,
) -> Result<MagistratPage<MandataireList>, AppError> {
    let cx = Ctx::magistrat()?;
    magistrat_page(&cx, "", |space| list(&cx.state, space, query, paged))
}

/// "Activité suspendue depuis le jj/mm/aaaa." and the reason (issue 17).
pub fn suspension_sentence(suspension: Option<&profiles::Suspension>) -> Option<String> {
    suspension.map(|s| {
        let depuis = local_date(s.depuis);
        if s.motif.is_empty() {
            format!("Activité suspendue depuis le {depuis}.")
        } else {
            format!("Activité suspendue depuis le {depuis}. Motif : {}", s.motif)
        }
    })
}

//! "Importer" (SPEC §5.8, issue 17): a mandataire's CSV or XLSX file of mesures, in two steps that both
//! work without JavaScript. "Vérifier le fichier" (a plain multipart post to `/mandataire/import/verifier`)
//! reads the file (`read`), checks every row with the mesure form's rules (`check`) and keeps the result
//! for this user (`pending`); the page then shows the counts and the first rows. "Importer" (a server
//! function) creates them all in one write transaction that checks again what may have changed meanwhile
//! (tribunaux, antennes, numéros RG and de dossier), audited with the counts. Any error: nothing imported.

pub mod check;
pub mod pending;
pub mod read;
pub mod template;

use axum::extract::{FromRequest, Multipart, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use redb::ReadableDatabase;

use self::check::{Checked, ImportContext, TribunalChoice};
use self::pending::Pending;
use crate::api::form::{FormReply, FormState, PageFlash};
use crate::api::mandataire::{ImportPage, ImportPreview, SpacePage};
use crate::api::{AppError, AppResult};
use crate::db::mesures::{self, Author, Mesure};
use crate::db::{audit, profiles, services, tribunaux};
use crate::rules::account::Role;
use crate::rules::import::{self as rules, MAX_FILE_BYTES};
use crate::rules::mesure::{nature_with_champ, Status};
use crate::server::auth::Caller;
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse, StateReferences};
use crate::server::AppState;

/// The page, and the flash name of its refused file.
pub const PAGE: &str = "/mandataire/import";
pub const FORM: &str = "import";
pub const CANCELLED: &str = "La vérification a été abandonnée : aucune mesure n'a été importée.";
/// The rows the preview shows.
const PREVIEW_ROWS: usize = 10;
/// What a request body may hold. A file over `MAX_FILE_BYTES` is read to its end (discarded) up to this
/// bound so that the browser, still sending, gets the page with its message rather than a cut connection.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The mandataire roles: the import is theirs.
const MANDATAIRES: &[Role] = &[Role::Individuel, Role::Prepose, Role::Service];

/// A refused file as the page shows it: the headline on the file field, the report's lines after it.
fn refusal(file_name: &str, headline: &str, lines: Vec<String>) -> FormState {
    let mut state = FormState::default();
    state.set("fichier_nom", file_name.to_owned());
    state.fail("fichier", headline);
    for line in lines {
        state.errors.push(("rapport".to_owned(), line));
    }
    state
}

/// 303 back to the page, the refused file's report in its flash.
fn back(state: &AppState, parts: &Parts, form: Option<FormState>) -> Response {
    let mut headers = vec![(header::LOCATION, PAGE.to_owned())];
    if let Some(form) = form {
        let cookie = state.flash.put_returning_cookie(
            parts,
            FORM,
            PageFlash {
                form: Some(form),
                notice: None,
            },
        );
        headers.push((header::SET_COOKIE, cookie));
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// Reads the multipart field `fichier`, keeping at most `MAX_FILE_BYTES + 1` bytes: (name, bytes, cut).
async fn file_of(multipart: &mut Multipart) -> Result<Option<(String, Vec<u8>, bool)>, ()> {
    while let Some(mut field) = multipart.next_field().await.map_err(|_| ())? {
        if field.name() != Some("fichier") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        let mut cut = false;
        while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
            if cut || bytes.len() + chunk.len() > MAX_FILE_BYTES {
                // Past the limit: the rest is read and dropped (bounded by `MAX_BODY_BYTES`).
                cut = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Some((name, bytes, cut)));
    }
    Ok(None)
}

/// `POST /mandataire/import/verifier` (multipart, field `fichier`): "Vérifier le fichier".
pub async fn verify(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (facts, caller) = match crate::server::context::caller_of(&request, PAGE, MANDATAIRES) {
        Ok(found) => found,
        Err(answer) => return *answer,
    };
    let (parts, body) = request.into_parts();
    let request = axum::extract::Request::from_parts(parts.clone(), body);
    let file = match Multipart::from_request(request, &state).await {
        Ok(mut multipart) => file_of(&mut multipart).await,
        Err(_) => Err(()),
    };
    let (name, bytes) = match file {
        Ok(Some((name, _, true))) => {
            let form = refusal(&name, rules::FILE_TOO_LARGE, Vec::new());
            return back(&state, &parts, Some(form));
        }
        Ok(Some((name, bytes, false))) if !(name.is_empty() && bytes.is_empty()) => (name, bytes),
        Ok(_) => {
            let form = refusal("", rules::FILE_MISSING, Vec::new());
            return back(&state, &parts, Some(form));
        }
        // The body was cut by its limit or is not a multipart form.
        Err(()) => {
            let form = refusal("", rules::FILE_TOO_LARGE, Vec::new());
            return back(&state, &parts, Some(form));
        }
    };
    let work_state = state.clone();
    let user = caller.user.id;
    let checked =
        tokio::task::spawn_blocking(move || verify_file(&work_state, &caller, &name, &bytes)).await;
    match checked {
        Ok(Ok(Ok(pending))) => {
            state.pending_imports.put(user, pending);
            back(&state, &parts, None)
        }
        Ok(Ok(Err(form))) => {
            state.pending_imports.drop_for(user);
            back(&state, &parts, Some(form))
        }
        Ok(Err(error)) => {
            tracing::error!(%error, ip = %facts.ip, "vérification d'un import impossible");
            crate::server::errors::internal_error_page()
        }
        Err(_) => crate::server::errors::internal_error_page(),
    }
}

/// The mandataire's declared tribunaux, with their names and SIRET.
fn tribunal_choices(read: &redb::ReadTransaction, ids: &[u64]) -> AppResult<Vec<TribunalChoice>> {
    let mut choices = Vec::new();
    for &id in ids {
        if let Some(t) = tribunaux::get(read, id)? {
            choices.push(TribunalChoice {
                id,
                nom: t.nom,
                siret: t.siret,
            });
        }
    }
    Ok(choices)
}

/// A service's antennes (id, name); `None` for other mandataires.
fn antennes_of(
    read: &redb::ReadTransaction,
    caller: &Caller,
) -> AppResult<Option<Vec<(u64, String)>>> {
    if caller.user.role != Role::Service {
        return Ok(None);
    }
    let Some(service) = services::get(read, caller.owner())? else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(
        services::antennes_of(read, &service)?
            .into_iter()
            .map(|a| (a.id, a.nom))
            .collect(),
    ))
}

/// Reads and checks a file; `Ok(Err(form))` is the refusal the page shows.
pub fn verify_file(
    state: &AppState,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Result<Pending, FormState>> {
    let table = match read::read_table(bytes) {
        Ok(table) => table,
        Err(message) => return Ok(Err(refusal(file_name, message, Vec::new()))),
    };
    let read = state.db.begin_read().map_err(AppError::internal)?;
    let owner = caller.owner();
    let profile = profiles::mandataire(&read, owner)?.ok_or(AppError::NotFound)?;
    let tribunaux = tribunal_choices(&read, &profile.tribunaux)?;
    let antennes = antennes_of(&read, caller)?;
    let dossiers = mesures::dossiers_of_owner(&read, owner)?;
    let today = crate::server::time::today_iso();
    let cx = ImportContext {
        owner,
        today: &today,
        current_year: crate::server::time::current_year(),
        tribunaux: &tribunaux,
        antennes: antennes.as_deref(),
        dossiers: &dossiers,
        now: crate::db::now(),
    };
    let rg_taken = |tribunal: Option<u64>, rg: &str| {
        // A failed read refuses the row: the user sees the message and nothing is written.
        mesures::rg_holder_read(&read, owner, tribunal, rg).map_or(true, |h| h.is_some())
    };
    let checked = check::check(&table, &cx, &StateReferences(state), rg_taken);
    if checked.error_count > 0 {
        return Ok(Err(report(file_name, &checked)));
    }
    if checked.rows.is_empty() {
        let headline = match rules::skipped(&checked.skipped) {
            Some(skipped) => format!("Aucune mesure à importer. {skipped}"),
            None => rules::FILE_NO_ROWS.to_owned(),
        };
        return Ok(Err(refusal(file_name, &headline, Vec::new())));
    }
    let mut names = super::TribunalNames::new(&read);
    let antenne_names = antennes.as_deref();
    let preview = ImportPreview {
        jeton: crate::server::auth::session::random_token(),
        fichier: file_name.chars().take(100).collect(),
        phrase: ready_sentence(&checked.rows),
        ignorees: rules::skipped(&checked.skipped),
        lignes: checked
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|(line, m)| preview_row(*line, m, &mut names, antenne_names))
            .collect(),
        total: checked.rows.len(),
    };
    Ok(Ok(Pending {
        owner,
        preview,
        rows: checked.rows,
        skipped: checked.skipped,
    }))
}

/// "Des erreurs ont été détectées…", the first lines, and how many more.
fn report(file_name: &str, checked: &Checked) -> FormState {
    let mut lines = checked.errors.clone();
    if checked.error_count > lines.len() {
        lines.push(format!(
            "… et {} autre(s) erreur(s) : corrigez celles-ci, puis vérifiez à nouveau le fichier.",
            checked.error_count - lines.len()
        ));
    }
    let headline = format!(
        "{} {} à corriger.",
        rules::FILE_ERRORS,
        crate::rules::format::plural(checked.error_count, "erreur", "erreurs")
    );
    refusal(file_name, &headline, lines)
}

/// "3 mesures prêtes à être importées (dont 1 éteinte)."
fn ready_sentence(rows: &[(usize, Mesure)]) -> String {
    let eteintes = rows
        .iter()
        .filter(|(_, m)| m.status == Status::Eteinte)
        .count();
    let count = rows.len();
    let mut sentence = if count <= 1 {
        format!("{count} mesure prête à être importée")
    } else {
        format!(
            "{} mesures prêtes à être importées",
            crate::rules::format::integer(count as u64)
        )
    };
    if eteintes > 0 {
        sentence.push_str(&format!(
            " (dont {})",
            crate::rules::format::plural(eteintes, "éteinte", "éteintes")
        ));
    }
    sentence.push('.');
    sentence
}

fn preview_row(
    line: usize,
    m: &Mesure,
    names: &mut super::TribunalNames<'_>,
    antennes: Option<&[(u64, String)]>,
) -> Vec<String> {
    let mut row = vec![
        line.to_string(),
        m.date_decision
            .as_deref()
            .map(crate::rules::date::display_iso)
            .unwrap_or_default(),
        nature_with_champ(m.nature, m.champ),
        m.commune.clone().unwrap_or_default(),
        m.genre.label().to_owned(),
        m.annee_naissance.to_string(),
        m.numero_dossier.clone().unwrap_or_default(),
        m.numero_rg.clone().unwrap_or_default(),
        names.name(m.tribunal_id),
    ];
    if let Some(antennes) = antennes {
        row.push(super::lists::antenne_label(Some(antennes), m.antenne));
    }
    row
}

/// The "Importer" tab's data.
pub fn page() -> AppResult<SpacePage<ImportPage>> {
    let cx = Ctx::mandataire()?;
    let apercu = cx.state.pending_imports.preview(cx.caller.user.id);
    super::space_page(&cx, FORM, |_, caller, _| {
        Ok(ImportPage {
            apercu,
            service: caller.user.role == Role::Service,
        })
    })
}

/// "Abandonner": forgets the checked file.
pub fn cancel() -> AppResult<FormReply> {
    let cx = Ctx::mandataire()?;
    cx.state.pending_imports.drop_for(cx.caller.user.id);
    Ok(done(&cx.parts, PAGE, Some(CANCELLED)))
}

/// "Importer": the checked file's mesures created in one write transaction, which checks again what may
/// have changed since the check; any refusal imports nothing.
pub fn confirm(jeton: &str) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::mandataire()?;
    let owner = caller.owner();
    let Some(pending) = state
        .pending_imports
        .take(caller.user.id, jeton)
        .filter(|p| p.owner == owner)
    else {
        let form = refusal("", rules::IMPORT_EXPIRED, Vec::new());
        return Ok(refuse(&parts, FORM, PAGE, form, &[]));
    };
    let file_name = pending.preview.fichier.clone();
    let write = crate::server::blocking::begin_write(&state.db)?;
    let profile = profiles::mandataire_in(&write, owner)?.ok_or(AppError::NotFound)?;
    let antennes = match caller.user.role {
        Role::Service => services::get_in(&write, owner)?.map(|s| s.antennes),
        _ => None,
    };
    let dossiers = mesures::dossiers_of_owner_in(&write, owner)?;
    let mut skipped = pending.skipped.clone();
    let mut checked = Checked::default();
    let mut to_insert: Vec<Mesure> = Vec::with_capacity(pending.rows.len());
    for (line, mesure) in pending.rows {
        if let Some(dossier) = &mesure.numero_dossier {
            if dossiers.contains(dossier) {
                skipped.push(line);
                continue;
            }
        }
        if let Some(tribunal) = mesure.tribunal_id {
            if !profile.tribunaux.contains(&tribunal) {
                checked.fail(line, check::TRIBUNAL_UNKNOWN, "");
                continue;
            }
        }
        if let Some(antenne) = mesure.antenne {
            if !antennes.as_ref().is_some_and(|a| a.contains(&antenne)) {
                checked.fail(line, check::ANTENNE_UNKNOWN, "");
                continue;
            }
        }
        if let Some(rg) = &mesure.numero_rg {
            if mesures::rg_holder(&write, owner, mesure.tribunal_id, rg)?.is_some() {
                checked.fail(line, crate::rules::mesure::RG_TAKEN, rg);
                continue;
            }
        }
        to_insert.push(mesure);
    }
    if checked.error_count > 0 {
        // Dropping `write` aborts it: nothing is written.
        return Ok(refuse(
            &parts,
            FORM,
            PAGE,
            report(&file_name, &checked),
            &[],
        ));
    }
    let count = to_insert.len();
    for mesure in to_insert {
        mesures::insert(&write, mesure, Author::Owner)?;
    }
    skipped.sort_unstable();
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Import de mesures",
        &format!(
            "{} importée(s), {} ignorée(s) ({})",
            count,
            skipped.len(),
            file_name
        ),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    let mut notice = rules::imported(count);
    if let Some(sentence) = rules::skipped(&skipped) {
        notice.push(' ');
        notice.push_str(&sentence);
    }
    Ok(done(&parts, "/mandataire/mesures", Some(&notice)))
}

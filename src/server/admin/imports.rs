//! The web imports of reference data (SPEC §9): a multipart upload of at most 100 MB, admin only, one at a
//! time; the report comes back to the import page in its flash.

use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::form::{FormState, PageFlash};
use crate::api::AppError;
use crate::rules::profile as rules;

use crate::server::AppState;

/// Largest upload accepted (SPEC §9: web uploads ≤ 100 MB).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;
pub const IMPORT_BUSY: &str = "Un import est déjà en cours.";

/// `POST /admin/import/{tribunaux|etablissements}` (multipart, field `fichier`): the web import (SPEC §9).
/// Admin only (checked from the session like every server function), one import at a time, 100 MB at most;
/// the report comes back to the import page in its flash (303).
pub async fn import_upload(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    _headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let page = match kind.as_str() {
        "tribunaux" => "/admin/tribunaux/import",
        "etablissements" => "/admin/etablissements/import",
        _ => return crate::server::errors::error_page(&AppError::NotFound),
    };
    // Resolved once by `context::resolve`, like for every request.
    let (facts, caller) = match crate::server::context::admin_of(&request, page) {
        Ok(admin) => admin,
        Err(answer) => return *answer,
    };
    let ip = facts.ip.clone();
    let (parts, body) = request.into_parts();
    let mut multipart = match Multipart::from_request(
        axum::extract::Request::from_parts(parts.clone(), body),
        &state,
    )
    .await
    {
        Ok(m) => m,
        Err(_) => {
            return back_with(
                &state,
                &parts,
                page,
                &kind,
                vec!["Le fichier n'a pas pu être lu.".to_owned()],
            )
        }
    };
    let mut bytes: Option<Vec<u8>> = None;
    let mut all_categories = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("fichier") => match field.bytes().await {
                    Ok(b) => bytes = Some(b.to_vec()),
                    Err(_) => {
                        return back_with(
                            &state,
                            &parts,
                            page,
                            &kind,
                            vec!["Le fichier dépasse 100 Mo ou n'a pas pu être lu.".to_owned()],
                        )
                    }
                },
                Some("toutes_categories") => all_categories = true,
                _ => {}
            },
            Ok(None) => break,
            Err(_) => {
                return back_with(
                    &state,
                    &parts,
                    page,
                    &kind,
                    vec!["Le fichier dépasse 100 Mo ou n'a pas pu être lu.".to_owned()],
                )
            }
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return back_with(
            &state,
            &parts,
            page,
            &kind,
            vec![rules::required("Fichier")],
        );
    };
    let Ok(_one_import) = state.import_lock.clone().try_lock_owned() else {
        return back_with(&state, &parts, page, &kind, vec![IMPORT_BUSY.to_owned()]);
    };
    let task_state = state.clone();
    let task_kind = kind.clone();
    let actor = caller.user.id;
    let ip_for_task = ip.clone();
    let outcome = tokio::task::spawn_blocking(move || -> Result<Vec<String>, String> {
        let state = task_state;
        let lines = if task_kind == "tribunaux" {
            let report = crate::server::imports::tribunaux::import(&state.db, &state.reference, &bytes, Some(actor), &ip_for_task)
                .map_err(|e| e.to_string())?;
            crate::server::refresh_tribunaux(&state).map_err(|e| e.to_string())?;
            report.to_string()
        } else {
            let (report, skipped) = crate::server::imports::etablissements::import(
                &state.db,
                &state.reference,
                &bytes,
                all_categories,
                Some(actor),
                &ip_for_task,
            )
            .map_err(|e| e.to_string())?;
            crate::server::refresh_etablissements(&state).map_err(|e| e.to_string())?;
            let mut text = report.to_string();
            if skipped > 0 {
                text.push_str(&format!(
                    "\n{} lignes d'autres catégories non importées (« Importer toutes les catégories » pour les garder)",
                    skipped
                ));
            }
            text
        };
        Ok(lines.lines().map(str::to_owned).collect())
    })
    .await;
    let lines = match outcome {
        Ok(Ok(lines)) => lines,
        Ok(Err(reason)) => vec![format!("Import impossible : {reason}")],
        Err(_) => return crate::server::errors::internal_error_page(),
    };
    back_with(&state, &parts, page, &kind, lines)
}

/// 303 back to the import page with the report lines in its flash.
fn back_with(
    state: &AppState,
    parts: &Parts,
    page: &str,
    kind: &str,
    lines: Vec<String>,
) -> Response {
    let mut report = FormState::default();
    for line in lines {
        report.errors.push((String::new(), line));
    }
    let flash_cookie = state.flash.put_returning_cookie(
        parts,
        &format!("import-{kind}"),
        PageFlash {
            form: Some(report),
            notice: None,
        },
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, page.to_owned()),
            (header::SET_COOKIE, flash_cookie),
        ],
    )
        .into_response()
}

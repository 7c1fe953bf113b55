//! The "Sauvegarde" tab (SPEC §7 P2, issue 15): the automatic backups and their last outcome, and
//! "Télécharger une sauvegarde": a copy made on the fly, streamed, after the admin's password (throttled
//! like a login), audited with its size.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::admin::BackupsPage;
use crate::api::form::{FormState, PageFlash};
use crate::api::AppResult;
use crate::server::context::Ctx;
use crate::server::{jobs, AppState};

pub const PAGE: &str = "/admin/sauvegarde";
pub const FORM: &str = "sauvegarde";

/// The tab's data.
pub fn page() -> AppResult<BackupsPage> {
    let Ctx { state, .. } = Ctx::admin()?;
    let mut fichiers: Vec<(String, String)> =
        jobs::automatic_backups(&state.data_dir.join(jobs::FOLDER))
            .into_iter()
            .map(|(name, bytes)| (name, crate::db::backup::size_text(bytes)))
            .collect();
    fichiers.reverse();
    Ok(BackupsPage {
        heure: state.settings.backup_hour,
        gardees: state.settings.backups_kept,
        fichiers,
        derniere: state.jobs.last_backup().map(|outcome| {
            (
                crate::server::time::local_timestamp(outcome.at),
                outcome.result.err(),
            )
        }),
    })
}

/// `POST /admin/sauvegarde/telecharger` (a plain form: the same with and without JavaScript).
pub async fn download(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (facts, caller) = match crate::server::context::admin_of(&request, PAGE) {
        Ok(admin) => admin,
        Err(answer) => return *answer,
    };
    let (parts, body) = request.into_parts();
    // The body is already read and bounded (`limits::bounded_body`).
    let bytes = axum::body::to_bytes(body, crate::server::limits::MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    let password = url::form_urlencoded::parse(&bytes)
        .find(|(key, _)| key == "mot_de_passe")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    if password.is_empty() {
        return refused(
            &state,
            &parts,
            crate::rules::profile::required("Mot de passe"),
        );
    }
    match crate::server::accounts::check_current_password(&state, &facts.ip, &caller.user, password)
        .await
    {
        Ok(Ok(())) => {}
        Ok(Err(message)) => return refused(&state, &parts, message),
        Err(error) => return crate::server::errors::error_page(&error),
    }
    let folder = state.data_dir.join(jobs::FOLDER);
    let temporary = folder.join(format!(
        ".telechargement-{}.redb",
        crate::server::auth::session::random_token()
    ));
    let db = state.db.clone();
    let target = temporary.clone();
    let written = tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(target.parent().unwrap_or(std::path::Path::new(".")))
            .map_err(|e| crate::server::errors::io_reason(&e))?;
        crate::db::backup::write(&db, &target, true).map_err(|e| e.to_string())
    })
    .await;
    let report = match written {
        Ok(Ok(report)) => report,
        Ok(Err(reason)) => {
            tracing::error!(%reason, "sauvegarde à télécharger impossible");
            return crate::server::errors::internal_error_page();
        }
        Err(_) => return crate::server::errors::internal_error_page(),
    };
    let file = match tokio::fs::File::open(&temporary).await {
        Ok(file) => file,
        Err(_) => return crate::server::errors::internal_error_page(),
    };
    // Unlinked now: the open file streams, and nothing is left behind whatever happens to the download.
    let _ = std::fs::remove_file(&temporary);
    let write =
        crate::server::blocking::begin_write(&state.db).map_err(crate::db::StoreError::from);
    let audited = write.and_then(|write| {
        crate::db::audit::record(
            &write,
            Some(caller.user.id),
            &facts.ip,
            "Téléchargement d'une sauvegarde",
            "",
            &format!("Succès ({})", crate::db::backup::size_text(report.bytes)),
        )?;
        crate::server::blocking::commit(write).map_err(crate::db::StoreError::from)
    });
    if let Err(error) = audited {
        tracing::error!(%error, "téléchargement d'une sauvegarde non journalisé : refusé");
        return crate::server::errors::internal_error_page();
    }
    let name = format!(
        "emjpm-sauvegarde-{}.redb",
        jiff::Timestamp::now()
            .to_zoned_datetime(crate::server::time::zone().clone())
            .strftime("%Y-%m-%d-%H%M")
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CONTENT_LENGTH, report.bytes.to_string()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(tokio_util::io::ReaderStream::new(file)),
    )
        .into_response()
}

/// 303 back to the tab with the password's message.
fn refused(state: &AppState, parts: &Parts, message: String) -> Response {
    let mut form = FormState::default();
    form.fail("mot_de_passe", message);
    let cookie = state.flash.put_returning_cookie(
        parts,
        FORM,
        PageFlash {
            form: Some(form),
            notice: None,
        },
    );
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, PAGE.to_owned()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

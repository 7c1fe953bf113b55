//! Server side of the administration of reference data (SPEC §7 "Tribunaux", "Établissements", §9 imports
//! from the web). Every function requires the admin role; every change is one write transaction with its
//! audit entry, after which the autocomplete index concerned is rebuilt and swapped in.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use redb::ReadableDatabase;

use crate::api::admin::{EtablissementRow, EtablissementsPage};
use crate::api::admin::{TribunalForm, TribunalRow, TribunauxPage};
use crate::api::form::{FormReply, FormState, PageFlash};
use crate::db::tribunaux::{SaveTribunalError, Tribunal};
use crate::db::{audit, etablissements, tribunaux};
use crate::rules::account::Role;
use crate::rules::date::{display_iso, parse_iso};
use crate::rules::profile as rules;
use crate::rules::text;
use crate::rules::tribunal::TribunalType;
use crate::rules::PAGE_SIZE;

use crate::server::{flash, AppState};

/// Largest upload accepted (SPEC §9: web uploads ≤ 100 MB).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;
pub const IMPORT_BUSY: &str = "Un import est déjà en cours.";

fn page_of<T>(rows: Vec<T>, page: usize) -> (Vec<T>, usize, usize, bool) {
    let total = rows.len();
    let page = page.max(1);
    let shown = rows
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    (shown, total, page, total > page * PAGE_SIZE)
}

pub fn tribunaux_page(
    q: &str,
    type_tribunal: &str,
    etat: &str,
    page: usize,
) -> Result<TribunauxPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let today = crate::server::time::today_iso();
    let query = text::fold(q.trim());
    let mut rows: Vec<TribunalRow> = tribunaux::all(&read)?
        .into_iter()
        .filter(|t| type_tribunal.is_empty() || t.kind.code() == type_tribunal)
        .filter(|t| match etat {
            "actifs" => t.is_active(&today),
            "fermes" => !t.is_active(&today),
            _ => true,
        })
        .filter(|t| {
            let haystack = text::fold(&format!(
                "{} {} {}",
                t.nom,
                t.ville,
                t.siret.as_deref().unwrap_or("")
            ));
            query.split_whitespace().all(|w| haystack.contains(w))
        })
        .map(|t| TribunalRow {
            id: t.id,
            type_label: t.kind.label().to_owned(),
            actif: t.is_active(&today),
            nom: t.nom,
            ville: t.ville,
            siret: t.siret.unwrap_or_default(),
        })
        .collect();
    rows.sort_by_key(|r| text::fold(&r.nom));
    let (rows, total, page, has_next) = page_of(rows, page);
    Ok(TribunauxPage {
        rows,
        total,
        page,
        has_next,
    })
}

pub fn tribunal_form(id: u64) -> AppResult<(FormState, bool)> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let Some(t) = tribunaux::get(&read, id)? else {
        return Err(AppError::NotFound);
    };
    let mut form = FormState::default();
    for (name, value) in [
        ("type_tribunal", t.kind.code().to_owned()),
        ("nom", t.nom.clone()),
        ("siret", t.siret.clone().unwrap_or_default()),
        ("adresse", t.adresse.clone()),
        ("adresse_complement", t.adresse_complement.clone()),
        ("code_postal", t.code_postal.clone()),
        ("ville", t.ville.clone()),
        ("code_insee", t.code_insee.clone()),
        ("telephone", t.telephone.clone()),
        ("email", t.email.clone()),
        ("juridiction_parente", t.juridiction_parente.clone()),
        (
            "date_ouverture",
            t.date_ouverture
                .as_deref()
                .map(display_iso)
                .unwrap_or_default(),
        ),
        (
            "date_fermeture",
            t.date_fermeture
                .as_deref()
                .map(display_iso)
                .unwrap_or_default(),
        ),
    ] {
        form.set(name, value);
    }
    Ok((form, t.is_active(&crate::server::time::today_iso())))
}

const TRIBUNAL_FORM: &str = "tribunal";

pub fn save_tribunal(form: TribunalForm) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let Ok(id) = form.id.trim().parse::<u64>().or_else(|e| {
        if form.id.trim().is_empty() {
            Ok(0)
        } else {
            Err(e)
        }
    }) else {
        return Err(AppError::NotFound);
    };
    let page = if id == 0 {
        "/admin/tribunaux/nouveau".to_owned()
    } else {
        format!("/admin/tribunaux/{id}")
    };
    let previous = if id == 0 {
        None
    } else {
        let read = state.db.begin_read()?;
        match tribunaux::get(&read, id)? {
            Some(t) => Some(t),
            None => {
                return Err(AppError::NotFound);
            }
        }
    };
    let mut out = FormState::default();
    for (name, value) in [
        ("type_tribunal", &form.type_tribunal),
        ("nom", &form.nom),
        ("siret", &form.siret),
        ("adresse", &form.adresse),
        ("adresse_complement", &form.adresse_complement),
        ("code_postal", &form.code_postal),
        ("ville", &form.ville),
        ("code_insee", &form.code_insee),
        ("telephone", &form.telephone),
        ("email", &form.email),
        ("juridiction_parente", &form.juridiction_parente),
        ("date_ouverture", &form.date_ouverture),
        ("date_fermeture", &form.date_fermeture),
    ] {
        out.set(name, value.clone());
    }
    let kind = TribunalType::from_code(&form.type_tribunal);
    if kind.is_none() {
        out.fail("type_tribunal", "Choisissez le type du tribunal.");
    }
    let nom = rules::bounded_text(&form.nom, "Nom", 200, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let siret: String = form.siret.chars().filter(|c| !c.is_whitespace()).collect();
    if !siret.is_empty() && (siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit())) {
        out.fail("siret", "Le SIRET doit comporter 14 chiffres.");
    }
    if !form.code_postal.trim().is_empty() {
        if let Err(m) = rules::code_postal_format(&form.code_postal) {
            out.fail("code_postal", m);
        }
    }
    let code_insee = form.code_insee.trim().to_uppercase();
    let commune = state.reference.commune(&code_insee);
    if code_insee.is_empty() {
        out.fail("code_insee", rules::required("Code INSEE de la commune"));
    } else if commune.is_none() {
        out.fail(
            "code_insee",
            "Ce code INSEE ne correspond à aucune commune.",
        );
    }
    if !form.email.trim().is_empty() {
        if let Err(m) = crate::rules::account::normalize_email(&form.email) {
            out.fail("email", m);
        }
    }
    let mut date = |name: &str, value: &str| -> Option<String> {
        if value.trim().is_empty() {
            return None;
        }
        let parsed = parse_iso(value).ok();
        if parsed.is_none() {
            out.fail(name, "Saisissez une date valide au format jj/mm/aaaa.");
        }
        parsed
    };
    let date_ouverture = date("date_ouverture", &form.date_ouverture);
    let date_fermeture = date("date_fermeture", &form.date_fermeture);
    let (Some(kind), Some(nom), Some(commune), true) = (kind, nom, commune, out.errors.is_empty())
    else {
        return Ok(refuse(&parts, &page, out));
    };
    let coordinates = previous
        .as_ref()
        .filter(|p| p.code_insee == code_insee)
        .and_then(|p| p.coordinates)
        .or(commune.coordinates);
    let tribunal = Tribunal {
        id,
        kind,
        nom,
        siret: (!siret.is_empty()).then_some(siret),
        adresse: form.adresse.trim().to_owned(),
        adresse_complement: form.adresse_complement.trim().to_owned(),
        code_postal: form.code_postal.trim().to_owned(),
        ville: if form.ville.trim().is_empty() {
            commune.nom.clone()
        } else {
            form.ville.trim().to_owned()
        },
        departement: commune.departement.clone(),
        code_insee,
        telephone: form.telephone.trim().to_owned(),
        email: form.email.trim().to_lowercase(),
        juridiction_parente: form.juridiction_parente.trim().to_owned(),
        date_ouverture,
        // Reopening: a closing date removed makes it active again.
        actif: date_fermeture.is_none() || previous.as_ref().is_none_or(|p| p.actif),
        date_fermeture,
        coordinates,
    };
    let write = state.db.begin_write()?;
    let saved = match tribunaux::save(&write, tribunal) {
        Ok(saved) => saved,
        Err(SaveTribunalError::DuplicateKey) => {
            drop(write);
            out.fail("siret", SaveTribunalError::DuplicateKey.to_string());
            return Ok(refuse(&parts, &page, out));
        }
        Err(SaveTribunalError::Store(e)) => return Err(AppError::internal(e)),
    };
    let action = if id == 0 {
        "Création d'un tribunal"
    } else {
        "Modification d'un tribunal"
    };
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        action,
        &format!("tribunal {}", saved.id),
        "Succès",
    )?;
    write.commit()?;
    crate::server::refresh_tribunaux(&state)?;
    let notice = format!("Le tribunal « {} » a été enregistré.", saved.nom);
    if id == 0 || plain_form_post(&parts) {
        flash::keep_notice(&parts, &notice);
        leptos_axum::redirect(&format!("/admin/tribunaux/{}", saved.id));
        Ok(FormReply::Done)
    } else {
        Ok(FormReply::Saved(notice))
    }
}

fn refuse(parts: &Parts, page: &str, state: FormState) -> FormReply {
    if plain_form_post(parts) {
        flash::keep_refused_form(parts, TRIBUNAL_FORM, &state);
        leptos_axum::redirect(page);
    }
    FormReply::Invalid(state)
}

pub fn close_tribunal(id: u64) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let write = state.db.begin_write()?;
    let current = {
        use redb::ReadableTable;
        let table = write.open_table(crate::db::tables::TRIBUNAUX)?;
        let found = table.get(id)?;
        found
            .map(|v| crate::db::decode::<Tribunal>(v.value()))
            .transpose()?
    };
    let Some(mut tribunal) = current else {
        return Err(AppError::NotFound);
    };
    tribunal.actif = false;
    if tribunal.date_fermeture.is_none() {
        tribunal.date_fermeture = Some(crate::server::time::today_iso());
    }
    let name = tribunal.nom.clone();
    tribunaux::save(&write, tribunal)?;
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Fermeture d'un tribunal",
        &format!("tribunal {id}"),
        "Succès",
    )?;
    write.commit()?;
    crate::server::refresh_tribunaux(&state)?;
    let notice = format!("Le tribunal « {name} » est fermé.");
    Ok(flash::stay(
        &parts,
        &format!("/admin/tribunaux/{id}"),
        &notice,
    ))
}

pub fn etablissements_page(q: &str, page: usize) -> Result<EtablissementsPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let query = text::fold(q.trim());
    let rows: Vec<EtablissementRow> = etablissements::all(&read)?
        .into_iter()
        .filter(|e| {
            query.is_empty() || {
                let haystack = text::fold(&format!(
                    "{} {} {} {}",
                    e.nom, e.ville, e.code_postal, e.finess
                ));
                query.split_whitespace().all(|w| haystack.contains(w))
            }
        })
        .map(|e| EtablissementRow {
            commune: format!("{} {}", e.code_postal, e.ville).trim().to_owned(),
            categorie: e.categorie_libelle.clone(),
            ferme: e.ferme,
            nom: e.nom,
            finess: e.finess,
        })
        .collect();
    let (rows, total, page, has_next) = page_of(rows, page);
    Ok(EtablissementsPage {
        rows,
        total,
        page,
        has_next,
    })
}

pub type EtablissementFacts = (String, Vec<(String, String)>, bool);

pub fn etablissement(finess: &str) -> AppResult<EtablissementFacts> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let Some(e) = etablissements::get(&read, finess)? else {
        return Err(AppError::NotFound);
    };
    let coordinates = e.coordinates.map_or_else(
        || "Sans localisation".to_owned(),
        |(lat, lon)| {
            format!(
                "{}, {}",
                crate::rules::format::decimal(lat, 5),
                crate::rules::format::decimal(lon, 5)
            )
        },
    );
    let facts = vec![
        ("Numéro FINESS".to_owned(), e.finess.clone()),
        ("FINESS juridique".to_owned(), e.finess_ej.clone()),
        ("Adresse".to_owned(), e.adresse.clone()),
        (
            "Commune".to_owned(),
            format!("{} {}", e.code_postal, e.ville),
        ),
        ("Code INSEE".to_owned(), e.code_insee.clone()),
        ("Téléphone".to_owned(), e.telephone.clone()),
        (
            "Catégorie".to_owned(),
            format!("{} ({})", e.categorie_libelle, e.categorie),
        ),
        ("SIRET".to_owned(), e.siret.clone()),
        ("Coordonnées".to_owned(), coordinates),
        (
            "État".to_owned(),
            if e.ferme { "Fermé" } else { "Ouvert" }.to_owned(),
        ),
    ];
    Ok((e.nom, facts, e.ferme))
}

pub fn close_etablissement(finess: &str) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller: me,
        ip,
        ..
    } = Ctx::admin()?;
    let write = state.db.begin_write()?;
    let Some(closed) = etablissements::set_closed(&write, finess, true)? else {
        return Err(AppError::NotFound);
    };
    audit::record(
        &write,
        Some(me.user.id),
        &ip,
        "Fermeture d'un établissement",
        &format!("établissement {finess}"),
        "Succès",
    )?;
    write.commit()?;
    crate::server::refresh_etablissements(&state)?;
    let notice = format!("L'établissement « {} » est fermé.", closed.nom);
    Ok(flash::stay(
        &parts,
        &format!("/admin/etablissements/{finess}"),
        &notice,
    ))
}

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
        _ => {
            return crate::server::errors::static_page(
                StatusCode::NOT_FOUND,
                "Page introuvable",
                "La page demandée n'existe pas ou vous n'y avez pas accès.",
            )
        }
    };
    // Resolved once by `context::resolve`, like for every request.
    let Some(facts) = request
        .extensions()
        .get::<std::sync::Arc<crate::server::context::RequestFacts>>()
        .cloned()
    else {
        return crate::server::errors::internal_error_page();
    };
    let caller = match facts.caller.clone() {
        Some(caller) if caller.user.role == Role::Admin => caller,
        Some(_) => {
            return crate::server::errors::static_page(
                StatusCode::FORBIDDEN,
                "Accès refusé",
                "Vous n'avez pas accès à cette page.",
            )
        }
        None => {
            return (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/connexion?retour={page}"))],
            )
                .into_response()
        }
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

use crate::api::{AppError, AppResult};
use crate::server::context::{plain_form_post, Ctx};
use axum::extract::FromRequest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_both_forms_and_checked() {
        assert_eq!(parse_iso("31/12/2019").ok().as_deref(), Some("2019-12-31"));
        assert_eq!(parse_iso("2019-12-31").ok().as_deref(), Some("2019-12-31"));
        assert_eq!(parse_iso("29/02/2024").ok().as_deref(), Some("2024-02-29"));
        assert_eq!(parse_iso("29/02/2023").ok(), None);
        assert_eq!(parse_iso("32/01/2020").ok(), None);
        assert_eq!(parse_iso("demain").ok(), None);
        assert_eq!(display_iso("2019-12-31"), "31/12/2019");
    }
}

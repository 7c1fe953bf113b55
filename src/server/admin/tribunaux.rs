//! The administration of tribunaux (SPEC §7 "Tribunaux"): the list, the form, the closing. Every change is
//! one write transaction with its audit entry, after which the tribunaux autocomplete is rebuilt.

use axum::http::request::Parts;

use redb::ReadableDatabase;

use crate::api::admin::{TribunalForm, TribunalRow, TribunauxPage};
use crate::api::form::{FormReply, FormState};
use crate::db::tribunaux::{SaveTribunalError, Tribunal};
use crate::db::{audit, tribunaux};
use crate::rules::date::display_iso;
use crate::rules::text;

use super::page_of;
use crate::api::{AppError, AppResult};
use crate::rules::forms::tribunal::{echo, parse_tribunal};
use crate::server::context::{plain_form_post, Ctx};
use crate::server::flash;
use crate::server::forms::StateReferences;

pub fn tribunaux_page(
    q: &str,
    type_tribunal: &str,
    etat: &str,
    page: usize,
) -> Result<TribunauxPage, AppError> {
    let Ctx { state, .. } = Ctx::admin()?;
    let read = state.db.begin_read()?;
    let today = crate::server::time::today_iso();
    let query = text::fold(text::search_input(q));
    // In the names' order, kept between requests; only the page's rows are built.
    let sorted = tribunaux::all_by_name(&read)?;
    let matching: Vec<&Tribunal> = sorted
        .iter()
        .map(|t| &**t)
        .filter(|t| type_tribunal.is_empty() || t.kind.code() == type_tribunal)
        .filter(|t| match etat {
            "actifs" => t.is_active(&today),
            "fermes" => !t.is_active(&today),
            _ => true,
        })
        .filter(|t| {
            if query.is_empty() {
                return true;
            }
            let haystack = text::fold(&format!(
                "{} {} {}",
                t.nom,
                t.ville,
                t.siret.as_deref().unwrap_or("")
            ));
            query.split_whitespace().all(|w| haystack.contains(w))
        })
        .collect();
    let (shown, total, page, has_next) = page_of(matching, page)?;
    let rows = shown
        .into_iter()
        .map(|t| TribunalRow {
            id: t.id,
            type_label: t.kind.label().to_owned(),
            actif: t.is_active(&today),
            nom: t.nom.clone(),
            ville: t.ville.clone(),
            siret: t.siret.clone().unwrap_or_default(),
        })
        .collect();
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
    let input = match parse_tribunal(&form, &StateReferences(&state)) {
        Ok(input) => input,
        Err(out) => return Ok(refuse(&parts, &page, out)),
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    // The stored tribunal as this transaction sees it: its coordinates and "actif" are kept.
    let previous = match id {
        0 => None,
        id => Some(tribunaux::get_in(&write, id)?.ok_or(AppError::NotFound)?),
    };
    let coordinates = previous
        .as_ref()
        .filter(|p| p.code_insee == input.code_insee)
        .and_then(|p| p.coordinates)
        .or(input.commune.coordinates);
    let tribunal = Tribunal {
        id,
        kind: input.kind,
        nom: input.nom,
        siret: input.siret,
        adresse: input.adresse,
        adresse_complement: input.adresse_complement,
        code_postal: input.code_postal,
        ville: input.ville,
        departement: input.commune.departement,
        code_insee: input.code_insee,
        telephone: input.telephone,
        email: input.email,
        juridiction_parente: input.juridiction_parente,
        date_ouverture: input.date_ouverture,
        // Reopening: a closing date removed makes it active again.
        actif: input.date_fermeture.is_none() || previous.as_ref().is_none_or(|p| p.actif),
        date_fermeture: input.date_fermeture,
        coordinates,
    };
    let saved = match tribunaux::save(&write, tribunal) {
        Ok(saved) => saved,
        Err(SaveTribunalError::DuplicateKey) => {
            drop(write);
            let mut out = echo(&form);
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
    crate::server::blocking::commit(write)?;
    crate::server::blocking::off_async(|| crate::server::refresh_tribunaux(&state))?;
    let notice = format!("Le tribunal « {} » a été enregistré.", saved.nom);
    if id == 0 || plain_form_post(&parts) {
        flash::keep_notice(&parts, &notice);
        crate::server::context::redirect(&format!("/admin/tribunaux/{}", saved.id));
        Ok(FormReply::Done)
    } else {
        Ok(FormReply::Saved(notice))
    }
}

fn refuse(parts: &Parts, page: &str, state: FormState) -> FormReply {
    if plain_form_post(parts) {
        flash::keep_refused_form(parts, TRIBUNAL_FORM, &state);
        crate::server::context::redirect(page);
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
    let write = crate::server::blocking::begin_write(&state.db)?;
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
    crate::server::blocking::commit(write)?;
    crate::server::blocking::off_async(|| crate::server::refresh_tribunaux(&state))?;
    let notice = format!("Le tribunal « {name} » est fermé.");
    Ok(flash::stay(
        &parts,
        &format!("/admin/tribunaux/{id}"),
        &notice,
    ))
}

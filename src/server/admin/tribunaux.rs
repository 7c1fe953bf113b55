//! The administration of tribunaux (SPEC §7 "Tribunaux"): the list, the form, the closing. Every change is
//! one write transaction with its audit entry, after which the tribunaux autocomplete is rebuilt.

use axum::http::request::Parts;

use redb::ReadableDatabase;

use crate::api::admin::{TribunalForm, TribunalRow, TribunauxPage};
use crate::api::form::{FormReply, FormState};
use crate::db::tribunaux::{SaveTribunalError, Tribunal};
use crate::db::{audit, tribunaux};
use crate::rules::date::{display_iso, parse_iso};
use crate::rules::profile as rules;
use crate::rules::text;
use crate::rules::tribunal::TribunalType;

use super::page_of;
use crate::api::{AppError, AppResult};
use crate::server::context::{plain_form_post, Ctx};
use crate::server::flash;

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

//! The notes of a fiche (SPEC §6.2 P2, issue 18): written, read and deleted only by the magistrats and
//! greffiers of the author's tribunal, about a mandataire of their scope; audited without their text.

use redb::ReadTransaction;

use super::{mandataire_in_scope, staff_name, still_in_scope};
use crate::api::form::{FormReply, FormState};
use crate::api::magistrat::NoteRow;
use crate::api::{AppError, AppResult};
use crate::db::{audit, notes};
use crate::rules::note as rules;
use crate::server::context::Ctx;
use crate::server::forms::{done, refuse};
use crate::server::time::local_timestamp;

/// The flash name of a refused note.
pub const FORM: &str = "note";

/// The notes of `mandataire` in `tribunal_id`, as the fiche shows them.
pub fn rows(read: &ReadTransaction, mandataire: u64, tribunal_id: u64) -> AppResult<Vec<NoteRow>> {
    notes::of_mandataire(read, mandataire, tribunal_id)?
        .into_iter()
        .map(|n| {
            Ok(NoteRow {
                id: n.id,
                ajoute_le: format!("Ajouté le : {}", local_timestamp(n.at)),
                auteur: staff_name(read, n.author)?,
                texte: n.texte,
            })
        })
        .collect()
}

/// "Enregistrer" a note on the fiche of `mandataire`.
pub fn add(mandataire: u64, texte: &str) -> AppResult<FormReply> {
    let cx = Ctx::magistrat()?;
    let page = format!("/magistrat/mandataires/{mandataire}");
    // The row before the text: a mandataire out of scope is a 404 whatever was typed.
    let read = cx.read()?;
    let tribunal_id = super::magistrat(&read, &cx.caller)?.0.tribunal_id;
    mandataire_in_scope(&read, tribunal_id, mandataire)?;
    drop(read);
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = cx;
    let texte = match rules::text(texte) {
        Ok(texte) => texte,
        Err(message) => {
            let mut out = FormState::default();
            out.set("texte", texte.to_owned());
            out.fail("texte", message);
            return Ok(refuse(&parts, FORM, &page, out, &[]));
        }
    };
    let write = crate::server::blocking::begin_write(&state.db)?;
    // What the note relies on, read again where it is written: the caller's tribunal (an admin may have
    // changed it meanwhile) and the mandataire still in its scope.
    let tribunal_id = tribunal_in(&write, caller.user.id)?;
    still_in_scope(&write, tribunal_id, mandataire)?;
    let note = notes::add(&write, mandataire, tribunal_id, caller.user.id, &texte)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Note ajoutée",
        &format!("mandataire {mandataire}, note {}", note.id),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(&parts, &page, Some(rules::SAVED)))
}

/// "Supprimer" a note of the caller's tribunal.
pub fn delete(mandataire: u64, id: u64) -> AppResult<FormReply> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::magistrat()?;
    let write = crate::server::blocking::begin_write(&state.db)?;
    let tribunal_id = tribunal_in(&write, caller.user.id)?;
    let note = notes::get_in(&write, mandataire, id)?
        .filter(|n| n.tribunal_id == tribunal_id)
        .ok_or(AppError::NotFound)?;
    notes::delete(&write, &note)?;
    audit::record(
        &write,
        Some(caller.user.id),
        &ip,
        "Note supprimée",
        &format!("mandataire {mandataire}, note {id}"),
        "Succès",
    )?;
    crate::server::blocking::commit(write)?;
    Ok(done(
        &parts,
        &format!("/magistrat/mandataires/{mandataire}"),
        Some(rules::DELETED),
    ))
}

/// The caller's tribunal as the write transaction sees it.
fn tribunal_in(write: &redb::WriteTransaction, user_id: u64) -> AppResult<u64> {
    Ok(crate::db::profiles::magistrat_in(write, user_id)?
        .ok_or(AppError::NotFound)?
        .tribunal_id)
}

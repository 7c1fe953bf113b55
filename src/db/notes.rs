//! The magistrats' notes on a mandataire (SPEC §6.2 P2, issue 18): private to the tribunal of their author,
//! never shown to the mandataire, never exported nor e-mailed. Kept by mandataire, so that a fiche reads its
//! notes from one key range.

use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::tables::NOTES;
use super::{decode, encode, next_id, now, open_or_empty, StoreError};

/// One note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: u64,
    pub mandataire: u64,
    /// The author's tribunal: only its magistrats and greffiers read or delete the note.
    pub tribunal_id: u64,
    pub author: u64,
    /// Unix seconds.
    pub at: i64,
    pub texte: String,
}

/// Adds a note; returns it.
pub fn add(
    write: &WriteTransaction,
    mandataire: u64,
    tribunal_id: u64,
    author: u64,
    texte: &str,
) -> Result<Note, StoreError> {
    let note = Note {
        id: next_id(write, "note")?,
        mandataire,
        tribunal_id,
        author,
        at: now(),
        texte: texte.to_owned(),
    };
    write
        .open_table(NOTES)?
        .insert((mandataire, note.id), encode(&note)?.as_slice())?;
    Ok(note)
}

/// The notes of `mandataire` written in `tribunal_id`, newest first.
pub fn of_mandataire(
    read: &ReadTransaction,
    mandataire: u64,
    tribunal_id: u64,
) -> Result<Vec<Note>, StoreError> {
    let Some(table) = open_or_empty(read, NOTES)? else {
        return Ok(Vec::new());
    };
    let mut notes = Vec::new();
    for row in table.range((mandataire, 0)..=(mandataire, u64::MAX))? {
        let note: Note = decode(row?.1.value())?;
        if note.tribunal_id == tribunal_id {
            notes.push(note);
        }
    }
    notes.reverse();
    Ok(notes)
}

/// The note `id` of `mandataire`, as the write transaction sees it.
pub fn get_in(
    write: &WriteTransaction,
    mandataire: u64,
    id: u64,
) -> Result<Option<Note>, StoreError> {
    write
        .open_table(NOTES)?
        .get((mandataire, id))?
        .map(|v| decode(v.value()))
        .transpose()
}

pub fn delete(write: &WriteTransaction, note: &Note) -> Result<(), StoreError> {
    write
        .open_table(NOTES)?
        .remove((note.mandataire, note.id))?;
    Ok(())
}

//! What crosses the wire for the public pages: the landing page's commune look-up, the guides.

use serde::{Deserialize, Serialize};

use crate::api::Suggestion;

/// What the server knows of the chosen place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceInfo {
    pub id: String,
    pub label: String,
    pub departement: String,
    pub region: String,
    pub population: u32,
    pub coordinates: Option<(f64, f64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CommuneLookup {
    Empty,
    Found(PlaceInfo),
    NotFound {
        typed: String,
    },
    Several {
        typed: String,
        options: Vec<Suggestion>,
    },
}

/// A rendered guide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Guide {
    pub title: String,
    pub sommaire: Vec<SommaireEntry>,
    /// Made by pulldown-cmark from the embedded Markdown (raw HTML in it is escaped).
    pub html: String,
}

/// A heading of a guide, for its "Sommaire".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SommaireEntry {
    pub id: String,
    pub text: String,
    /// 2 or 3.
    pub level: u8,
}

/// What the "Mentions légales" page says of retention (issue 19), from the server's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    pub mesures_eteintes_ans: u32,
    pub comptes_desactives_ans: u32,
    pub session_minutes: i64,
    pub session_heures: i64,
}

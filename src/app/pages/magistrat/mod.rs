//! The magistrat space (SPEC §6). This part: "Réserver une mesure" (§6.3) and "Mesures réservées" (§6.4,
//! the list). Bodies in `server::reservations`, each requiring the magistrat role and reaching only the
//! active mandataires who declared the magistrat's tribunal, and only that tribunal's reservations.

pub mod mesures;
pub mod reserver;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::app::components::form::{FormReply, FormState};

/// What a page of the space finds: the magistrat's header line, the one-time notice, a refused form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MagistratPage<T> {
    /// "<Prénom> <Nom> – <tribunal>".
    pub entete: String,
    pub notice: Option<String>,
    pub form: Option<FormState>,
    pub data: T,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservationTarget {
    pub mandataire_id: u64,
    pub mandataire: String,
    /// Disponibilité ≤ 0: the capacity warning shows (reserving is still allowed).
    pub complet: bool,
    pub values: FormState,
}

/// What "Réserver une mesure" posts (SPEC §6.3).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReservationForm {
    /// The mandataire's user id. A string: numbers do not survive serde's `flatten` of form fields.
    pub mandataire: String,
    pub nature: String,
    pub champ: String,
    pub genre: String,
    pub annee_naissance: String,
    pub numero_rg: String,
    pub cabinet: String,
}

/// One row of "Mesures réservées": never lieu de vie, commune or numéro de dossier (SPEC §6.4).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReservedRow {
    pub id: u64,
    pub mandataire: String,
    pub type_mesure: String,
    pub genre: String,
    pub annee_naissance: String,
    pub numero_rg: String,
    pub cabinet: String,
    pub reservee_le: String,
    pub reservee_par: String,
    pub etat: String,
    pub date_decision: String,
    pub date_fin: String,
}

#[server(endpoint = "magistrat/reservation")]
pub async fn reservation_page(id: u64) -> Result<MagistratPage<ReservationTarget>, ServerFnError> {
    crate::server::reservations::reservation_page(id)
}

#[server(endpoint = "magistrat/reserver")]
pub async fn reserve_mesure(
    #[server(flatten)] form: ReservationForm,
) -> Result<FormReply, ServerFnError> {
    crate::server::reservations::reserve(form)
}

#[server(endpoint = "magistrat/mesures")]
pub async fn reserved_mesures() -> Result<MagistratPage<Vec<ReservedRow>>, ServerFnError> {
    crate::server::reservations::reserved_page()
}

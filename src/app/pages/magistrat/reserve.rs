//! "Réserver une mesure" (SPEC §6.3) and its "Modifier" twin from "Mesures réservées" (§6.4): the same
//! fields, rules and messages.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    reservation_page, MagistratPage, MagistratSpaceHeader, ReservationTarget, ReserveMesure,
};
use crate::app::components::form::SelectField;
use crate::app::components::form::{
    form_state, FormErrors, FormState, RadioGroup, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;
use crate::rules::mesure::{Champ, Nature};

/// `/magistrat/mandataires/:id/reserver` (`edit` false) or `/magistrat/mesures/:id/modifier` (`edit` true).
#[component]
pub fn ReservePage(edit: bool) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, move |id| async move {
        match id {
            Some(id) if edit => reservation_page(None, Some(id)).await,
            Some(id) => reservation_page(Some(id), None).await,
            None => Err(AppError::NotFound),
        }
    });
    let (title, current) = if edit {
        ("Modifier la réservation", "mesures")
    } else {
        ("Réserver une mesure", "mandataires")
    };
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, form, data }) => view! {
                    <Title text=title/>
                    <div class="container wide">
                        <h1>{title}</h1>
                        <MagistratSpaceHeader current header notice/>
                        {match data.refus.clone() {
                            Some(message) => view! {
                                <p class="notice notice-error" role="alert">{message}</p>
                                <p><a href="/magistrat/mesures">"Retour"</a></p>
                            }.into_any(),
                            None => view! {
                                <ReserveForm target=data.clone() initial=form.unwrap_or(data.values)/>
                            }.into_any(),
                        }}
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReserveForm(target: ReservationTarget, initial: FormState) -> impl IntoView {
    let action = Submission::<ReserveMesure>::new();
    let state = form_state(action, initial);
    let back = if target.reservation.is_some() {
        "/magistrat/mesures".to_owned()
    } else {
        format!("/magistrat/mandataires/{}", target.mandataire_id)
    };
    view! {
        <p>{format!("Mandataire : {}", target.mandataire)}</p>
        <p class="notice notice-info">"Le mandataire recevra une alerte par email. Une fois la notification officielle reçue, le mandataire mettra à jour ses mesures en cours."</p>
        {target.suspendu.clone().map(|sentence| view! {
            <p class="notice notice-info" role="note">{format!("Attention : ce mandataire a suspendu son activité. {sentence} Vous pouvez tout de même lui réserver cette mesure.")}</p>
        })}
        {target.complet.then(|| view! {
            <p class="notice notice-info" role="note">"Attention : ce mandataire a atteint le nombre de mesures qu'il souhaite. Vous pouvez tout de même lui réserver cette mesure."</p>
        })}
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="mandataire" value=target.mandataire_id/>
            <input type="hidden" name="reservation" value=target.reservation.map(|id| id.to_string()).unwrap_or_default()/>
            <SelectField state name="nature" label="Type de mesure" required=true
                empty="Choisissez le type de mesure" options=Nature::options()/>
            <SelectField state name="champ" label="Champ de la mesure" empty="Non précisé" options=Champ::options()/>
            <RadioGroup state name="genre" legend="Genre du majeur" required=true options=vec![("F", "Femme"), ("H", "Homme")]/>
            <TextField state name="annee_naissance" label="Année de naissance du majeur" required=true inputmode="numeric"/>
            <TextField state name="numero_rg" label="Numéro RG"/>
            <TextField state name="cabinet" label="Cabinet"/>
            <TextField state name="date_jugement" label="Date prévisionnelle du jugement" hint="Facultative. Au format jj/mm/aaaa."/>
            <fieldset class="field">
                <legend>"Demande urgente"</legend>
                <div class="choice">
                    <input type="checkbox" id="urgente" name="urgente" value="oui"
                        checked=state.with_untracked(|(form, _)| form.value("urgente") == "oui")/>
                    <label for="urgente">"Oui, c'est une demande urgente"</label>
                </div>
            </fieldset>
            {target.antennes.clone().map(|options| view! {
                <crate::app::components::form::OptionsField state name="antenne" label="Antenne"
                    empty="Le service (sans antenne précise)" options/>
            })}
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href=back>"Annuler"</a>
            </div>
        </PostForm>
    }
}

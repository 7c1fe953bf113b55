//! "Réserver une mesure" (SPEC §6.3).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{reservation_page, MagistratPage, ReservationTarget, ReserveMesure};
use crate::app::components::form::{
    form_state, FormErrors, Notice, RadioGroup, TextField, REQUIRED_NOTICE,
};
use crate::app::pages::mandataire::mesure_form::SelectField;
use crate::app::pages::mandataire::LoadError;
use crate::rules::mesure::{Champ, Nature};

#[component]
pub fn ReservePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => reservation_page(id).await,
            None => Err(ServerFnError::ServerError("Page introuvable".into())),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.get().map(|result| match result {
                Ok(MagistratPage { entete, notice, form, data }) => view! {
                    <Title text="Réserver une mesure"/>
                    <div class="container wide">
                        <h1>"Réserver une mesure"</h1>
                        <p class="space-name">{entete}</p>
                        {notice.map(|message| view! { <Notice message/> })}
                        <ReserveForm target=data.clone() initial=form.unwrap_or(data.values)/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReserveForm(
    target: ReservationTarget,
    initial: crate::app::components::form::FormState,
) -> impl IntoView {
    let action = ServerAction::<ReserveMesure>::new();
    let state = form_state(action, initial);
    view! {
        <p>{format!("Mandataire : {}", target.mandataire)}</p>
        <p class="notice notice-info">"Le mandataire recevra une alerte par email. Une fois la notification officielle reçue, le mandataire mettra à jour ses mesures en cours."</p>
        {target.complet.then(|| view! {
            <p class="notice notice-info" role="note">"Attention : ce mandataire a atteint le nombre de mesures qu'il souhaite. Vous pouvez tout de même lui réserver cette mesure."</p>
        })}
        <ActionForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="mandataire" value=target.mandataire_id/>
            <SelectField state name="nature" label="Type de mesure" required=true
                empty="Choisissez le type de mesure" options=Nature::options()/>
            <SelectField state name="champ" label="Champ de la mesure" empty="Non précisé" options=Champ::options()/>
            <RadioGroup state name="genre" legend="Genre du majeur" required=true options=vec![("F", "Femme"), ("H", "Homme")]/>
            <TextField state name="annee_naissance" label="Année de naissance du majeur" required=true inputmode="numeric"/>
            <TextField state name="numero_rg" label="Numéro RG"/>
            <TextField state name="cabinet" label="Cabinet"/>
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href="/magistrat/mandataires">"Annuler"</a>
            </div>
        </ActionForm>
    }
}

//! "Mettre fin au mandat" (SPEC §5.4): the mesure's summary, the end date and the cause, "Eteindre la mesure".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{end_page, EndMesure, MesureSummary, SpaceHeader, SpacePage};
use crate::app::components::form::SelectField;
use crate::app::components::form::{form_state, FormErrors, FormState, TextField, REQUIRED_NOTICE};
use crate::app::components::load_error::LoadError;
use crate::rules::mesure::CauseSortie;

#[component]
pub fn EndMesurePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => end_page(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <Title text="Mettre fin au mandat"/>
                    <div class="container wide">
                        <h1>"Mettre fin au mandat"</h1>
                        <SpaceHeader current="en_cours" header notice/>
                        <EndForm summary=data initial=form.unwrap_or_default()/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn EndForm(summary: MesureSummary, initial: FormState) -> impl IntoView {
    let action = Submission::<EndMesure>::new();
    let state = form_state(action, initial.clone());
    view! {
        <dl class="facts">
            {summary.facts.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        <p>"Une fois cette opération effectuée, vous retrouverez cette mesure dans l'onglet « Mesures éteintes »."</p>
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="id" value=initial.value("id")/>
            <TextField state name="date_fin" label="Date de fin de mandat" required=true
                hint="Au format jj/mm/aaaa, par exemple 15/03/2024."/>
            <SelectField state name="cause_sortie" label="Cause de sortie" empty="Non précisée"
                options=CauseSortie::options()/>
            <div class="form-actions">
                <button type="submit" class="button">"Eteindre la mesure"</button>
                <a href="/mandataire/mesures">"Retour"</a>
            </div>
        </PostForm>
    }
}

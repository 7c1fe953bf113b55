//! "Refuser la mesure" (issue 17): a reservation declined with a required reason, which the reserving
//! magistrat receives by e-mail and sees in "Mesures réservées".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{MesureSummary, SpaceHeader, SpacePage};
use crate::api::mandataire::DeclineForm;
use crate::api::AppError;
use crate::app::components::form::{
    form_state, FormErrors, FormReply, FormState, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "mandataire/mesure/refus")]
pub async fn decline_page(id: u64) -> Result<SpacePage<MesureSummary>, AppError> {
    crate::server::mandataire::answers::decline_page(id)
}

#[server(endpoint = "mandataire/mesure/refuser")]
pub async fn decline(#[server(flatten)] form: DeclineForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::answers::decline(form)
}

#[component]
pub fn DeclineMesurePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => decline_page(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Refuser la mesure"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Refuser la mesure"</h1>
                        <SpaceHeader current="en_attente" header notice/>
                        <DeclineView summary=data initial=form.unwrap_or_default()/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DeclineView(summary: MesureSummary, initial: FormState) -> impl IntoView {
    let action = Submission::<Decline>::new();
    let state = form_state(action, initial.clone());
    view! {
        <dl class="facts">
            {summary.facts.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        <p>"Le magistrat qui a réservé cette mesure reçoit votre motif par email et le voit dans ses mesures réservées. La mesure quitte vos mesures en attente."</p>
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="id" value=initial.value("id")/>
            <TextField state name="motif" label="Motif du refus" required=true
                hint="500 caractères au plus. Par exemple : capacité atteinte, conflit d'intérêts."/>
            <div class="form-actions">
                <button type="submit" class="button">"Refuser la mesure"</button>
                <a href="/mandataire/mesures/en-attente">"Annuler"</a>
            </div>
        </PostForm>
    }
}

//! "Supprimer la mesure" (SPEC §5.8, issue 17): a mistaken entry, deleted after this confirmation page; a
//! mesure a magistrat reserved shows why it cannot be.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{MesureSummary, SpaceHeader, SpacePage};
use crate::api::AppError;
use crate::app::components::form::FormReply;
use crate::app::components::load_error::LoadError;

#[server(endpoint = "mandataire/mesure/suppression")]
pub async fn delete_page(id: u64) -> Result<SpacePage<MesureSummary>, AppError> {
    crate::server::mandataire::delete_page(id)
}

#[server(endpoint = "mandataire/mesure/supprimer")]
pub async fn delete_mesure(id: u64) -> Result<FormReply, AppError> {
    crate::server::mandataire::delete(id)
}

#[component]
pub fn DeleteMesurePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => delete_page(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Supprimer la mesure"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, data, .. }) => view! {
                    <div class="container wide">
                        <h1>"Supprimer la mesure"</h1>
                        <SpaceHeader current="en_cours" header notice/>
                        <DeleteView id=id().unwrap_or_default() summary=data/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DeleteView(id: u64, summary: MesureSummary) -> impl IntoView {
    let action = Submission::<DeleteMesure>::new();
    view! {
        <dl class="facts">
            {summary.facts.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        {match summary.refus {
            Some(refus) => view! {
                <div class="notice notice-error" role="alert">{refus}</div>
                <p><a href="/mandataire/mesures">"Retour aux mesures"</a></p>
            }.into_any(),
            None => view! {
                <p>"Supprimez une mesure seulement si elle a été enregistrée par erreur : elle disparaît de vos mesures et de vos chiffres. Une mesure terminée se clôt avec « Mettre fin au mandat »."</p>
                <PostForm action attr:class="form">
                    <input type="hidden" name="id" value=id/>
                    <div class="form-actions">
                        <button type="submit" class="button">"Supprimer la mesure"</button>
                        <a href="/mandataire/mesures">"Annuler"</a>
                    </div>
                </PostForm>
            }.into_any(),
        }}
    }
}

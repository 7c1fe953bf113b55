//! "/admin/tribunaux" (+ "/nouveau", "/:id"): search, filters, create, edit, close (SPEC §7 "Tribunaux").

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::app::components::load_error::LoadError;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminTabs;
pub use crate::api::admin::{TribunalForm, TribunalRow, TribunauxPage};
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{
    form_state, saved_message, FormErrors, FormReply, FormState, Notice, TextField, REQUIRED_NOTICE,
};
use crate::app::components::pager::Pager;
use crate::rules::tribunal::TribunalType;

#[server(endpoint = "admin/tribunaux")]
pub async fn admin_tribunaux(
    #[server(default)] q: String,
    #[server(default)] type_tribunal: String,
    #[server(default)] etat: String,
    #[server(default)] page: usize,
) -> Result<TribunauxPage, AppError> {
    crate::server::admin::tribunaux::tribunaux_page(&q, &type_tribunal, &etat, page)
}

/// The form's values of a stored tribunal, and whether it is active.
#[server(endpoint = "admin/tribunal")]
pub async fn admin_tribunal(id: u64) -> Result<(FormState, bool), AppError> {
    crate::server::admin::tribunaux::tribunal_form(id)
}

#[server(endpoint = "admin/tribunal/enregistrer")]
pub async fn save_tribunal(#[server(flatten)] form: TribunalForm) -> Result<FormReply, AppError> {
    crate::server::admin::tribunaux::save_tribunal(form)
}

#[server(endpoint = "admin/tribunal/fermer")]
pub async fn close_tribunal(id: u64) -> Result<FormReply, AppError> {
    crate::server::admin::tribunaux::close_tribunal(id)
}

const TYPES: [(&str, &str); 5] = [
    ("", "Tous"),
    ("TJ", "Tribunal judiciaire"),
    ("TPROX", "Tribunal de proximité"),
    ("TPI", "Tribunal de première instance"),
    ("TI", "Tribunal d'instance"),
];

#[component]
pub fn TribunauxPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("type").unwrap_or_default(),
                q.get("etat").unwrap_or_default(),
                q.get("page")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(1_usize),
            )
        })
    };
    let data = Resource::new(params, |(q, t, etat, page)| async move {
        let flash = take_page_flash(String::new()).await.unwrap_or_default();
        admin_tribunaux(q, t, etat, page)
            .await
            .map(|p| (p, flash.notice))
    });
    view! {
        <Title text="Tribunaux"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <AdminTabs current="tribunaux"/>
            <h2>"Tribunaux"</h2>
            <ul class="actions">
                <li><a class="button" href="/admin/tribunaux/nouveau">"Ajouter un tribunal"</a></li>
                <li><a class="button button-secondary" href="/admin/tribunaux/import">"Importer des tribunaux"</a></li>
            </ul>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok((page, notice)) => {
                        let (q, t, etat, _) = params();
                        let base = format!("/admin/tribunaux?q={q}&type={t}&etat={etat}");
                        view! {
                            {notice.map(|message| view! { <Notice message/> })}
                            <form method="get" action="/admin/tribunaux" class="filters" role="search" aria-label="Filtrer les tribunaux">
                                <div class="field">
                                    <label for="q">"Rechercher"</label>
                                    <input type="search" id="q" name="q" value=q.clone()/>
                                </div>
                                <div class="field">
                                    <label for="type">"Type"</label>
                                    <select id="type" name="type">
                                        {TYPES.into_iter().map(|(v, l)| view! { <option value=v selected=t == v>{l}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="etat">"État"</label>
                                    <select id="etat" name="etat">
                                        <option value="" selected=etat.is_empty()>"Tous"</option>
                                        <option value="actifs" selected=etat == "actifs">"Actifs"</option>
                                        <option value="fermes" selected=etat == "fermes">"Fermés"</option>
                                    </select>
                                </div>
                                <button type="submit" class="button">"Filtrer"</button>
                            </form>
                            <p>{crate::rules::format::plural(page.total, "tribunal", "tribunaux")}</p>
                            <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                                <table>
                                    <caption>"Tribunaux"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Nom"</th>
                                            <th scope="col">"Type"</th>
                                            <th scope="col">"Ville"</th>
                                            <th scope="col">"SIRET"</th>
                                            <th scope="col">"État"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| view! {
                                            <tr>
                                                <th scope="row"><a href=format!("/admin/tribunaux/{}", row.id)>{row.nom}</a></th>
                                                <td>{row.type_label}</td>
                                                <td>{row.ville}</td>
                                                <td>{row.siret}</td>
                                                <td>{if row.actif { "Actif" } else { "Fermé" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager base page=page.page has_next=page.has_next/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// "/admin/tribunaux/nouveau" and "/admin/tribunaux/:id".
#[component]
pub fn TribunalPage() -> impl IntoView {
    let params = use_params_map();
    // "nouveau" has no id: an empty form.
    let id = move || params.with(|p| p.get("id").map(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        let flash = take_page_flash("tribunal".to_owned())
            .await
            .unwrap_or_default();
        match id {
            None => Ok((flash.form.unwrap_or_default(), true, 0, flash.notice)),
            Some(None) => Err(AppError::NotFound),
            Some(Some(id)) => admin_tribunal(id)
                .await
                .map(|(stored, actif)| (flash.form.unwrap_or(stored), actif, id, flash.notice)),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok((initial, actif, id, notice)) => view! { <TribunalEditor initial actif id notice/> }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn TribunalEditor(
    initial: FormState,
    actif: bool,
    id: u64,
    notice: Option<String>,
) -> impl IntoView {
    let action = Submission::<SaveTribunal>::new();
    let close = Submission::<CloseTribunal>::new();
    let state = form_state(action, initial.clone());
    let saved = saved_message(action);
    let closed = saved_message(close);
    let title = if id == 0 {
        "Ajouter un tribunal".to_owned()
    } else {
        format!("Modifier « {} »", initial.value("nom"))
    };
    let current_type = initial.value("type_tribunal");
    let type_error = move || state.with(|(form, _)| form.error("type_tribunal"));
    view! {
        <Title text=title.clone()/>
        <div class="container wide">
            <AdminTabs current="tribunaux"/>
            <h1>{title}</h1>
            // The last message only: a save with JavaScript replaces the notice the page came with.
            {move || closed().or_else(saved).or_else(|| notice.clone()).map(|message| view! { <Notice message/> })}
            <PostForm action attr:novalidate=true attr:class="form">
                <p class="required-notice">{REQUIRED_NOTICE}</p>
                <FormErrors state/>
                <input type="hidden" name="id" value=id/>
                <div class="field" class:field-has-error=move || type_error().is_some()>
                    <label for="type_tribunal">"Type *"</label>
                    {move || type_error().map(|message| view! { <crate::app::components::form::FieldError field_id="type_tribunal".to_owned() message/> })}
                    <select id="type_tribunal" name="type_tribunal" aria-invalid=move || type_error().map(|_| "true")>
                        <option value="">"Choisir…"</option>
                        {TribunalType::ALL.into_iter().map(|t| view! {
                            <option value=t.code() selected=current_type == t.code()>{format!("{} ({})", t.label(), t.code())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField state name="nom" label="Nom" required=true/>
                <TextField state name="siret" label="SIRET" inputmode="numeric" hint="14 chiffres"/>
                <TextField state name="adresse" label="Adresse"/>
                <TextField state name="adresse_complement" label="Complément d'adresse"/>
                <TextField state name="code_postal" label="Code postal" inputmode="numeric"/>
                <TextField state name="ville" label="Ville"/>
                <TextField state name="code_insee" label="Code INSEE de la commune" required=true hint="Par exemple : 62193 pour Calais"/>
                <TextField state name="telephone" label="Téléphone" input_type="tel"/>
                <TextField state name="email" label="Adresse email" input_type="email"/>
                <TextField state name="juridiction_parente" label="Juridiction parente"/>
                <TextField state name="date_ouverture" label="Date d'ouverture" hint="jj/mm/aaaa"/>
                <TextField state name="date_fermeture" label="Date de fermeture" hint="jj/mm/aaaa"/>
                <button type="submit" class="button">"Enregistrer"</button>
            </PostForm>
            {move || (id != 0 && actif && closed().is_none()).then(|| view! {
                <PostForm action=close attr:class="form">
                    <input type="hidden" name="id" value=id/>
                    <p>"Un tribunal fermé n'est plus proposé à l'inscription ni dans la recherche ; ses liens et ses mesures restent."</p>
                    <button type="submit" class="button button-secondary">"Fermer le tribunal"</button>
                </PostForm>
            })}
            {move || (!actif || closed().is_some()).then(|| view! { <p class="tag">"Ce tribunal est fermé."</p> })}
            <p><a href="/admin/tribunaux">"Retour"</a></p>
        </div>
    }
}

//! "/admin/etablissements" (+ "/:id"): search, detail, close (SPEC §7 "Établissements").

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::app::components::load_error::LoadError;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminTabs;
pub use crate::api::admin::{EtablissementRow, EtablissementsPage};
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{saved_message, version_of, FormReply, Notice};
use crate::app::components::pager::Pager;

#[server(endpoint = "admin/etablissements")]
pub async fn admin_etablissements(
    #[server(default)] q: String,
    #[server(default)] page: usize,
) -> Result<EtablissementsPage, AppError> {
    crate::server::admin::etablissements::etablissements_page(&q, page)
}

/// (label, value) facts of one établissement, and whether it is closed.
#[server(endpoint = "admin/etablissement")]
pub async fn admin_etablissement(
    finess: String,
) -> Result<(String, Vec<(String, String)>, bool), AppError> {
    crate::server::admin::etablissements::etablissement(&finess)
}

#[server(endpoint = "admin/etablissement/fermer")]
pub async fn close_etablissement(finess: String) -> Result<FormReply, AppError> {
    crate::server::admin::etablissements::close_etablissement(&finess)
}

#[component]
pub fn EtablissementsPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("q").unwrap_or_default(),
                q.get("page")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(1_usize),
            )
        })
    };
    let data = Resource::new(params, |(q, page)| async move {
        let flash = take_page_flash(String::new()).await.unwrap_or_default();
        admin_etablissements(q, page)
            .await
            .map(|p| (p, flash.notice))
    });
    view! {
        <Title text="Établissements"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <AdminTabs current="etablissements"/>
            <h2>"Établissements"</h2>
            <ul class="actions">
                <li><a class="button button-secondary" href="/admin/etablissements/import">"Importer des établissements"</a></li>
            </ul>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok((page, notice)) => {
                        let (q, _) = params();
                        let base = format!("/admin/etablissements?q={q}");
                        view! {
                            {notice.map(|message| view! { <Notice message/> })}
                            <form method="get" action="/admin/etablissements" class="filters" role="search" aria-label="Rechercher un établissement">
                                <div class="field">
                                    <label for="q">"Nom, commune ou numéro FINESS"</label>
                                    <input type="search" id="q" name="q" value=q.clone()/>
                                </div>
                                <button type="submit" class="button">"Rechercher"</button>
                            </form>
                            <p>{crate::rules::format::plural(page.total, "établissement", "établissements")}</p>
                            <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                                <table>
                                    <caption>"Établissements"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Nom"</th>
                                            <th scope="col">"FINESS"</th>
                                            <th scope="col">"Commune"</th>
                                            <th scope="col">"Catégorie"</th>
                                            <th scope="col">"État"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|row| view! {
                                            <tr>
                                                <th scope="row"><a href=format!("/admin/etablissements/{}", row.finess)>{row.nom}</a></th>
                                                <td>{row.finess}</td>
                                                <td>{row.commune}</td>
                                                <td>{row.categorie}</td>
                                                <td>{if row.ferme { "Fermé" } else { "Ouvert" }}</td>
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

#[component]
pub fn EtablissementPage() -> impl IntoView {
    let params = use_params_map();
    let finess = move || params.with(|p| p.get("id").unwrap_or_default());
    let close = Submission::<CloseEtablissement>::new();
    let version = version_of(close);
    let data = Resource::new(
        move || (finess(), version()),
        |(finess, _)| async move {
            let flash = take_page_flash(String::new()).await.unwrap_or_default();
            admin_etablissement(finess)
                .await
                .map(|found| (found, flash.notice))
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(((nom, facts, ferme), notice)) => {
                    let finess = finess();
                    let notice = notice.or_else(saved_message(close));
                    view! {
                        <Title text=nom.clone()/>
                        <div class="container wide">
                            <AdminTabs current="etablissements"/>
                            <h1>{nom}</h1>
                            {notice.map(|message| view! { <Notice message/> })}
                            <dl class="facts">
                                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                            </dl>
                            {if ferme {
                                view! { <p class="tag">"Cet établissement est fermé : il n'est plus proposé dans la recherche."</p> }.into_any()
                            } else {
                                view! {
                                    <PostForm action=close>
                                        <input type="hidden" name="finess" value=finess/>
                                        <button type="submit" class="button button-secondary">"Fermer l'établissement"</button>
                                    </PostForm>
                                }.into_any()
                            }}
                            <p><a href="/admin/etablissements">"Retour"</a></p>
                        </div>
                    }.into_any()
                }
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

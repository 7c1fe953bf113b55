//! "/admin/journal" (SPEC §7 "Journal", §12): filters period, action, user.

use leptos::prelude::*;

use crate::app::components::load_error::LoadError;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{admin_journal, AdminTabs, AuditRow};
use crate::app::components::pager::Pager;

#[component]
pub fn JournalPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        query.with(|q| {
            (
                q.get("action").unwrap_or_default(),
                q.get("utilisateur").unwrap_or_default(),
                q.get("du").unwrap_or_default(),
                q.get("au").unwrap_or_default(),
                q.get("page")
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(1_usize),
            )
        })
    };
    let data = Resource::new(params, |(action, utilisateur, du, au, page)| {
        admin_journal(action, utilisateur, du, au, page)
    });
    view! {
        <Title text="Journal"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <AdminTabs current="journal"/>
            <h2>"Journal"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(page) => {
                        let (action, utilisateur, du, au, _) = params();
                        let base = format!("/admin/journal?action={action}&utilisateur={utilisateur}&du={du}&au={au}");
                        view! {
                            <form method="get" action="/admin/journal" class="filters" role="search" aria-label="Filtrer le journal">
                                <div class="field">
                                    <label for="du">"Du"</label>
                                    <input type="date" id="du" name="du" value=du.clone()/>
                                </div>
                                <div class="field">
                                    <label for="au">"Au"</label>
                                    <input type="date" id="au" name="au" value=au.clone()/>
                                </div>
                                <div class="field">
                                    <label for="action">"Action"</label>
                                    <select id="action" name="action">
                                        <option value="">"Toutes"</option>
                                        {page.actions.iter().map(|a| view! {
                                            <option value=a.clone() selected=*a == action>{a.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="utilisateur">"Utilisateur"</label>
                                    <input type="search" id="utilisateur" name="utilisateur" value=utilisateur.clone()/>
                                </div>
                                <button type="submit" class="button">"Filtrer"</button>
                            </form>
                            <p>{crate::rules::format::plural(page.total, "événement", "événements")}</p>
                            <AuditTable rows=page.rows caption="Journal des actions"/>
                            <Pager base page=page.page has_next=page.has_next/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn AuditTable(rows: Vec<AuditRow>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Utilisateur"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Objet"</th>
                        <th scope="col">"Adresse IP"</th>
                        <th scope="col">"Résultat"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.date}</td>
                            <td>{row.utilisateur}</td>
                            <td>{row.action}</td>
                            <td>{row.objet}</td>
                            <td>{row.ip}</td>
                            <td>{row.resultat}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

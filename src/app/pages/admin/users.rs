//! "/admin/utilisateurs" and "/admin/utilisateurs/:id" (SPEC §7 "Utilisateurs").

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;

use crate::app::components::html::{put, Escaped};
use crate::app::components::load_error::LoadError;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use super::{
    admin_user, admin_users, AdminTabs, ChangeTribunal, SendResetLink, SetAccountStatus,
    UserFilter, UserRow,
};
use crate::app::components::combobox::AutocompleteField;
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{saved_message, version_of, Notice};
use crate::app::components::pager::Pager;

const TYPES: [(&str, &str); 7] = [
    ("", "Tous"),
    ("individuel", "Mandataires individuels"),
    ("prepose", "Préposés"),
    ("service", "Services"),
    ("magistrat", "Magistrats"),
    ("greffier", "Greffiers"),
    ("admin", "Administrateurs"),
];

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let filter = move || {
        query.with(|q| UserFilter {
            onglet: q.get("onglet").unwrap_or_default(),
            type_compte: q.get("type").unwrap_or_default(),
            q: q.get("q").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    };
    let data = Resource::new(filter, |filter| async move {
        let flash = take_page_flash(String::new()).await.unwrap_or_default();
        admin_users(filter).await.map(|page| (page, flash.notice))
    });
    view! {
        <Title text="Utilisateurs"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok((page, notice)) => {
                        let f = filter();
                        let waiting_tab = f.onglet == "en-attente";
                        let search = location.search.get_untracked();
                        let here = if search.is_empty() {
                            "/admin/utilisateurs".to_owned()
                        } else {
                            format!("/admin/utilisateurs?{}", search.trim_start_matches('?'))
                        };
                        let base = format!("/admin/utilisateurs?{}", page.base);
                        view! {
                            <AdminTabs current="utilisateurs"/>
                            <h2>"Utilisateurs"</h2>
                            {notice.map(|message| view! { <Notice message/> })}
                            {(!page.a_supprimer.is_empty()).then(|| view! {
                                <div class="notice notice-warning" role="region" aria-label="Suppressions prochaines">
                                    <p>"Ces comptes désactivés seront supprimés automatiquement dans moins de 30 jours (durée de conservation), avec leurs données. Réactivez-les pour les garder :"</p>
                                    <ul>{page.a_supprimer.clone().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                                </div>
                            })}
                            <nav class="subtabs" aria-label="État des comptes">
                                <ul>
                                    <li><a href="/admin/utilisateurs?onglet=actifs" aria-current=(!waiting_tab).then_some("page")>{format!("Actifs ({})", page.actifs)}</a></li>
                                    <li><a href="/admin/utilisateurs?onglet=en-attente" aria-current=waiting_tab.then_some("page")>{format!("En attente de validation ({})", page.en_attente)}</a></li>
                                </ul>
                            </nav>
                            <form method="get" action="/admin/utilisateurs" class="filters" role="search" aria-label="Filtrer les utilisateurs">
                                <input type="hidden" name="onglet" value=if waiting_tab { "en-attente" } else { "actifs" }/>
                                <div class="field">
                                    <label for="type">"Type"</label>
                                    <select id="type" name="type">
                                        {TYPES.into_iter().map(|(value, label)| view! {
                                            <option value=value selected=f.type_compte == value>{label}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="q">"Rechercher"</label>
                                    <input type="search" id="q" name="q" value=f.q.clone()/>
                                </div>
                                <button type="submit" class="button">"Filtrer"</button>
                            </form>
                            <p>{crate::rules::format::plural(page.total, "compte", "comptes")}</p>
                            // "Exporter les utilisateurs" (issue 19): plain links with the list's controls.
                            {(page.total > 0).then(|| {
                                let controls = page.base.clone();
                                view! {
                                    <p class="actions-inline">
                                        <a class="button button-secondary" href=format!("/admin/utilisateurs/export/utilisateurs.csv?{controls}") rel="external" download="">
                                            "Exporter les utilisateurs (CSV)"</a>
                                        " "
                                        <a class="button button-secondary" href=format!("/admin/utilisateurs/export/utilisateurs.xlsx?{controls}") rel="external" download="">
                                            "Exporter les utilisateurs (Excel)"</a>
                                    </p>
                                }
                            })}
                            <UsersTable rows=page.rows retour=here/>
                            <Pager base page=page.page has_next=page.has_next/>
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The rows written as one string (`components::html`: a view per cell and an action form per row made
/// this the slowest page of the administration at national scale, issue 20). "Activer"/"Désactiver" is a
/// plain form posting to the server function, which answers with the page and its notice, with or without
/// JavaScript.
fn user_rows(rows: &[UserRow], retour: &str) -> String {
    let mut html = String::with_capacity(rows.len() * 700);
    for row in rows {
        put(
            &mut html,
            format_args!(
                "<tr><th scope=\"row\"><a href=\"/admin/utilisateurs/{}\">{}</a>{}</th>\
                 <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>",
                row.id,
                Escaped(&row.nom),
                if row.desactive {
                    " <span class=\"tag\">Désactivé</span>"
                } else {
                    ""
                },
                Escaped(&row.identifiant),
                Escaped(&row.email),
                Escaped(&row.type_compte),
                Escaped(&row.tribunaux),
                Escaped(&row.creation),
                Escaped(row.derniere_connexion.as_deref().unwrap_or("jamais")),
            ),
        );
        if !row.soi_meme || !row.actif {
            put(
                &mut html,
                format_args!(
                    "<form method=\"post\" action=\"/api/admin/utilisateurs/statut\">\
                     <input type=\"hidden\" name=\"id\" value=\"{}\"/>\
                     <input type=\"hidden\" name=\"activer\" value=\"{}\"/>\
                     <input type=\"hidden\" name=\"retour\" value=\"{}\"/>\
                     <button type=\"submit\" class=\"button-small\">{}<span class=\"visually-hidden\"> le compte de {}</span></button></form>",
                    row.id,
                    !row.actif,
                    Escaped(retour),
                    if row.actif { "Désactiver" } else { "Activer" },
                    Escaped(&row.nom),
                ),
            );
        }
        html.push_str("</td></tr>");
    }
    html
}

#[component]
fn UsersTable(rows: Vec<UserRow>, retour: String) -> impl IntoView {
    view! {
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table>
                <caption>"Comptes"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Nom"</th>
                        <th scope="col">"Identifiant"</th>
                        <th scope="col">"Adresse email"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Tribunal(aux)"</th>
                        <th scope="col">"Création"</th>
                        <th scope="col">"Dernière connexion"</th>
                        <th scope="col"><span class="visually-hidden">"Action"</span></th>
                    </tr>
                </thead>
                <tbody inner_html=user_rows(&rows, &retour)></tbody>
            </table>
        </div>
    }
}

#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let status = Submission::<SetAccountStatus>::new();
    let tribunal = Submission::<ChangeTribunal>::new();
    let reset = Submission::<SendResetLink>::new();
    let versions = (version_of(status), version_of(tribunal), version_of(reset));
    let data = Resource::new(
        move || (id(), versions.0(), versions.1(), versions.2()),
        |(id, _, _, _)| async move {
            match id {
                None => Err(AppError::NotFound),
                Some(id) => {
                    let flash = take_page_flash(String::new()).await.unwrap_or_default();
                    admin_user(id).await.map(|d| (d, flash.notice))
                }
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok((detail, notice)) => {
                    let retour = format!("/admin/utilisateurs/{}", detail.id);
                    let notice = notice
                        .or_else(saved_message(status))
                        .or_else(saved_message(tribunal))
                        .or_else(saved_message(reset));
                    let magistrat = detail.magistrat;
                    let detail_id = detail.id;
                    view! {
                        <Title text=format!("Compte de {}", detail.nom)/>
                        <div class="container wide">
                            <AdminTabs current="utilisateurs"/>
                            <h1>{format!("Compte de {}", detail.nom)}</h1>
                            {notice.map(|message| view! { <Notice message/> })}
                            <dl class="facts">
                                {detail.facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                            </dl>
                            <p class="actions-inline">
                                <a class="button" href=format!("/admin/utilisateurs/{}/modifier", detail.id)>"Modifier"</a>
                                " "
                                <a class="button button-secondary" href=format!("/admin/utilisateurs/{}/supprimer", detail.id)>"Supprimer le compte"</a>
                            </p>
                            <PostForm action=status>
                                <input type="hidden" name="id" value=detail.id/>
                                <input type="hidden" name="activer" value=(!detail.actif).to_string()/>
                                <input type="hidden" name="retour" value=retour/>
                                <button type="submit" class="button">{if detail.actif { "Désactiver" } else { "Activer" }}</button>
                            </PostForm>
                            {detail.actif.then(|| view! {
                                <h2>"Accès perdu"</h2>
                                <p>"L'utilisateur reçoit un lien pour choisir un nouveau mot de passe, valable 2 heures."</p>
                                <PostForm action=reset>
                                    <input type="hidden" name="id" value=detail_id/>
                                    <button type="submit" class="button button-secondary">"Envoyer un lien de réinitialisation"</button>
                                </PostForm>
                            })}
                            {magistrat.then(|| view! {
                                <h2>"Changer de tribunal"</h2>
                                <PostForm action=tribunal attr:class="form">
                                    <input type="hidden" name="id" value=detail_id/>
                                    <AutocompleteField kind="tribunaux" name="tribunal" label="Nouveau tribunal" required=false value="" selected_id=""
                                        hint=Some("Saisissez les premières lettres du nom ou de la ville du tribunal.".to_owned()) error=None/>
                                    <button type="submit" class="button">"Changer de tribunal"</button>
                                </PostForm>
                            })}
                            <h2>"Événements"</h2>
                            <super::journal::AuditTable rows=detail.events caption="Événements du compte"/>
                            <p><a href="/admin/utilisateurs">"Retour"</a></p>
                        </div>
                    }.into_any()
                }
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

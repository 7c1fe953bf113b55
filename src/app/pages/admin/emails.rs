//! "/admin/courriels" and "/admin/courriels/:id" (SPEC §7 "Courriels envoyés").

use leptos::prelude::*;

use crate::api::AppError;

use crate::api::admin::EmailsPage;
use crate::app::components::load_error::LoadError;
use crate::app::components::pager::Pager;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{admin_email, admin_emails, AdminTabs};

pub const NO_SMTP_BANNER: &str = "Aucun serveur SMTP n'est configuré : les courriels ne sont pas envoyés, ils sont consultables ici.";

/// A page's rows as one string (`components::html`: a view per cell made this page the slowest of the
/// administration with a national outbox, issue 20).
fn email_rows(rows: &[crate::api::admin::EmailRow]) -> String {
    use crate::app::components::html::{put, Escaped};
    let mut html = String::with_capacity(rows.len() * 200);
    for row in rows {
        put(
            &mut html,
            format_args!(
                "<tr><td>{}</td><td>{}</td><th scope=\"row\"><a href=\"/admin/courriels/{}\">{}</a></th><td>{}</td><td>{}</td></tr>",
                Escaped(&row.date),
                Escaped(&row.destinataire),
                row.id,
                Escaped(&row.objet),
                Escaped(&row.etat),
                row.tentatives
            ),
        );
    }
    html
}

#[component]
pub fn EmailsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1_usize)
        })
    };
    let data = Resource::new(page, admin_emails);
    view! {
        <Title text="Courriels envoyés"/>
        <div class="container wide">
            <h1>"Administration"</h1>
            <AdminTabs current="courriels"/>
            <h2>"Courriels envoyés"</h2>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Err(error) => view! { <LoadError error/> }.into_any(),
                    Ok(EmailsPage { smtp, rows, total, page, has_next }) => view! {
                        {(!smtp).then(|| view! { <p class="banner" role="note">{NO_SMTP_BANNER}</p> })}
                        <p>{crate::rules::format::plural(total, "courriel", "courriels")}</p>
                        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                            <table>
                                <caption>"Courriels des 90 derniers jours"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Date"</th>
                                        <th scope="col">"Destinataire"</th>
                                        <th scope="col">"Objet"</th>
                                        <th scope="col">"État"</th>
                                        <th scope="col">"Tentatives"</th>
                                    </tr>
                                </thead>
                                <tbody inner_html=email_rows(&rows)></tbody>
                            </table>
                        </div>
                        <Pager base="/admin/courriels".to_owned() page has_next/>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn EmailDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => admin_email(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(email) => view! {
                    <Title text=email.objet.clone()/>
                    <div class="container wide">
                        <AdminTabs current="courriels"/>
                        <h1>{email.objet.clone()}</h1>
                        <dl class="facts">
                            <dt>"Date"</dt><dd>{email.date}</dd>
                            <dt>"Destinataire"</dt><dd>{email.destinataire}</dd>
                            <dt>"État"</dt><dd>{email.etat}</dd>
                            <dt>"Tentatives"</dt><dd>{email.tentatives}</dd>
                            {email.envoye_le.map(|d| view! { <dt>"Envoyé le"</dt><dd>{d}</dd> })}
                            {email.erreur.map(|e| view! { <dt>"Dernière erreur"</dt><dd>{e}</dd> })}
                        </dl>
                        <h2>"Texte"</h2>
                        <pre class="email-text">{email.texte}</pre>
                        <p><a href="/admin/courriels">"Retour"</a></p>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

//! "/documentation" and the four user guides (SPEC §15). The guides are Markdown files rendered on the server
//! (`server::guides`); the page adds the "Sommaire" and "< Revenir à l'accueil".

use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub use crate::api::public::{Guide, SommaireEntry};
use crate::app::pages::errors::NotFound;

#[server(endpoint = "guides")]
pub async fn guide_titles() -> Result<Vec<(String, String)>, AppError> {
    Ok(crate::server::guides::titles())
}

#[server(endpoint = "guide")]
pub async fn rendered_guide(#[server(default)] slug: String) -> Result<Option<Guide>, AppError> {
    Ok(crate::server::guides::guide(&slug))
}

#[component]
pub fn DocumentationIndex() -> impl IntoView {
    let titles = Resource::new(|| (), |_| guide_titles());
    view! {
        <Title text="Documentation"/>
        <div class="container prose">
            <h1>"Documentation"</h1>
            <p>
                "Chaque guide décrit, écran par écran, ce que vous pouvez faire dans e-MJPM selon votre rôle. "
                "Une fois connecté, le lien « Aide » en haut de chaque page ouvre le guide de votre rôle."
            </p>
            <Suspense fallback=|| ()>
                {move || titles.try_get().flatten().map(|titles| view! {
                    <ul class="guide-list">
                        {titles.unwrap_or_default().into_iter().map(|(slug, title)| view! {
                            <li><a href=format!("/documentation/{slug}")>{title}</a></li>
                        }).collect_view()}
                    </ul>
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let params = use_params_map();
    let guide = Resource::new(
        move || params.with(|p| p.get("guide").unwrap_or_default()),
        rendered_guide,
    );
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || guide.try_get().flatten().map(|result| match result.ok().flatten() {
                Some(guide) => view! { <GuideView guide/> }.into_any(),
                None => view! { <NotFound/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn GuideView(guide: Guide) -> impl IntoView {
    let Guide {
        title,
        sommaire,
        html,
    } = guide;
    // The "Sommaire" nests the `###` headings under their `##`.
    let mut items: Vec<(SommaireEntry, Vec<SommaireEntry>)> = Vec::new();
    for entry in sommaire {
        match items.last_mut() {
            Some((_, children)) if entry.level > 2 => children.push(entry),
            _ => items.push((entry, Vec::new())),
        }
    }
    view! {
        <Title text=title.clone()/>
        <div class="container prose guide">
            <p class="back-link"><a href="/documentation">"< Revenir à l'accueil"</a></p>
            <h1>{title}</h1>
            <nav class="sommaire" aria-labelledby="sommaire">
                <h2 id="sommaire">"Sommaire"</h2>
                <ol>
                    {items.into_iter().map(|(entry, children)| view! {
                        <li>
                            <a href=format!("#{}", entry.id)>{entry.text}</a>
                            {(!children.is_empty()).then(|| view! {
                                <ol>
                                    {children.into_iter().map(|child| view! {
                                        <li><a href=format!("#{}", child.id)>{child.text}</a></li>
                                    }).collect_view()}
                                </ol>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            </nav>
            <div class="guide-body" inner_html=html></div>
        </div>
    }
}

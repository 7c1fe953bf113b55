//! The error pages of SPEC §2 "Errors" rendered by the app (404, 403); the 500 and "Requête refusée" pages
//! produced outside the app are in `server::errors`.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn ErrorPage(title: &'static str, message: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="container">
            <h1>{title}</h1>
            <p>{message}</p>
            <p><a href="/">"Revenir à l'accueil"</a></p>
        </div>
    }
}

#[cfg(feature = "ssr")]
fn set_status(status: axum::http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// "Page introuvable": a missing row, a row out of the user's scope, or an unknown address.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::NOT_FOUND);
    view! { <ErrorPage title="Page introuvable" message="La page demandée n'existe pas ou vous n'y avez pas accès."/> }
}

/// "Accès refusé": a section of another role.
#[component]
pub fn AccessDenied() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::FORBIDDEN);
    view! { <ErrorPage title="Accès refusé" message="Vous n'avez pas accès à cette page."/> }
}

//! The error pages of SPEC §2 "Errors" rendered by the app (404, 403); the 500 and "Requête refusée" pages
//! produced outside the app are in `server::errors`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;

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
    let (title, message) = AppError::NotFound.page();
    view! { <ErrorPage title message/> }
}

/// "Accès refusé": a section of another role.
#[component]
pub fn AccessDenied() -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::FORBIDDEN);
    let (title, message) = AppError::Forbidden.page();
    view! { <ErrorPage title message/> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn render(view: impl Fn() -> AnyView + 'static) -> String {
        let owner = Owner::new();
        owner.with(|| {
            leptos_meta::provide_meta_context();
            // Without the hydration markers, which are not part of the text.
            view().to_html().replace("<!>", "")
        })
    }

    #[test]
    fn error_pages_carry_their_french_texts() {
        let forbidden = render(|| view! { <AccessDenied/> }.into_any());
        assert!(forbidden.contains("<h1>Accès refusé</h1>"), "{forbidden}");
        assert!(
            forbidden.contains("<p>Vous n'avez pas accès à cette page.</p>"),
            "{forbidden}"
        );
        let missing = render(|| view! { <NotFound/> }.into_any());
        assert!(missing.contains("<h1>Page introuvable</h1>"), "{missing}");
    }
}

//! What a page shows when its data could not be read: "Page introuvable" for a missing row or one out of the
//! caller's scope, else "Une erreur est survenue…". Matched on the error's variant, never on its text.

use leptos::prelude::*;

use crate::api::AppError;
use crate::app::pages::errors::{AccessDenied, NotFound};

#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Forbidden => view! { <AccessDenied/> }.into_any(),
        other => view! { <p role="alert">{other.message()}</p> }.into_any(),
    }
}

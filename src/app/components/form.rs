//! Form parts shared by every form (SPEC §2 "Forms").

use leptos::prelude::*;

use crate::rules::{format, Suggestion};

/// The sentence every form opens with.
pub const REQUIRED_NOTICE: &str = "Les champs possédant un astérisque (*) sont obligatoires.";

/// The id of the message of field `field_id`, for `aria-describedby`.
pub fn error_id(field_id: &str) -> String {
    format!("{field_id}-erreur")
}

/// "Le formulaire contient <n> erreur(s) :" with a link to each field; focused when shown.
#[component]
pub fn ErrorSummary(
    /// (field id, message) pairs, in the order of the form.
    errors: Vec<(String, String)>,
) -> impl IntoView {
    let heading = format!(
        "Le formulaire contient {} :",
        format::plural(errors.len(), "erreur", "erreurs")
    );
    let node = NodeRef::<leptos::html::Div>::new();
    // With JavaScript, move the focus here after hydration too (`autofocus` covers the page load).
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            let _ = element.focus();
        }
    });
    view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus=true node_ref=node>
            <h2 class="error-summary-title">{heading}</h2>
            <ul>
                {errors
                    .into_iter()
                    .map(|(field, message)| view! { <li><a href=format!("#{field}")>{message}</a></li> })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The message under a field in error.
#[component]
pub fn FieldError(field_id: String, message: String) -> impl IntoView {
    view! { <p class="error-message" id=error_id(&field_id)>{message}</p> }
}

/// "Plusieurs résultats correspondent…": the radios that let a user without JavaScript pick one of the
/// matches of what they typed (SPEC §10).
#[component]
pub fn ChoiceList(name: &'static str, legend: String, options: Vec<Suggestion>) -> impl IntoView {
    view! {
        <fieldset class="choice-list">
            <legend>{legend}</legend>
            {options
                .into_iter()
                .enumerate()
                .map(|(i, option)| {
                    let id = format!("{name}-choix-{i}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=name value=option.id required=true/>
                            <label for=id>{option.label}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

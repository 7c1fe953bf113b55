//! "Commune", the communes autocomplete of the sign-up, profile and mesure forms.

use leptos::prelude::*;

use crate::api::form::FormState;
use crate::app::components::combobox::{AutocompleteField, Combobox};
use crate::app::components::form::ChoiceList;

/// "Commune", an autocomplete of communes; without JavaScript the server matches it with the code postal.
/// `in_island`: the form around is an island (the combobox is hydrated with it); otherwise the field is an
/// island of its own.
#[component]
pub fn CommuneField(
    state: Signal<(FormState, Option<String>)>,
    #[prop(optional)] in_island: bool,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value("commune"))
        .unwrap_or_default();
    let error = Signal::derive(move || state.try_with(|(form, _)| form.error("commune")).flatten());
    let choice = move || state.try_with(|(form, _)| form.choice("commune")).flatten();
    let hint = "Saisissez les premières lettres et choisissez dans la liste.";
    let field = if in_island {
        view! {
            <Combobox kind="communes" name="commune" label="Commune" required=true value=initial
                hint=Some(hint.to_owned()) error/>
        }
        .into_any()
    } else {
        view! {
            <AutocompleteField kind="communes" name="commune" label="Commune" required=true value=initial
                selected_id="" hint=Some(hint.to_owned()) error=error.try_get_untracked().flatten()/>
        }
        .into_any()
    };
    view! {
        {field}
        {move || choice().map(|(typed, options)| {
            let legend = if typed.is_empty() {
                "Plusieurs communes ont ce code postal : choisissez-en une.".to_owned()
            } else {
                format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
            };
            view! { <ChoiceList name="commune_choix" legend options/> }
        })}
    }
}

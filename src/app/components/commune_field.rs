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
    let initial = state.with_untracked(|(form, _)| form.value("commune"));
    let error = Signal::derive(move || state.with(|(form, _)| form.error("commune")));
    let choice = move || state.with(|(form, _)| form.choice("commune"));
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
                selected_id="" hint=Some(hint.to_owned()) error=error.get_untracked()/>
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

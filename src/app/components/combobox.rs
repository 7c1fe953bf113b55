//! The accessible autocomplete field (SPEC §10): an ARIA 1.2 combobox with a listbox popup, driven by
//! `/api/autocomplete/<kind>`.
//!
//! Progressive enhancement: the server renders a plain text input, which a form posts as typed and the
//! server resolves. Once the page is hydrated, the input becomes a combobox (role, `aria-expanded`,
//! `aria-controls`, `aria-activedescendant`), ↓/↑ move in the options, Enter picks, Escape closes, and a
//! live region announces "<n> résultats disponibles" / "Aucun résultat". A picked option also fills the
//! hidden `<name>_id` input, which the server prefers to the text.

use leptos::prelude::*;

use super::form::{error_id, FieldError};
use crate::rules::{Suggestion, AUTOCOMPLETE_MIN_CHARS};

/// The live-region text for `count` suggestions.
pub fn announcement(count: usize) -> String {
    match count {
        0 => "Aucun résultat".to_owned(),
        1 => "1 résultat disponible".to_owned(),
        n => format!("{n} résultats disponibles"),
    }
}

/// The combobox as an island, for server-rendered forms: its props travel to the browser, which hydrates it
/// alone. Forms that are islands themselves use `Combobox` directly.
#[island]
pub fn AutocompleteField(
    /// The autocomplete endpoint: `communes`, `tribunaux`, `etablissements`.
    #[prop(into)]
    kind: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    required: bool,
    #[prop(into)] value: String,
    #[prop(into)] selected_id: String,
    hint: Option<String>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <Combobox kind name label required value selected_id hint error=Signal::stored(error)/>
    }
}

#[component]
pub fn Combobox(
    /// The autocomplete endpoint: `communes`, `tribunaux`, `etablissements`.
    #[prop(into)]
    kind: String,
    /// Name (and id) of the text input; the hidden input of the picked id is `<name>_id`.
    #[prop(into)]
    name: String,
    #[prop(into)] label: String,
    #[prop(optional)] required: bool,
    #[prop(into)] value: String,
    #[prop(into, optional)] selected_id: String,
    #[prop(optional_no_strip)] hint: Option<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    /// Called with each picked option (JavaScript only), e.g. to tick a box elsewhere in the form.
    #[prop(optional)]
    on_pick: Option<Callback<Suggestion>>,
) -> impl IntoView {
    let listbox_id = format!("{name}-options");
    let hint_id = format!("{name}-aide");
    let enhanced = RwSignal::new(false);
    let text = RwSignal::new(value.clone());
    let chosen = RwSignal::new(selected_id);
    let options = RwSignal::new(Vec::<Suggestion>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let announce = RwSignal::new(String::new());
    let latest_request = StoredValue::new(0_u64);
    Effect::new(move |_| enhanced.set(true));
    // Copyable handles for the closures below.
    let kind = StoredValue::new(kind);
    let field = StoredValue::new(name.clone());
    let has_hint = hint.is_some();

    let option_id = {
        let listbox_id = listbox_id.clone();
        move |i: usize| format!("{listbox_id}-{i}")
    };
    let pick = move |i: usize| {
        if let Some(option) = options.with_untracked(|o| o.get(i).cloned()) {
            text.set(option.label.clone());
            chosen.set(option.id.clone());
            announce.set(format!("{} sélectionné", option.label));
            if let Some(callback) = on_pick {
                callback.run(option);
            }
        }
        open.set(false);
        active.set(None);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        text.set(typed.clone());
        chosen.set(String::new());
        active.set(None);
        if typed.trim().chars().count() < AUTOCOMPLETE_MIN_CHARS {
            options.set(Vec::new());
            open.set(false);
            announce.set(String::new());
            return;
        }
        let request = latest_request.get_value() + 1;
        latest_request.set_value(request);
        leptos::task::spawn_local(async move {
            let Some(found) = fetch_suggestions(&kind.get_value(), &typed).await else {
                return;
            };
            // An older answer arriving after a newer one is dropped.
            if latest_request.get_value() != request {
                return;
            }
            announce.set(announcement(found.len()));
            open.set(!found.is_empty());
            options.set(found);
        });
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if open.get_untracked() => {
                if let Some(i) = active.get_untracked() {
                    ev.prevent_default();
                    pick(i);
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };

    // The view reads its signals with `try_`: on the server, a leptos `Suspense` may walk this view again
    // after the request that owns them has ended (its client went away), and a plain read of a disposed
    // signal panics there (issue 20).
    let has_error = move || error.try_with(Option::is_some).unwrap_or(false);
    let described_by = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if has_error() {
                ids.push(error_id(&field.try_get_value().unwrap_or_default()));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let active_descendant = {
        let option_id = option_id.clone();
        move || {
            active
                .try_get()
                .flatten()
                .filter(|_| open.try_get().unwrap_or(false))
                .map(&option_id)
        }
    };
    let listbox_for_aria = listbox_id.clone();
    view! {
        <div class="field combobox" class:field-has-error=has_error>
            <label for=name.clone()>{label.clone()}{required.then_some(" *")}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {move || error.try_get().flatten().map(|message| view! { <FieldError field_id=field.try_get_value().unwrap_or_default() message/> })}
            <div class="combobox-wrapper">
                <input
                    type="text"
                    id=name.clone()
                    name=name.clone()
                    value=value
                    prop:value=move || text.try_get().unwrap_or_default()
                    required=required
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || has_error().then_some("true")
                    aria-describedby=described_by
                    role=move || enhanced.try_get().unwrap_or(false).then_some("combobox")
                    aria-autocomplete=move || enhanced.try_get().unwrap_or(false).then_some("list")
                    aria-expanded=move || enhanced.try_get().unwrap_or(false).then(|| open.try_get().unwrap_or(false).to_string())
                    aria-controls=move || enhanced.try_get().unwrap_or(false).then(|| listbox_for_aria.clone())
                    aria-activedescendant=active_descendant
                    on:input=on_input
                    on:keydown=on_keydown
                    on:blur=move |_| open.set(false)
                />
                {move || enhanced.try_get().unwrap_or(false).then(|| view! {
                    <input type="hidden" name=format!("{}_id", field.try_get_value().unwrap_or_default()) prop:value=move || chosen.try_get().unwrap_or_default()/>
                })}
                <ul
                    id=listbox_id.clone()
                    role="listbox"
                    aria-label=label.clone()
                    class="combobox-options"
                    hidden=move || !open.try_get().unwrap_or(false)
                >
                    {move || {
                        let option_id = option_id.clone();
                        options
                            .try_get()
                            .unwrap_or_default()
                            .into_iter()
                            .enumerate()
                            .map(|(i, option)| {
                                let selected = move || active.try_get().flatten() == Some(i);
                                view! {
                                    <li
                                        id=option_id(i)
                                        role="option"
                                        class="combobox-option"
                                        class:active=selected
                                        aria-selected=move || selected().to_string()
                                        on:mousedown=move |ev| {
                                            // Keeps the focus in the input so that blur does not close first.
                                            ev.prevent_default();
                                            pick(i);
                                        }
                                    >
                                        {option.label}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <div class="visually-hidden" role="status" aria-live="polite">{move || announce.try_get().unwrap_or_default()}</div>
        </div>
    }
}

/// Asks the server for suggestions; `None` when the request failed (the field then stays a plain input).
#[cfg(feature = "hydrate")]
async fn fetch_suggestions(kind: &str, typed: &str) -> Option<Vec<Suggestion>> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let url = format!(
        "/api/autocomplete/{kind}?q={}",
        String::from(js_sys::encode_uri_component(typed))
    );
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let body = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    serde_json::from_str(&body).ok()
}

/// On the server the field is never typed into: no request is ever made.
#[cfg(not(feature = "hydrate"))]
async fn fetch_suggestions(_kind: &str, _typed: &str) -> Option<Vec<Suggestion>> {
    None
}

#[cfg(test)]
mod tests {
    use super::announcement;

    #[test]
    fn announcements_follow_french_plural() {
        assert_eq!(announcement(0), "Aucun résultat");
        assert_eq!(announcement(1), "1 résultat disponible");
        assert_eq!(announcement(10), "10 résultats disponibles");
    }
}

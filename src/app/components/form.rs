//! Form parts shared by every form (SPEC §2 "Forms").

use leptos::prelude::*;

pub use crate::api::form::{FormReply, FormState, PageFlash};
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

/// A server function's submissions on a page: the action and its two signals, taken once where the action
/// is created. On the server, a leptos `Suspense` may walk a page's view again after its request has ended
/// (its client went away, the page's owner is disposed): `Action::version`/`value`, and leptos's own
/// `ActionForm`, read the action when a form is built and panic there. The forms built from a `Submission`
/// (`PostForm`, `form_state`, `saved_message`, `version_of`) read only these signals, with `try_`, when
/// they are used (issue 20).
pub struct Submission<S>
where
    S: leptos::server_fn::ServerFn + 'static,
    S::Output: 'static,
{
    pub action: ServerAction<S>,
    version: RwSignal<usize>,
    value: MappedSignal<Option<Result<S::Output, S::Error>>>,
}

impl<S> Clone for Submission<S>
where
    S: leptos::server_fn::ServerFn + 'static,
    S::Output: 'static,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Submission<S>
where
    S: leptos::server_fn::ServerFn + 'static,
    S::Output: 'static,
{
}

impl<S> Submission<S>
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let action = ServerAction::<S>::new();
        Self {
            action,
            version: action.version(),
            value: action.value(),
        }
    }

    /// How many times the action has answered (0 once the page's owner is gone).
    pub fn version(&self) -> usize {
        self.version.try_get().unwrap_or_default()
    }

    /// The last answer, if any (none once the page's owner is gone).
    pub fn reply(&self) -> Option<Result<S::Output, S::Error>>
    where
        S::Output: Clone,
        S::Error: Clone,
    {
        self.value.try_get().flatten()
    }
}

/// How many times an action has answered, for a resource's source.
pub fn version_of<S>(submission: Submission<S>) -> impl Fn() -> usize + Copy + Send + Sync + 'static
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    move || submission.version()
}

/// The message of a `Saved` answer (JavaScript), if the last submission got one.
pub fn saved_message<S>(submission: Submission<S>) -> impl Fn() -> Option<String> + Copy
where
    S: leptos::server_fn::ServerFn<Output = FormReply> + Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    move || match submission.reply() {
        Some(Ok(FormReply::Saved(message))) => Some(message),
        _ => None,
    }
}

/// The `<form method="post">` of a server function (leptos's `ActionForm`, which reads its action when it
/// is built; see `Submission`): without JavaScript the browser posts it; with JavaScript the submission is
/// dispatched to the action and the page follows its signals.
#[component]
pub fn PostForm<S, P>(action: Submission<S>, children: Children) -> impl IntoView
where
    S: serde::de::DeserializeOwned
        + leptos::server_fn::ServerFn<
            Protocol = leptos::server_fn::Http<leptos::server_fn::codec::PostUrl, P>,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: leptos::server_fn::error::FromServerFnError + Send + Sync + 'static,
{
    // A server function's redirect (a login, a saved form) is a full navigation: pages are islands, no
    // client-side router runs to take it. The first form of the page sets the hook, as `ActionForm` does.
    _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        if let Err(error) = window().location().set_href(location) {
            leptos::logging::error!("redirection impossible : {error:?}");
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::form::FromFormData;
        use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        match S::from_event(&ev) {
            Ok(input) => {
                action.action.dispatch(input);
            }
            Err(error) => {
                leptos::logging::error!("formulaire illisible : {error:?}");
                action
                    .value
                    .try_set(Some(Err(S::Error::from_server_fn_error(
                        ServerFnErrorErr::Serialization(error.to_string()),
                    ))));
                action.version.try_update(|n| *n += 1);
            }
        }
    };
    view! {
        <form action=S::url() method="post" on:submit=on_submit>
            {children()}
        </form>
    }
}

/// The one-time `role="status"` message of a success (SPEC §2 "Forms").
#[component]
pub fn Notice(message: String) -> impl IntoView {
    view! { <div class="notice" role="status">{message}</div> }
}

/// The current state of a form: the server function's last answer (JavaScript), else what the page found
/// in its flash (no JavaScript).
pub fn form_state<S>(
    submission: Submission<S>,
    initial: FormState,
) -> Signal<(FormState, Option<String>)>
where
    S: leptos::server_fn::ServerFn<Output = FormReply, Error = crate::api::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || match submission.reply() {
        Some(Ok(FormReply::Invalid(state))) => (state, None),
        Some(Ok(FormReply::Saved(_))) => (FormState::default(), None),
        // The error's own sentence: "Trop de tentatives…" for a 429, the generic one for a 500.
        Some(Err(error)) => (FormState::default(), Some(error.message().to_owned())),
        _ => (initial.clone(), None),
    })
}

/// The summary of a form's errors, shown when there are some, and a blocking message (429, 500).
#[component]
pub fn FormErrors(state: Signal<(FormState, Option<String>)>) -> impl IntoView {
    move || {
        let (form, blocking) = state.try_get().unwrap_or_default();
        view! {
            {blocking.map(|message| view! { <div class="error-summary" role="alert"><p>{message}</p></div> })}
            {(!form.errors.is_empty()).then(|| view! { <ErrorSummary errors=form.errors.clone()/> })}
        }
    }
}

/// A labelled text input whose error follows the form state. `initial` fills it once (no JavaScript
/// re-display); afterwards the browser keeps what the user types.
#[component]
pub fn TextField(
    state: Signal<(FormState, Option<String>)>,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value(name))
        .unwrap_or_default();
    let error = move || state.try_with(|(form, _)| form.error(name)).flatten();
    let hint_id = format!("{name}-aide");
    let described_by = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id(name));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-has-error=move || error().is_some()>
            <label for=name>{label}{required.then_some(" *")}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            {move || error().map(|message| view! { <FieldError field_id=name.to_owned() message/> })}
            <input
                type=input_type
                id=name
                name=name
                value=initial
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=described_by
            />
        </div>
    }
}

/// Radios for one choice among fixed options, with its error.
#[component]
pub fn RadioGroup(
    state: Signal<(FormState, Option<String>)>,
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] required: bool,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value(name))
        .unwrap_or_default();
    let error = move || state.try_with(|(form, _)| form.error(name)).flatten();
    view! {
        <fieldset
            class="field radio-group"
            id=name
            tabindex="-1"
            class:field-has-error=move || error().is_some()
            aria-describedby=move || error().map(|_| error_id(name))
        >
            <legend>{legend}{required.then_some(" *")}</legend>
            {move || error().map(|message| view! { <FieldError field_id=name.to_owned() message/> })}
            {options
                .into_iter()
                .map(|(value, text)| {
                    let id = format!("{name}-{value}");
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=name value=value checked=initial == value/>
                            <label for=id>{text}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A labelled `<select>` of fixed options, with an empty first option and its error.
#[component]
pub fn SelectField(
    state: Signal<(FormState, Option<String>)>,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] required: bool,
    empty: &'static str,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value(name))
        .unwrap_or_default();
    let error = move || state.try_with(|(form, _)| form.error(name)).flatten();
    view! {
        <div class="field" class:field-has-error=move || error().is_some()>
            <label for=name>{label}{required.then_some(" *")}</label>
            {move || error().map(|message| view! { <FieldError field_id=name.to_owned() message/> })}
            <select
                id=name
                name=name
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=move || error().map(|_| error_id(name))
            >
                <option value="" selected=initial.is_empty()>{empty}</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = initial == value;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled `<select>` of options known at run time (a service's antennes…), with an empty first option
/// and its error.
#[component]
pub fn OptionsField(
    state: Signal<(FormState, Option<String>)>,
    name: &'static str,
    label: &'static str,
    empty: &'static str,
    options: Vec<crate::api::Suggestion>,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value(name))
        .unwrap_or_default();
    let error = move || state.try_with(|(form, _)| form.error(name)).flatten();
    view! {
        <div class="field" class:field-has-error=move || error().is_some()>
            <label for=name>{label}</label>
            {move || error().map(|message| view! { <FieldError field_id=name.to_owned() message/> })}
            <select
                id=name
                name=name
                aria-invalid=move || error().map(|_| "true")
                aria-describedby=move || error().map(|_| error_id(name))
            >
                <option value="" selected=initial.is_empty()>{empty}</option>
                {options.into_iter().map(|option| {
                    let selected = initial == option.id;
                    view! { <option value=option.id selected=selected>{option.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

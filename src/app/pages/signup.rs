//! Sign-up (SPEC §4.1, §4.2): "/inscription" for mandataires, "/inscription/magistrat", and the
//! confirmation page. Plain forms posting to server functions; with JavaScript the same forms are sent in
//! the background and the errors appear without a reload.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;

pub use crate::api::accounts::{MagistratSignUpForm, MandataireSignUpForm, TribunalGroup};
use crate::app::components::combobox::Combobox;
use crate::app::components::commune_field::CommuneField;
use crate::app::components::flash::take_page_flash;
use crate::app::components::form::{
    error_id, form_state, ChoiceList, FieldError, FormErrors, FormReply, FormState, RadioGroup,
    TextField, REQUIRED_NOTICE,
};
use crate::rules::forms::account::FONCTIONS;
use crate::rules::Suggestion;

#[server(endpoint = "inscription/tribunaux")]
pub async fn sign_up_tribunaux() -> Result<Vec<TribunalGroup>, AppError> {
    crate::server::accounts::tribunal_groups(&crate::server::context::Visit::current()?.state)
}

#[server(endpoint = "inscription")]
pub async fn sign_up_mandataire(
    #[server(flatten)] form: MandataireSignUpForm,
) -> Result<FormReply, AppError> {
    crate::server::accounts::sign_up_mandataire(form).await
}

#[server(endpoint = "inscription/magistrat")]
pub async fn sign_up_magistrat(
    #[server(flatten)] form: MagistratSignUpForm,
) -> Result<FormReply, AppError> {
    crate::server::accounts::sign_up_magistrat(form).await
}

const GENRES: [(&str, &str); 2] = [("F", "Femme"), ("H", "Homme")];

#[component]
pub fn MandataireSignUpPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async move {
            let flash = take_page_flash("inscription".to_owned()).await?;
            let groups = sign_up_tribunaux().await?;
            Ok::<_, AppError>((flash.form.unwrap_or_default(), groups))
        },
    );
    view! {
        <Title text="Créer un compte"/>
        <div class="container">
            <h1>"Créer un compte"</h1>
            <p>
                <a href="/inscription/magistrat">"Vous êtes magistrat ? Créez votre compte magistrat"</a>
            </p>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| match result {
                    Ok((form, groups)) => view! { <MandataireSignUpForm initial=form groups/> }.into_any(),
                    Err(_) => view! { <p role="alert">"Une erreur est survenue. Veuillez réessayer plus tard."</p> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

/// An island: with JavaScript the form answers in place and keeps the passwords (SPEC §2 "Forms").
#[island]
fn MandataireSignUpForm(initial: FormState, groups: Vec<TribunalGroup>) -> impl IntoView {
    let action = Submission::<SignUpMandataire>::new();
    let state = form_state(action, initial.clone());
    let checked = initial.list("tribunaux");
    // With JavaScript, "Rechercher un tribunal" ticks the chosen box and shows a removable chip.
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let chips = RwSignal::new(Vec::<Suggestion>::new());
    let on_pick = Callback::new(move |tribunal: Suggestion| {
        tick_tribunal(&tribunal.id, true);
        chips.update(|c| {
            if !c.iter().any(|t| t.id == tribunal.id) {
                c.push(tribunal);
            }
        });
    });
    let tribunaux_error = move || state.with(|(form, _)| form.error("tribunaux"));
    // (FINESS number, label) of the établissements added so far.
    let etablissements = move || {
        state.with(|(form, _)| {
            form.list("etablissements")
                .into_iter()
                .zip(form.list("etablissements_libelles"))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <fieldset
                class="field tribunaux"
                id="tribunaux"
                tabindex="-1"
                class:field-has-error=move || tribunaux_error().is_some()
                aria-describedby=move || tribunaux_error().map(|_| error_id("tribunaux"))
            >
                <legend>"Sélectionnez les tribunaux où vous êtes agréé *"</legend>
                {move || tribunaux_error().map(|message| view! { <FieldError field_id="tribunaux".to_owned() message/> })}
                {move || enhanced.get().then(|| view! {
                    <div class="tribunal-search">
                        <Combobox kind="tribunaux" name="recherche_tribunal" label="Rechercher un tribunal" value=String::new() on_pick/>
                        <ul class="chips" aria-label="Tribunaux choisis">
                            {move || chips.get().into_iter().map(|tribunal| {
                                let id = tribunal.id.clone();
                                view! {
                                    <li>
                                        {tribunal.label.clone()}
                                        " "
                                        <button type="button" class="button-small"
                                            aria-label=format!("Retirer {}", tribunal.label)
                                            on:click=move |_| {
                                                tick_tribunal(&id, false);
                                                chips.update(|c| c.retain(|t| t.id != id));
                                            }>"-"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {groups
                    .into_iter()
                    .enumerate()
                    .map(|(g, group)| {
                        let open = group.tribunaux.iter().any(|t| checked.contains(&t.id));
                        view! {
                            <details class="tribunal-group" open=open>
                                <summary>{group.region.clone()}</summary>
                                {group
                                    .tribunaux
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, tribunal)| {
                                        let id = format!("tribunal-{g}-{i}");
                                        let is_checked = checked.contains(&tribunal.id);
                                        view! {
                                            <div class="choice">
                                                <input type="checkbox" id=id.clone() name="tribunaux[]" value=tribunal.id checked=is_checked/>
                                                <label for=id>{tribunal.label}</label>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </details>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <RadioGroup
                state
                name="type_mandataire"
                legend="Vous êtes un mandataire :"
                required=true
                options=vec![("individuel", "Individuel"), ("prepose", "Préposé"), ("service", "Service mandataire")]
            />
            <fieldset class="field">
                <legend>"Service mandataire (services uniquement)"</legend>
                <p class="hint">"Le premier compte d'un service en est l'administrateur : il invitera ensuite ses collègues. Les nom et prénom ci-dessous sont ceux de la personne à contacter."</p>
                <TextField state name="nom_service" label="Nom du service"/>
                <TextField state name="siret" label="SIRET" inputmode="numeric" hint="14 chiffres, par exemple 732 829 320 00074."/>
                <TextField state name="informations" label="Informations à destination des magistrats"/>
            </fieldset>
            <TextField state name="identifiant" label="Identifiant désiré" required=true autocomplete="username"/>
            <TextField state name="mot_de_passe" label="Mot de passe désiré" required=true input_type="password" autocomplete="new-password"
                hint="10 caractères au moins, dont deux types parmi : minuscules, majuscules, chiffres, caractères spéciaux."/>
            <TextField state name="confirmation" label="Confirmation du mot de passe" required=true input_type="password" autocomplete="new-password"/>
            <TextField state name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <RadioGroup state name="genre" legend="Genre" required=true options=GENRES.to_vec()/>
            <TextField state name="adresse" label="Adresse" required=true autocomplete="street-address"/>
            <TextField state name="code_postal" label="Code postal" required=true autocomplete="postal-code" inputmode="numeric"/>
            <CommuneField state in_island=true/>
            <TextField state name="telephone" label="Téléphone" required=true autocomplete="tel" input_type="tel"/>
            <TextField state name="telephone_portable" label="Téléphone portable" input_type="tel"/>
            <TextField state name="email" label="Adresse email" required=true autocomplete="email" input_type="email"/>
            <TextField state name="mesures_souhaitees" label="Nombre de mesures souhaitées" required=true inputmode="numeric"/>
            <fieldset class="field etablissements">
                <legend>"Noms d’établissements (préposés)"</legend>
                {move || {
                    let list = etablissements();
                    let error = state.with(|(form, _)| form.error("etablissement"));
                    let choice = state.with(|(form, _)| form.choice("etablissement"));
                    let typed = state.with(|(form, _)| form.value("etablissement"));
                    view! {
                        <ul class="chips" aria-label="Établissements ajoutés">
                            {list
                                .into_iter()
                                .map(|(finess, label)| {
                                    view! {
                                        <li>
                                            <input type="hidden" name="etablissements[]" value=finess.clone()/>
                                            {label.clone()}
                                            " "
                                            <button type="submit" class="button-small" name="action"
                                                value=format!("retirer_etablissement:{finess}")
                                                aria-label=format!("Retirer {label}")>"-"</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <Combobox
                            kind="etablissements"
                            name="etablissement"
                            label="Ajouter un établissement"
                            value=typed
                            hint=Some("Saisissez les premières lettres du nom, la commune ou le numéro FINESS.".to_owned())
                            error=Signal::stored(error)
                        />
                        {choice.map(|(typed, options)| view! {
                            <ChoiceList
                                name="etablissement_choix"
                                legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                                options
                            />
                        })}
                        <button type="submit" class="button button-secondary" name="action" value="ajouter_etablissement">"Ajouter"</button>
                    }
                }}
            </fieldset>
            <button type="submit" class="button" name="action" value="">"Créer mon compte"</button>
        </PostForm>
    }
}

/// Ticks (or unticks) the checkbox of a tribunal and opens its région (JavaScript only).
fn tick_tribunal(id: &str, checked: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let selector = format!("input[name='tribunaux[]'][value='{id}']");
        if let Some(input) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_checked(checked);
            if let Some(group) = input.closest("details").ok().flatten() {
                let _ = group.set_attribute("open", "");
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, checked);
}

#[component]
pub fn MagistratSignUpPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| take_page_flash("inscription-magistrat".to_owned()),
    );
    view! {
        <Title text="Créer un compte magistrat"/>
        <div class="container">
            <h1>"Créer un compte magistrat"</h1>
            <p>"Magistrats et greffiers du tribunal s'inscrivent ici : le greffier a les mêmes écrans que le magistrat, pour le même tribunal."</p>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || data.try_get().flatten().map(|result| {
                    let initial = result.ok().and_then(|f| f.form).unwrap_or_default();
                    view! { <MagistratSignUpForm initial/> }
                })}
            </Suspense>
        </div>
    }
}

/// An island, like the mandataire's form.
#[island]
fn MagistratSignUpForm(initial: FormState) -> impl IntoView {
    let action = Submission::<SignUpMagistrat>::new();
    let state = form_state(action, initial.clone());
    let tribunal_error = Signal::derive(move || state.with(|(form, _)| form.error("tribunal")));
    let choice = move || state.with(|(form, _)| form.choice("tribunal"));
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <RadioGroup state name="fonction" legend="Fonction" required=true options=FONCTIONS.to_vec()/>
            <Combobox
                kind="tribunaux"
                name="tribunal"
                label="Tribunal"
                required=true
                value=initial.value("tribunal")
                hint=Some("Saisissez les premières lettres du nom ou de la ville du tribunal.".to_owned())
                error=tribunal_error
            />
            {move || choice().map(|(typed, options)| view! {
                <ChoiceList
                    name="tribunal_choix"
                    legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                    options
                />
            })}
            <TextField state name="cabinet" label="Cabinet (optionnel)"/>
            <TextField state name="identifiant" label="Identifiant désiré" required=true autocomplete="username"/>
            <TextField state name="mot_de_passe" label="Mot de passe désiré" required=true input_type="password" autocomplete="new-password"
                hint="10 caractères au moins, dont deux types parmi : minuscules, majuscules, chiffres, caractères spéciaux."/>
            <TextField state name="confirmation" label="Confirmation du mot de passe" required=true input_type="password" autocomplete="new-password"/>
            <TextField state name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <RadioGroup state name="genre" legend="Genre" required=true options=GENRES.to_vec()/>
            <TextField state name="email" label="Adresse email" required=true autocomplete="email" input_type="email"/>
            <button type="submit" class="button">"Créer mon compte"</button>
        </PostForm>
    }
}

#[component]
pub fn SignUpConfirmationPage() -> impl IntoView {
    view! {
        <Title text="Inscription enregistrée"/>
        <div class="container">
            <h1>"Inscription enregistrée"</h1>
            <p role="status">
                "Merci ! Votre demande a bien été prise en compte. Notre équipe a été informée et vous recevrez une confirmation très prochainement."
            </p>
            <p><a href="/connexion">"Se connecter"</a></p>
        </div>
    }
}

//! "Enregistrer une nouvelle mesure", "Modifier la mesure" (SPEC §5.3) and the acceptance of a reservation
//! (§5.5): one form, the acceptance showing only the fields the mandataire completes.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{mesure_form_page, AcceptMesure, MesureFormData, SaveMesure, SpaceHeader, SpacePage};
use crate::app::components::combobox::Combobox;
use crate::app::components::commune_field::CommuneField;
use crate::app::components::form::{
    form_state, ChoiceList, FormErrors, FormState, RadioGroup, SelectField, TextField,
    REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;
use crate::rules::mesure::{Champ, LieuDeVie, Nature, DOSSIER_HINT};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Nouvelle,
    Modifier,
    Accepter,
}

impl Mode {
    fn title(self) -> &'static str {
        match self {
            Mode::Nouvelle => "Enregistrer une nouvelle mesure",
            Mode::Modifier => "Modifier la mesure",
            Mode::Accepter => "Accepter la mesure",
        }
    }
}

#[component]
pub fn NewMesurePage() -> impl IntoView {
    view! { <MesureFormPage mode=Mode::Nouvelle/> }
}

#[component]
pub fn EditMesurePage() -> impl IntoView {
    view! { <MesureFormPage mode=Mode::Modifier/> }
}

#[component]
pub fn AcceptMesurePage() -> impl IntoView {
    view! { <MesureFormPage mode=Mode::Accepter/> }
}

#[component]
fn MesureFormPage(mode: Mode) -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, move |id| async move {
        if mode != Mode::Nouvelle && id.is_none() {
            return Err(AppError::NotFound);
        }
        mesure_form_page(id, mode == Mode::Accepter).await
    });
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => {
                    let current = if mode == Mode::Accepter { "en_attente" } else { "en_cours" };
                    view! {
                        <Title text=mode.title()/>
                        <div class="container wide">
                            <h1>{mode.title()}</h1>
                            <SpaceHeader current header notice/>
                            <MesureFormView mode data initial=form/>
                        </div>
                    }.into_any()
                }
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MesureFormView(mode: Mode, data: MesureFormData, initial: Option<FormState>) -> impl IntoView {
    let initial = initial.unwrap_or_else(|| data.values.clone());
    if let Some(message) = data.read_only.clone() {
        return view! {
            <p role="alert">{message}</p>
            <p><a href="/mandataire/mesures/eteintes">"Mesures éteintes"</a></p>
        }
        .into_any();
    }
    match mode {
        Mode::Accepter => {
            let action = Submission::<AcceptMesure>::new();
            let state = form_state(action, initial.clone());
            let tribunal = data.tribunal_reserve.clone().unwrap_or_default();
            view! {
                <p>{format!("Une nouvelle mesure a été attribuée par « {tribunal} ». Pour activer cette mesure, veuillez saisir les informations suivantes.")}</p>
                <PostForm action attr:novalidate=true attr:class="form">
                    <p class="required-notice">{REQUIRED_NOTICE}</p>
                    <FormErrors state/>
                    <input type="hidden" name="id" value=initial.value("id")/>
                    <DecisionDate state/>
                    <LieuDeVieFields state/>
                    <TextField state name="code_postal" label="Code postal" required=true inputmode="numeric"/>
                    <CommuneField state/>
                    <TextField state name="numero_dossier" label="Numéro de dossier" hint=DOSSIER_HINT/>
                    {data.antennes.clone().map(|options| view! {
                        <crate::app::components::form::OptionsField state name="antenne" label="Antenne"
                            empty="Aucune antenne" options/>
                    })}
                    <div class="form-actions">
                        <button type="submit" class="button">"Accepter la mesure"</button>
                        <a href="/mandataire/mesures/en-attente">"Annuler"</a>
                    </div>
                </PostForm>
            }
            .into_any()
        }
        _ => {
            let action = Submission::<SaveMesure>::new();
            let state = form_state(action, initial.clone());
            let tribunal_value = initial.value("tribunal");
            view! {
                <PostForm action attr:novalidate=true attr:class="form">
                    <p class="required-notice">{REQUIRED_NOTICE}</p>
                    <FormErrors state/>
                    <input type="hidden" name="id" value=initial.value("id")/>
                    <DecisionDate state/>
                    <SelectField state name="nature" label="Type de mesure" required=true
                        empty="Choisissez le type de mesure" options=Nature::options()/>
                    <SelectField state name="champ" label="Champ de la mesure"
                        empty="Non précisé" options=Champ::options()/>
                    <TextField state name="code_postal" label="Code postal" required=true inputmode="numeric"/>
                    <CommuneField state/>
                    <RadioGroup state name="genre" legend="Genre du majeur" required=true
                        options=vec![("F", "Femme"), ("H", "Homme")]/>
                    <TextField state name="annee_naissance" label="Année de naissance du majeur" required=true
                        inputmode="numeric" hint="4 chiffres, par exemple 1957"/>
                    <LieuDeVieFields state/>
                    <TextField state name="numero_dossier" label="Numéro de dossier" hint=DOSSIER_HINT/>
                    <TextField state name="numero_rg" label="Numéro RG"/>
                    {match data.tribunal_reserve.clone() {
                        Some(name) => view! {
                            <div class="field">
                                <p class="field-label">"Tribunal"</p>
                                <p>{name}" (tribunal ayant réservé la mesure)"</p>
                            </div>
                        }.into_any(),
                        None => {
                            let options: Vec<(String, String)> = data
                                .tribunaux
                                .iter()
                                .map(|t| (t.id.clone(), t.label.clone()))
                                .collect();
                            view! {
                                <div class="field">
                                    <label for="tribunal">"Tribunal"</label>
                                    <select id="tribunal" name="tribunal">
                                        <option value="" selected=tribunal_value.is_empty()>"Aucun"</option>
                                        {options.into_iter().map(|(id, label)| {
                                            let selected = id == tribunal_value;
                                            view! { <option value=id selected=selected>{label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                            }.into_any()
                        }
                    }}
                    {data.antennes.clone().map(|options| view! {
                        <crate::app::components::form::OptionsField state name="antenne" label="Antenne"
                            empty="Aucune antenne" options/>
                    })}
                    <div class="form-actions">
                        <button type="submit" class="button">"Valider"</button>
                        <a href="/mandataire/mesures">"Annuler"</a>
                    </div>
                </PostForm>
            }
            .into_any()
        }
    }
}

#[component]
fn DecisionDate(state: Signal<(FormState, Option<String>)>) -> impl IntoView {
    view! {
        <TextField state name="date_decision" label="Date de décision" required=true
            hint="Au format jj/mm/aaaa, par exemple 15/03/2024."/>
    }
}

/// "Lieu de vie du majeur" and, for the two établissement values, "Établissement" (hidden otherwise once
/// JavaScript runs; without it the field stays visible and the server ignores it for other values).
#[component]
fn LieuDeVieFields(state: Signal<(FormState, Option<String>)>) -> impl IntoView {
    let (lieu, typed, picked, lieu_error, etablissement_error, choice) =
        state.with_untracked(|(form, _)| {
            (
                form.value("lieu_de_vie"),
                form.value("etablissement"),
                form.value("etablissement_id"),
                form.error("lieu_de_vie"),
                form.error("etablissement"),
                form.choice("etablissement"),
            )
        });
    view! { <LieuDeVieIsland lieu typed picked lieu_error etablissement_error choice/> }
}

/// The island of `LieuDeVieFields`: the radios drive the visibility of the établissement autocomplete.
#[island]
fn LieuDeVieIsland(
    lieu: String,
    typed: String,
    picked: String,
    lieu_error: Option<String>,
    etablissement_error: Option<String>,
    choice: Option<(String, Vec<crate::rules::Suggestion>)>,
) -> impl IntoView {
    let mut radios = FormState::default();
    radios.set("lieu_de_vie", lieu.clone());
    if let Some(message) = lieu_error {
        radios.fail("lieu_de_vie", message);
    }
    let radios = Signal::stored((radios, None));
    let lieu = RwSignal::new(lieu);
    let enhanced = RwSignal::new(false);
    Effect::new(move |_| enhanced.set(true));
    let needs =
        move || LieuDeVie::from_code(&lieu.get()).is_some_and(LieuDeVie::needs_etablissement);
    view! {
        <div on:change=move |ev| {
            let target = event_target_value(&ev);
            if LieuDeVie::from_code(&target).is_some() {
                lieu.set(target);
            }
        }>
            <RadioGroup state=radios name="lieu_de_vie" legend="Lieu de vie du majeur" required=true options=LieuDeVie::options()/>
        </div>
        <div class="conditional" hidden=move || enhanced.get() && !needs()>
            <Combobox
                kind="etablissements"
                name="etablissement"
                label="Établissement"
                value=typed
                selected_id=picked
                hint=Some("Si le majeur vit en établissement : saisissez les premières lettres du nom, la commune ou le numéro FINESS.".to_owned())
                error=Signal::stored(etablissement_error)
            />
            {choice.map(|(typed, options)| view! {
                <ChoiceList
                    name="etablissement_choix"
                    legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                    options
                />
            })}
        </div>
    }
}

//! "Mes informations" (SPEC §5.7): coordonnées, capacity and secretariat, tribunaux (add with the
//! autocomplete or its text, "-" to remove, never the last), établissements for préposés, and the pages
//! "Modifier mes informations" and "Ajouter un établissement".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;

use super::{SpaceHeader, SpacePage};
pub use crate::api::mandataire::{Informations, PickForm, ProfileForm};
use crate::app::components::combobox::AutocompleteField;
use crate::app::components::commune_field::CommuneField;
use crate::app::components::form::{
    form_state, version_of, ChoiceList, FormErrors, FormReply, FormState, RadioGroup, TextField,
    REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;
use crate::rules::profile::{ETP_HINT, INFORMATIONS_HINT};

#[server(endpoint = "mandataire/informations")]
pub async fn mandataire_informations() -> Result<SpacePage<Informations>, AppError> {
    crate::server::mandataire::profile::informations_page()
}

#[server(endpoint = "mandataire/profil")]
pub async fn profile_form_page(
    #[server(default)] form: String,
) -> Result<SpacePage<FormState>, AppError> {
    crate::server::mandataire::profile::form_page(&form)
}

#[server(endpoint = "mandataire/profil/enregistrer")]
pub async fn save_profile(#[server(flatten)] form: ProfileForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::profile::save(form).await
}

#[server(endpoint = "mandataire/tribunaux/ajouter")]
pub async fn add_tribunal(#[server(flatten)] form: PickForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::profile::add_tribunal(form)
}

#[server(endpoint = "mandataire/tribunaux/retirer")]
pub async fn remove_tribunal(id: u64) -> Result<FormReply, AppError> {
    crate::server::mandataire::profile::remove_tribunal(id)
}

#[server(endpoint = "mandataire/etablissements/ajouter")]
pub async fn add_etablissement(#[server(flatten)] form: PickForm) -> Result<FormReply, AppError> {
    crate::server::mandataire::profile::add_etablissement(form)
}

#[server(endpoint = "mandataire/etablissements/retirer")]
pub async fn remove_etablissement(finess: String) -> Result<FormReply, AppError> {
    crate::server::mandataire::profile::remove_etablissement(&finess)
}

#[component]
pub fn InformationsPage() -> impl IntoView {
    let add = Submission::<AddTribunal>::new();
    let remove = Submission::<RemoveTribunal>::new();
    let remove_etablissement = Submission::<RemoveEtablissement>::new();
    let versions = (
        version_of(add),
        version_of(remove),
        version_of(remove_etablissement),
    );
    let data = Resource::new(
        move || (versions.0(), versions.1(), versions.2()),
        |_| mandataire_informations(),
    );
    view! {
        <Title text="Mes informations"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Mes informations"</h1>
                        <SpaceHeader current="informations" header notice/>
                        <InformationsView info=data initial=form.unwrap_or_default() add remove remove_etablissement/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn InformationsView(
    info: Informations,
    initial: FormState,
    add: Submission<AddTribunal>,
    remove: Submission<RemoveTribunal>,
    remove_etablissement: Submission<RemoveEtablissement>,
) -> impl IntoView {
    let state = form_state(add, initial.clone());
    let tribunal_error =
        Signal::derive(move || state.try_with(|(form, _)| form.error("tribunal")).flatten());
    let choice = move || {
        state
            .try_with(|(form, _)| form.choice("tribunal"))
            .flatten()
    };
    let typed = initial.value("tribunal");
    let modifiable = info.modifiable;
    let resume_path = <super::activite::Resume as leptos::server_fn::ServerFn>::PATH;
    view! {
        <section aria-labelledby="coordonnees">
            <h2 id="coordonnees">"Mes coordonnées"</h2>
            <dl class="facts">
                {info.coordonnees.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <p>{format!("Nombre de mesures souhaitées : {}", info.mesures_souhaitees)}</p>
            <p>{info.secretariat}</p>
            <h3>"Informations à destination des magistrats"</h3>
            <p class="free-text">{if info.informations.is_empty() { "Aucune information.".to_owned() } else { info.informations }}</p>
        </section>
        <section aria-labelledby="tribunaux">
            <h2 id="tribunaux">"Tribunaux d'Instance où je suis agréé"</h2>
            <ul class="chips">
                {info.tribunaux.into_iter().map(|tribunal| view! {
                    <li>
                        {tribunal.label.clone()}
                        " "
                        {modifiable.then(|| view! {
                            <PostForm action=remove attr:class="inline-form">
                                <input type="hidden" name="id" value=tribunal.id.clone()/>
                                <button type="submit" class="button-small" aria-label=format!("Retirer {}", tribunal.label)>"-"</button>
                            </PostForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {modifiable.then(|| view! {
            <PostForm action=add attr:novalidate=true attr:class="form form-inline">
                <FormErrors state/>
                <AutocompleteField
                    kind="tribunaux"
                    name="tribunal"
                    label="Ajouter un tribunal"
                    required=false
                    value=typed
                    selected_id=""
                    hint=Some("Saisissez les premières lettres du nom ou de la ville du tribunal.".to_owned())
                    error=tribunal_error.try_get_untracked().flatten()
                />
                {move || choice().map(|(typed, options)| view! {
                    <ChoiceList
                        name="tribunal_choix"
                        legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                        options
                    />
                })}
                <button type="submit" class="button button-secondary">"Ajouter"</button>
            </PostForm>
            })}
        </section>
        {info.etablissements.map(|etablissements| view! {
            <section aria-labelledby="etablissements">
                <h2 id="etablissements">"Mes établissements"</h2>
                {if etablissements.is_empty() {
                    view! { <p>"Aucun établissement."</p> }.into_any()
                } else {
                    view! {
                        <ul class="chips">
                            {etablissements.into_iter().map(|etablissement| view! {
                                <li>
                                    {etablissement.label.clone()}
                                    " "
                                    <PostForm action=remove_etablissement attr:class="inline-form">
                                        <input type="hidden" name="finess" value=etablissement.id.clone()/>
                                        <button type="submit" class="button-small" aria-label=format!("Retirer {}", etablissement.label)>"-"</button>
                                    </PostForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p><a class="button button-secondary" href="/mandataire/informations/etablissements/ajouter">"Ajouter un établissement"</a></p>
            </section>
        })}
        <section aria-labelledby="activite">
            <h2 id="activite">"Mon activité"</h2>
            {match info.suspension.clone() {
                Some((depuis, motif)) => {
                    let motif = if motif.is_empty() { String::new() } else { format!(" Motif : {motif}") };
                    view! {
                        <p>{format!("Votre activité est suspendue depuis le {depuis}.{motif}")}</p>
                        {modifiable.then(|| view! {
                            <form method="post" action=resume_path>
                                <button type="submit" class="button button-secondary">"Reprendre mon activité"</button>
                            </form>
                        })}
                    }.into_any()
                }
                None => view! {
                    <p>"Votre activité est ouverte : les magistrats voient votre disponibilité."</p>
                    {modifiable.then(|| view! {
                        <p><a class="button button-secondary" href="/mandataire/activite/suspendre">"Suspendre mon activité"</a></p>
                    })}
                }.into_any(),
            }}
        </section>
        {(!modifiable).then(|| view! {
            <p>"Seuls les administrateurs du service modifient ces informations."</p>
        })}
        <ul class="actions">
            {modifiable.then(|| view! {
                <li><a class="button" href="/mandataire/informations/modifier">"Modifier mon profil"</a></li>
            })}
            <li><a class="button button-secondary" href="/compte/mot-de-passe">"Modifier mon mot de passe"</a></li>
            // Issue 19: what e-MJPM keeps about the account, as a ZIP (a plain download, no JavaScript needed).
            <li><a class="button button-secondary" href="/compte/mes-donnees.zip" rel="external" download="">"Télécharger mes données"</a></li>
        </ul>
    }
}

#[component]
pub fn EditProfilePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| profile_form_page("profil".to_owned()));
    view! {
        <Title text="Modifier mes informations"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Modifier mes informations"</h1>
                        <SpaceHeader current="informations" header=header.clone() notice/>
                        <ProfileFormView service=header.service initial=form.unwrap_or(data)/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// An island: with JavaScript a refusal answers in place and keeps "Mot de passe actuel".
#[island]
fn ProfileFormView(initial: FormState, service: bool) -> impl IntoView {
    let action = Submission::<SaveProfile>::new();
    let state = form_state(action, initial);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            {service.then(|| view! {
                <TextField state name="nom_service" label="Nom du service" required=true/>
                <TextField state name="siret" label="SIRET" required=true inputmode="numeric"/>
                <p class="hint">"Nom, prénom et genre : ceux de la personne à contacter ; l'adresse email est celle du service."</p>
            })}
            <TextField state name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <RadioGroup state name="genre" legend="Genre" required=true options=vec![("F", "Femme"), ("H", "Homme")]/>
            <TextField state name="adresse" label="Adresse" required=true autocomplete="street-address"/>
            <TextField state name="code_postal" label="Code postal" required=true autocomplete="postal-code" inputmode="numeric"/>
            <CommuneField state in_island=true/>
            <TextField state name="telephone" label="Téléphone" required=true autocomplete="tel" input_type="tel"/>
            <TextField state name="telephone_portable" label="Téléphone portable" input_type="tel"/>
            <TextField state name="email" label="Adresse email" required=true autocomplete="email" input_type="email"/>
            <TextField state name="mot_de_passe_actuel" label="Mot de passe actuel" input_type="password"
                autocomplete="current-password" hint="Seulement si vous changez d'adresse email."/>
            <TextField state name="mesures_souhaitees" label="Nombre de mesures souhaitées" required=true inputmode="numeric"/>
            <RadioGroup state name="secretariat" legend="Secrétariat" required=true options=vec![("oui", "Oui"), ("non", "Non")]/>
            <TextField state name="secretariat_etp" label="Nombre d'ETP de secrétariat" inputmode="decimal" hint=ETP_HINT/>
            <TextAreaField state name="informations" label="Informations à destination des magistrats" hint=INFORMATIONS_HINT/>
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href="/mandataire/informations">"Annuler"</a>
            </div>
        </PostForm>
    }
}

/// A labelled `<textarea>` with its hint and error.
#[component]
fn TextAreaField(
    state: Signal<(FormState, Option<String>)>,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let initial = state
        .try_with_untracked(|(form, _)| form.value(name))
        .unwrap_or_default();
    let error = move || state.try_with(|(form, _)| form.error(name)).flatten();
    let hint_id = format!("{name}-aide");
    let described = {
        let hint_id = hint_id.clone();
        move || match error() {
            Some(_) => format!("{hint_id} {}", crate::app::components::form::error_id(name)),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="field" class:field-has-error=move || error().is_some()>
            <label for=name>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            {move || error().map(|message| view! {
                <crate::app::components::form::FieldError field_id=name.to_owned() message/>
            })}
            <textarea id=name name=name rows="6" aria-describedby=described
                aria-invalid=move || error().map(|_| "true")>{initial}</textarea>
        </div>
    }
}

#[component]
pub fn AddEtablissementPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| profile_form_page("etablissement".to_owned()));
    view! {
        <Title text="Ajouter un établissement"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, .. }) => view! {
                    <div class="container wide">
                        <h1>"Ajouter un établissement"</h1>
                        <SpaceHeader current="informations" header notice/>
                        <AddEtablissementForm initial=form.unwrap_or_default()/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AddEtablissementForm(initial: FormState) -> impl IntoView {
    let action = Submission::<AddEtablissement>::new();
    let state = form_state(action, initial.clone());
    let error = Signal::derive(move || {
        state
            .try_with(|(form, _)| form.error("etablissement"))
            .flatten()
    });
    let choice = move || {
        state
            .try_with(|(form, _)| form.choice("etablissement"))
            .flatten()
    };
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <AutocompleteField
                kind="etablissements"
                name="etablissement"
                label="Établissement"
                required=true
                value=initial.value("etablissement")
                selected_id=""
                hint=Some("Saisissez les premières lettres du nom, la commune ou le numéro FINESS, puis choisissez dans la liste.".to_owned())
                error=error.try_get_untracked().flatten()
            />
            {move || choice().map(|(typed, options)| view! {
                <ChoiceList
                    name="etablissement_choix"
                    legend=format!("Plusieurs résultats correspondent à « {typed} » : choisissez-en un.")
                    options
                />
            })}
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href="/mandataire/informations">"Annuler"</a>
            </div>
        </PostForm>
    }
}

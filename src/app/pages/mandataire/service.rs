//! A service's own tabs (issue 16): "Antennes" (list, add, change, delete) and "Membres" (members, rights,
//! invitations). The forms are plain forms: they post and come back the same with or without JavaScript.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{SpaceHeader, SpacePage};
use crate::api::service::{AntenneForm, AntenneRow, Antennes, InviteForm, Membres};
use crate::api::AppError;
use crate::app::components::commune_field::CommuneField;
use crate::app::components::form::{
    form_state, FormErrors, FormReply, FormState, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;

#[server(endpoint = "mandataire/antennes")]
pub async fn antennes_page() -> Result<SpacePage<Antennes>, AppError> {
    crate::server::service::antennes::list_page()
}

#[server(endpoint = "mandataire/antenne")]
pub async fn antenne_form_page(
    #[server(default)] id: Option<u64>,
) -> Result<SpacePage<FormState>, AppError> {
    crate::server::service::antennes::form_page(id)
}

#[server(endpoint = "mandataire/antenne/enregistrer")]
pub async fn save_antenne(#[server(flatten)] form: AntenneForm) -> Result<FormReply, AppError> {
    crate::server::service::antennes::save(form)
}

#[server(endpoint = "mandataire/antenne/supprimer")]
pub async fn delete_antenne(id: u64) -> Result<FormReply, AppError> {
    crate::server::service::antennes::delete(id)
}

#[server(endpoint = "mandataire/membres")]
pub async fn membres_page() -> Result<SpacePage<Membres>, AppError> {
    crate::server::service::membres::list_page()
}

#[server(endpoint = "mandataire/membre/inviter")]
pub async fn invite_member(#[server(flatten)] form: InviteForm) -> Result<FormReply, AppError> {
    crate::server::service::membres::invite(form)
}

#[server(endpoint = "mandataire/membre/retirer")]
pub async fn remove_member(id: u64) -> Result<FormReply, AppError> {
    crate::server::service::membres::remove(id)
}

#[server(endpoint = "mandataire/membre/invitation/annuler")]
pub async fn withdraw_invitation(email: String) -> Result<FormReply, AppError> {
    crate::server::service::membres::withdraw(&email)
}

#[server(endpoint = "mandataire/membre/droits")]
pub async fn member_rights(id: u64, administrateur: String) -> Result<FormReply, AppError> {
    crate::server::service::membres::set_rights(id, administrateur == "oui")
}

/// A form-level message (refused delete, last administrateur…) announced to screen readers.
#[component]
fn FormAlert(form: Option<FormState>, field: &'static str) -> impl IntoView {
    form.and_then(|f| f.error(field))
        .map(|message| view! { <div class="notice notice-error" role="alert">{message}</div> })
}

#[component]
pub fn AntennesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| antennes_page());
    view! {
        <Title text="Antennes"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Antennes"</h1>
                        <SpaceHeader current="antennes" header notice/>
                        <FormAlert form field="antennes"/>
                        <AntenneTable antennes=data/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AntenneTable(antennes: Antennes) -> impl IntoView {
    let admin = antennes.administrateur;
    let add = admin.then(|| {
        view! { <p><a class="button" href="/mandataire/antennes/nouvelle">"Ajouter une antenne"</a></p> }
    });
    if antennes.rows.is_empty() {
        return view! {
            {add}
            <p>"Votre service n'a encore déclaré aucune antenne. Ses mesures sont alors rattachées au service seul."</p>
        }
        .into_any();
    }
    let delete = Submission::<DeleteAntenne>::new();
    view! {
        {add}
        <p>"Le nombre de mesures souhaitées du service est la somme de celles de ses antennes."</p>
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>"Antennes du service"</caption>
                <thead><tr>
                    <th scope="col">"Antenne"</th>
                    <th scope="col">"Adresse"</th>
                    <th scope="col">"Contact"</th>
                    <th scope="col">"En cours / souhaitées"</th>
                    <th scope="col">"En attente"</th>
                    <th scope="col">"Disponibilité"</th>
                    {admin.then(|| view! { <th scope="col">"Actions"</th> })}
                </tr></thead>
                <tbody>
                    {antennes.rows.into_iter().map(|row: AntenneRow| {
                        let id = row.id;
                        let nom = row.nom.clone();
                        view! {
                            <tr>
                                <th scope="row">{row.nom.clone()}</th>
                                <td>{row.adresse.clone()}<br/>{row.commune.clone()}</td>
                                <td>{row.contact.clone()}<br/>{row.telephone.clone()}<br/>{row.email.clone()}</td>
                                <td>{format!("{} / {}", row.en_cours, row.souhaitees)}</td>
                                <td>{row.en_attente}</td>
                                <td><span class=format!("badge {}", row.niveau)>{row.disponibilite}</span></td>
                                {admin.then(|| view! {
                                    <td class="row-actions">
                                        <a class="button button-small button-secondary" href=format!("/mandataire/antennes/{id}/modifier")
                                            aria-label=format!("Modifier l'antenne {nom}")>"Modifier"</a>
                                        <PostForm action=delete attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="button button-small button-secondary"
                                                aria-label=format!("Supprimer l'antenne {}", row.nom)>"Supprimer"</button>
                                        </PostForm>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn AntenneFormPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, antenne_form_page);
    let title = move || {
        if id().is_some() {
            "Modifier l'antenne"
        } else {
            "Ajouter une antenne"
        }
    };
    view! {
        <Title text=title()/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>{title()}</h1>
                        <SpaceHeader current="antennes" header notice/>
                        <AntenneFormView initial=form.unwrap_or(data)/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AntenneFormView(initial: FormState) -> impl IntoView {
    let action = Submission::<SaveAntenne>::new();
    let state = form_state(action, initial.clone());
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="id" value=initial.value("id")/>
            <TextField state name="nom" label="Nom de l'antenne" required=true/>
            <TextField state name="adresse" label="Adresse" required=true autocomplete="street-address"/>
            <TextField state name="code_postal" label="Code postal" required=true inputmode="numeric"/>
            <CommuneField state/>
            <TextField state name="contact" label="Contact" hint="Nom de la personne à joindre."/>
            <TextField state name="telephone" label="Téléphone" required=true input_type="tel"/>
            <TextField state name="email" label="Adresse email" input_type="email"
                hint="Elle reçoit les réservations faites sur cette antenne."/>
            <TextField state name="mesures_souhaitees" label="Nombre de mesures souhaitées" required=true inputmode="numeric"/>
            <div class="form-actions">
                <button type="submit" class="button">"Valider"</button>
                <a href="/mandataire/antennes">"Annuler"</a>
            </div>
        </PostForm>
    }
}

#[component]
pub fn MembresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| membres_page());
    view! {
        <Title text="Membres"/>
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(SpacePage { header, notice, form, data }) => view! {
                    <div class="container wide">
                        <h1>"Membres"</h1>
                        <SpaceHeader current="membres" header notice/>
                        <MembresView membres=data form/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MembresView(membres: Membres, form: Option<FormState>) -> impl IntoView {
    let admin = membres.administrateur;
    let remove = Submission::<RemoveMember>::new();
    let rights = Submission::<MemberRights>::new();
    let withdraw = Submission::<WithdrawInvitation>::new();
    let alert = form.clone();
    let invite_initial = form
        .filter(|f| f.error("membres").is_none())
        .unwrap_or_default();
    view! {
        <FormAlert form=alert field="membres"/>
        <p>"Chaque membre voit et gère les mesures du service. Les administrateurs modifient aussi les informations, les antennes et les membres du service."</p>
        <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
            <table class="table">
                <caption>"Membres du service"</caption>
                <thead><tr>
                    <th scope="col">"Nom"</th>
                    <th scope="col">"Identifiant"</th>
                    <th scope="col">"Adresse email"</th>
                    <th scope="col">"Droits"</th>
                    {admin.then(|| view! { <th scope="col">"Actions"</th> })}
                </tr></thead>
                <tbody>
                    {membres.rows.into_iter().map(|row| {
                        let id = row.id;
                        let nom = row.nom.clone();
                        let droits = if row.administrateur { "Administrateur" } else { "Membre" };
                        view! {
                            <tr>
                                <th scope="row">{row.nom.clone()}{row.moi.then_some(" (vous)")}</th>
                                <td>{row.identifiant.clone()}</td>
                                <td>{row.email.clone()}</td>
                                <td>{droits}</td>
                                {admin.then(|| {
                                    let (value, text) = if row.administrateur {
                                        ("non", "Retirer les droits d'administrateur")
                                    } else {
                                        ("oui", "Donner les droits d'administrateur")
                                    };
                                    view! {
                                        <td class="row-actions">
                                            <PostForm action=rights attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="administrateur" value=value/>
                                                <button type="submit" class="button button-small button-secondary"
                                                    aria-label=format!("{text} : {nom}")>{text}</button>
                                            </PostForm>
                                            {(!row.moi).then(|| view! {
                                                <PostForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="button button-small button-secondary"
                                                        aria-label=format!("Retirer du service : {}", row.nom)>"Retirer du service"</button>
                                                </PostForm>
                                            })}
                                        </td>
                                    }
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(!membres.invitations.is_empty()).then(|| view! {
            <h2>"Invitations en attente"</h2>
            <ul>
                {membres.invitations.into_iter().map(|i| {
                    let label = format!("Annuler l'invitation de {}", i.email);
                    view! {
                        <li>
                            {format!("{} (lien valable jusqu'au {}) ", i.email, i.expire_le)}
                            {admin.then(|| view! {
                                <PostForm action=withdraw attr:class="inline-form">
                                    <input type="hidden" name="email" value=i.email.clone()/>
                                    <button type="submit" class="button button-small button-secondary"
                                        aria-label=label>"Annuler l'invitation"</button>
                                </PostForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {admin.then(|| view! { <InviteFormView initial=invite_initial/> })}
    }
}

#[component]
fn InviteFormView(initial: FormState) -> impl IntoView {
    let action = Submission::<InviteMember>::new();
    let state = form_state(action, initial);
    view! {
        <h2>"Inviter un membre"</h2>
        <PostForm action attr:novalidate=true attr:class="form">
            <FormErrors state/>
            <TextField state name="email" label="Adresse email" required=true input_type="email"
                hint="Votre collègue reçoit un lien, valable 7 jours, pour créer son compte."/>
            <div class="form-actions">
                <button type="submit" class="button">"Inviter un membre"</button>
            </div>
        </PostForm>
    }
}

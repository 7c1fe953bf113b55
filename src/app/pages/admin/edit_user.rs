//! "/admin/utilisateurs/:id/modifier" (issue 19): an admin corrects an account's identity, e-mail and, for an
//! individuel or a préposé, coordonnées. The form is an island: with JavaScript a refusal answers in place;
//! without, the server keeps the values and the messages for the page it sends back.

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{load_admin_user_form, AdminTabs, AdminUserEditPage, SaveAdminUser};
use crate::app::components::commune_field::CommuneField;
use crate::app::components::form::{
    form_state, FormErrors, FormState, RadioGroup, TextField, REQUIRED_NOTICE,
};
use crate::app::components::load_error::LoadError;

#[component]
pub fn EditUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_admin_user_form(id).await,
            None => Err(crate::api::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(page) => {
                    let title = format!("Modifier le compte de {}", page.nom);
                    view! {
                        <Title text=title.clone()/>
                        <div class="container wide">
                            <AdminTabs current="utilisateurs"/>
                            <h1>{title}</h1>
                            {page.service.then(|| view! {
                                <p>"Les coordonnées d'un service sont modifiées par ses administrateurs, depuis « Mes informations »."</p>
                            })}
                            <EditUserForm page/>
                        </div>
                    }.into_any()
                }
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[island]
fn EditUserForm(page: AdminUserEditPage) -> impl IntoView {
    let action = Submission::<SaveAdminUser>::new();
    let initial: FormState = page.values.clone();
    let state = form_state(action, initial);
    let back = format!("/admin/utilisateurs/{}", page.id);
    view! {
        <PostForm action attr:novalidate=true attr:class="form">
            <p class="required-notice">{REQUIRED_NOTICE}</p>
            <FormErrors state/>
            <input type="hidden" name="id" value=page.id/>
            <TextField state name="nom" label="Nom" required=true autocomplete="off"/>
            <TextField state name="prenom" label="Prénom" required=true autocomplete="off"/>
            {page.genre.then(|| view! {
                <RadioGroup state name="genre" legend="Genre" required=true options=vec![("F", "Femme"), ("H", "Homme")]/>
            })}
            <TextField state name="email" label="Adresse email" required=true autocomplete="off" input_type="email"
                hint="L'utilisateur se connecte aussi avec cette adresse ; ses liens de réinitialisation en cours ne serviront plus."/>
            {page.coordonnees.then(|| view! {
                <TextField state name="adresse" label="Adresse" required=true autocomplete="off"/>
                <TextField state name="code_postal" label="Code postal" required=true autocomplete="off" inputmode="numeric"/>
                <CommuneField state in_island=true/>
                <TextField state name="telephone" label="Téléphone" required=true autocomplete="off" input_type="tel"/>
                <TextField state name="telephone_portable" label="Téléphone portable" autocomplete="off" input_type="tel"/>
            })}
            <div class="form-actions">
                <button type="submit" class="button">"Enregistrer"</button>
                <a href=back>"Annuler"</a>
            </div>
        </PostForm>
    }
}

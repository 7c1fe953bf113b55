//! The fiche of a mandataire (SPEC §6.2): coordonnées, capacity, secrétariat, établissements, tribunaux,
//! "Informations à destination des magistrats" and "Réserver une mesure".

use crate::app::components::form::{PostForm, Submission};
use leptos::prelude::*;

use crate::api::AppError;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    fiche_mandataire, AddNote, DeleteNote, Fiche, MagistratPage, MagistratSpaceHeader, StaleWarning,
};
use crate::api::form::FormState;
use crate::api::magistrat::NoteRow;
use crate::app::components::form::{error_id, form_state, FormErrors};
use crate::app::components::load_error::LoadError;
use crate::rules::note as rules;

#[component]
pub fn FichePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<u64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => fiche_mandataire(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="container">"Chargement…"</p> }>
            {move || data.try_get().flatten().map(|result| match result {
                Ok(MagistratPage { header, notice, form, data }) => view! {
                    <Title text=data.nom.clone()/>
                    <div class="container wide">
                        <MagistratSpaceHeader current="mandataires" header notice/>
                        <FicheView fiche=data form=form.unwrap_or_default()/>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn FicheView(fiche: Fiche, form: FormState) -> impl IntoView {
    let reserve = format!("/magistrat/mandataires/{}/reserver", fiche.id);
    view! {
        <h1>{fiche.nom.clone()}</h1>
        <p>{fiche.type_label.clone()}</p>
        <p><a class="button" href=reserve>"Réserver une mesure"</a></p>
        <h2>"Coordonnées"</h2>
        <dl class="facts">
            {fiche.coordonnees.into_iter().map(|(label, value)| view! {
                <dt>{label}</dt>
                <dd>{value}</dd>
            }).collect_view()}
            <dt>"Adresse email"</dt>
            <dd><a href=format!("mailto:{}", fiche.email)>{fiche.email.clone()}</a></dd>
        </dl>
        <h2>"Disponibilité"</h2>
        {fiche.suspension.clone().map(|sentence| view! { <p class="notice notice-info" role="note">{sentence}</p> })}
        <dl class="facts">
            <dt>"Disponibilité"</dt>
            <dd><span class=format!("badge {}", fiche.niveau)>{fiche.disponibilite}</span></dd>
            <dt>"Mesures en cours"</dt>
            <dd>{fiche.en_cours}</dd>
            <dt>"Mesures en attente"</dt>
            <dd>{fiche.en_attente}</dd>
            <dt>"Mesures souhaitées"</dt>
            <dd>{fiche.souhaitees}</dd>
            <dt>"Dernière mise à jour"</dt>
            <dd>{fiche.mise_a_jour}{fiche.perime.then(|| view! { <br/><StaleWarning/> })}</dd>
        </dl>
        <p>{fiche.secretariat}</p>
        {fiche.etablissements.map(|etablissements| view! {
            <h2>"Établissements"</h2>
            {if etablissements.is_empty() {
                view! { <p>"Aucun établissement déclaré."</p> }.into_any()
            } else {
                view! {
                    <ul>{etablissements.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        })}
        {fiche.antennes.map(|antennes| view! {
            <h2>"Antennes"</h2>
            {if antennes.is_empty() {
                view! { <p>"Ce service n'a déclaré aucune antenne."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrapper" role="region" tabindex="0" aria-label="Tableau : faites-le défiler horizontalement si besoin">
                        <table class="table">
                            <caption>"Antennes du service et leur disponibilité"</caption>
                            <thead><tr>
                                <th scope="col">"Antenne"</th>
                                <th scope="col">"Commune"</th>
                                <th scope="col">"Contact"</th>
                                <th scope="col">"Disponibilité"</th>
                                <th scope="col">"En cours / souhaitées"</th>
                                <th scope="col">"En attente"</th>
                            </tr></thead>
                            <tbody>
                                {antennes.into_iter().map(|a| view! {
                                    <tr>
                                        <th scope="row">{a.nom}</th>
                                        <td>{a.adresse}<br/>{a.commune}</td>
                                        <td>{a.contact}<br/>{a.telephone}<br/>{a.email}</td>
                                        <td><span class=format!("badge {}", a.niveau)>{a.disponibilite}</span></td>
                                        <td>{format!("{} / {}", a.en_cours, a.souhaitees)}</td>
                                        <td>{a.en_attente}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        })}
        <h2>"Tribunaux"</h2>
        <ul>{fiche.tribunaux.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
        <h2>"Informations à destination des magistrats"</h2>
        {if fiche.informations.trim().is_empty() {
            view! { <p>"Aucune information."</p> }.into_any()
        } else {
            view! { <p class="free-text">{fiche.informations}</p> }.into_any()
        }}
        <NotesSection mandataire=fiche.id notes=fiche.notes form/>
        <p><a href="/magistrat/mandataires">"Retour à la liste des mandataires"</a></p>
    }
}

/// "Notes" (SPEC §6.2 P2): the tribunal's notes on this mandataire, "Supprimer" on each, and a new one.
#[component]
fn NotesSection(mandataire: u64, notes: Vec<NoteRow>, form: FormState) -> impl IntoView {
    let add = Submission::<AddNote>::new();
    let remove = Submission::<DeleteNote>::new();
    let initial = form.value("texte");
    let state = form_state(add, form);
    let error = move || state.with(|(f, _)| f.error("texte"));
    view! {
        <section aria-labelledby="notes-titre">
            <h2 id="notes-titre">"Notes"</h2>
            <p class="notice notice-info" role="note">{rules::WARNING}</p>
            {if notes.is_empty() {
                view! { <p>"Aucune note."</p> }.into_any()
            } else {
                view! {
                    <ul class="notes-list">
                        {notes.into_iter().map(|note| view! {
                            <li>
                                <p class="hint">{note.ajoute_le.clone()}" – "{note.auteur}</p>
                                <p class="free-text">{note.texte}</p>
                                <PostForm action=remove attr:class="inline-form">
                                    <input type="hidden" name="mandataire" value=mandataire/>
                                    <input type="hidden" name="id" value=note.id/>
                                    <button type="submit" class="button button-small button-secondary">
                                        "Supprimer"<span class="visually-hidden">{format!(" la note {}", note.ajoute_le.to_lowercase())}</span>
                                    </button>
                                </PostForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <PostForm action=add attr:class="form">
                <FormErrors state/>
                <input type="hidden" name="mandataire" value=mandataire/>
                <div class="field" class:field-has-error=move || error().is_some()>
                    <label for="texte">{rules::LABEL}</label>
                    {move || error().map(|message| view! { <p class="error-message" id=error_id("texte")>{message}</p> })}
                    <textarea id="texte" name="texte" rows="4"
                        aria-invalid=move || error().map(|_| "true")
                        aria-describedby=move || error().map(|_| error_id("texte"))
                    >{initial}</textarea>
                </div>
                <button type="submit" class="button">"Enregistrer"</button>
            </PostForm>
        </section>
    }
}

//! Server-function bodies of the account pages (SPEC §4): sign-up, login, logout, forgotten, reset and
//! changed passwords. Each state change is one write transaction holding its audit entry and its e-mails.

use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;

use redb::ReadableDatabase;

use crate::api::accounts::{MagistratSignUpForm, MandataireSignUpForm, TribunalGroup};
use crate::api::form::{FormReply, FormState, PageFlash};
use crate::api::AppError;
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::users::{self, AccountStatus, CreateUserError, NewUser, User};
use crate::db::{audit, now, reset_tokens, sessions};
use crate::rules::account::{normalize_email, normalize_identifiant, Role};
use crate::rules::password as policy;
use crate::rules::profile::{self as rules, Genre};
use crate::rules::{text, Suggestion};
use crate::server::auth::throttle::IpEvent;
use crate::server::auth::{password, session};
use crate::server::context::{plain_form_post, set_status, Ctx, Visit};
use crate::server::{flash, mail, AppState};

pub const LOGIN_FAILED: &str = "Identifiant, adresse email ou mot de passe incorrect.";
pub const NOT_YET_ACTIVE: &str =
    "Votre compte n'est pas encore actif, il sera validé très bientôt par l'équipe e-MJPM.";
pub const DEACTIVATED: &str = "Votre compte est désactivé. Contactez l'équipe e-MJPM.";
pub const IP_THROTTLED: &str =
    "Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes.";
pub const RESET_SENT: &str = "Si un compte correspond à cette adresse, un email contenant un lien de réinitialisation vient d'être envoyé. Ce lien est valable 2 heures.";
pub const RESET_LINK_DEAD: &str =
    "Ce lien de réinitialisation n'est plus valable. Faites une nouvelle demande.";
pub const LOGGED_OUT: &str = "Vous êtes déconnecté.";
pub const PASSWORD_RESET_DONE: &str =
    "Votre mot de passe a bien été changé. Vous pouvez vous connecter.";
pub const PASSWORD_CHANGED: &str = "Votre mot de passe a été modifié.";
pub const CURRENT_PASSWORD_WRONG: &str = "Le mot de passe actuel est incorrect.";
const RETYPE: &str = "Saisissez-le à nouveau.";
const RESET_TOKEN_SECS: i64 = 2 * 3600;

/// What a page finds for it after a redirect (see `flash`).
pub fn page_flash(form: &str) -> Result<PageFlash, AppError> {
    let Visit { state, parts, .. } = Visit::current()?;
    Ok(state.flash.take(&parts, form))
}

/// A refused form: without JavaScript it is kept for its page and the browser is sent back there, password
/// fields emptied and their messages asking to type them again; with JavaScript the state is the answer.
pub(crate) fn refuse(
    parts: &Parts,
    form: &str,
    page: &str,
    mut state: FormState,
    password_fields: &[&str],
) -> FormReply {
    state
        .values
        .retain(|(name, _)| !password_fields.contains(&name.as_str()));
    if plain_form_post(parts) {
        for (field, message) in &mut state.errors {
            if password_fields.contains(&field.as_str()) {
                message.push(' ');
                message.push_str(RETYPE);
            }
        }
        flash::keep_refused_form(parts, form, &state);
        leptos_axum::redirect(page);
    }
    FormReply::Invalid(state)
}

/// 429 with the per-address message (SPEC §4.5); a plain form gets it as a page
/// (`security::plain_form_errors`).
fn throttled() -> FormReply {
    set_status(StatusCode::TOO_MANY_REQUESTS);
    FormReply::Throttled(IP_THROTTLED.to_owned())
}

/// Success: the next page shows `notice` once.
pub(crate) fn done(parts: &Parts, target: &str, notice: Option<&str>) -> FormReply {
    if let Some(message) = notice {
        flash::keep_notice(parts, message);
    }
    leptos_axum::redirect(target);
    FormReply::Done
}

async fn hash_password(secret: String) -> Result<String, AppError> {
    password::run_limited(move || password::hash(&secret))
        .await?
        .map_err(AppError::internal)
}

pub(crate) async fn verify_password(secret: String, phc: String) -> Result<bool, AppError> {
    password::run_limited(move || password::verify(&secret, &phc))
        .await
        .map_err(AppError::internal)
}

// ---------------------------------------------------------------------------------------------------------
// Sign-up (SPEC §4.1, §4.2)

/// Active tribunaux grouped by région, régions and tribunaux alphabetical.
pub fn tribunal_groups(state: &AppState) -> Result<Vec<TribunalGroup>, AppError> {
    let read = state.db.begin_read()?;
    let today = crate::server::time::today_iso();
    let mut groups: Vec<TribunalGroup> = Vec::new();
    for tribunal in crate::db::tribunaux::all(&read)?
        .into_iter()
        .filter(|t| t.is_active(&today))
    {
        let region = state
            .reference
            .region_of_departement(&tribunal.departement)
            .unwrap_or("Autres")
            .to_owned();
        let option = Suggestion {
            id: tribunal.id.to_string(),
            label: tribunal.nom.clone(),
        };
        match groups.iter_mut().find(|g| g.region == region) {
            Some(group) => group.tribunaux.push(option),
            None => groups.push(TribunalGroup {
                region,
                tribunaux: vec![option],
            }),
        }
    }
    groups.sort_by_key(|g| text::fold(&g.region));
    for group in &mut groups {
        group.tribunaux.sort_by_key(|t| text::fold(&t.label));
    }
    Ok(groups)
}

/// The identity fields common to both sign-ups, checked in the order of the form.
struct Identity {
    identifiant: Option<String>,
    email: Option<String>,
    nom: Option<String>,
    prenom: Option<String>,
    genre: Option<Genre>,
    password: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn check_identity(
    state: &AppState,
    out: &mut FormState,
    identifiant: &str,
    mot_de_passe: &str,
    confirmation: &str,
    nom: &str,
    prenom: &str,
    genre: &str,
    email_field: Option<&str>,
    email: &str,
) -> Identity {
    let identifiant = if identifiant.trim().is_empty() {
        out.fail("identifiant", rules::required("Identifiant désiré"));
        None
    } else {
        normalize_identifiant(identifiant)
            .map_err(|m| out.fail("identifiant", m))
            .ok()
            .filter(|identifiant| {
                // Told with the other errors, not only once everything else is right (SPEC §18, 3).
                let taken = taken(state, identifiant);
                if taken {
                    out.fail("identifiant", crate::rules::account::IDENTIFIANT_TAKEN);
                }
                !taken
            })
    };
    let normalized_email = normalize_email(email).ok();
    let password = if mot_de_passe.is_empty() {
        out.fail("mot_de_passe", rules::required("Mot de passe désiré"));
        None
    } else {
        match password::policy_error(
            mot_de_passe,
            identifiant.as_deref().unwrap_or(""),
            normalized_email.as_deref().unwrap_or(""),
        ) {
            Some(message) => {
                out.fail("mot_de_passe", message);
                None
            }
            None => Some(mot_de_passe.to_owned()),
        }
    };
    if confirmation.is_empty() {
        out.fail(
            "confirmation",
            rules::required("Confirmation du mot de passe"),
        );
    } else if confirmation != mot_de_passe {
        out.fail("confirmation", rules::PASSWORDS_DIFFER);
    }
    let (nom, prenom, genre) = check_person(out, nom, prenom, genre);
    let email = match email_field {
        // The mandataire form checks the e-mail later, at its place in the form.
        Some(_) => normalized_email,
        None => check_email(state, out, email),
    };
    Identity {
        identifiant,
        email,
        nom,
        prenom,
        genre,
        password,
    }
}

pub(crate) fn check_email(state: &AppState, out: &mut FormState, email: &str) -> Option<String> {
    if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        return None;
    }
    let email = normalize_email(email)
        .map_err(|m| out.fail("email", m))
        .ok()?;
    if taken(state, &email) {
        out.fail("email", crate::rules::account::EMAIL_TAKEN);
        return None;
    }
    Some(email)
}

/// True when an account already uses this identifiant or e-mail (the creation checks again, in its
/// transaction). A storage failure reads as free: the creation will tell.
fn taken(state: &AppState, login: &str) -> bool {
    state
        .db
        .begin_read()
        .ok()
        .and_then(|read| users::find_by_login(&read, login).ok())
        .flatten()
        .is_some()
}

/// Orders the errors as the fields appear in the form, for the summary.
pub(crate) fn in_form_order(out: &mut FormState, fields: &[&str]) {
    out.errors
        .sort_by_key(|(field, _)| fields.iter().position(|f| f == field).unwrap_or(usize::MAX));
}

/// "Nom", "Prénom" and "Genre" (SPEC §4.1), for the sign-ups and the profile edits.
fn check_person(
    out: &mut FormState,
    nom: &str,
    prenom: &str,
    genre: &str,
) -> (Option<String>, Option<String>, Option<Genre>) {
    let nom = rules::bounded_text(nom, "Nom", 100, "Le nom", true)
        .map_err(|m| out.fail("nom", m))
        .ok();
    let prenom = rules::bounded_text(prenom, "Prénom", 100, "Le prénom", true)
        .map_err(|m| out.fail("prenom", m))
        .ok();
    let genre = Genre::from_code(genre);
    if genre.is_none() {
        out.fail("genre", rules::GENRE_MISSING);
    }
    (nom, prenom, genre)
}

/// The identity part of both profile edits (SPEC §5.7, §6.6): "Nom", "Prénom", "Genre" and "Adresse email".
pub(crate) struct ProfileIdentity {
    pub nom: String,
    pub prenom: String,
    pub genre: Genre,
    pub email: String,
    /// The e-mail differs from the account's: the current password must be checked before storing.
    pub email_changes: bool,
}

/// Checks the identity fields of a profile edit into `out` (the e-mail changes only with "Mot de passe
/// actuel", field `mot_de_passe_actuel`); `None` when one is refused.
pub(crate) fn check_profile_identity(
    out: &mut FormState,
    user: &User,
    nom: &str,
    prenom: &str,
    genre: &str,
    email: &str,
    current_password: &str,
) -> Option<ProfileIdentity> {
    let (nom, prenom, genre) = check_person(out, nom, prenom, genre);
    let email = if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let email_changes = email.as_ref().is_some_and(|e| *e != user.email);
    if email_changes && current_password.is_empty() {
        out.fail("mot_de_passe_actuel", rules::CURRENT_PASSWORD_NEEDED);
    }
    Some(ProfileIdentity {
        nom: nom?,
        prenom: prenom?,
        genre: genre?,
        email: email?,
        email_changes,
    })
}

/// Writes the identity into the account in `write`. `Ok(Err(message))` when the e-mail belongs to another
/// account (nothing is written then).
pub(crate) fn store_profile_identity(
    write: &redb::WriteTransaction,
    user_id: u64,
    identity: &ProfileIdentity,
) -> Result<Result<(), String>, AppError> {
    let Some(mut stored) = users::get_in(write, user_id)? else {
        return Err(AppError::NotFound);
    };
    stored.nom = identity.nom.clone();
    stored.prenom = identity.prenom.clone();
    stored.email = identity.email.clone();
    match users::put(write, &stored) {
        Ok(()) => Ok(Ok(())),
        Err(CreateUserError::Store(e)) => Err(AppError::internal(e)),
        Err(taken) => Ok(Err(taken.to_string())),
    }
}

/// "Téléphone" (required) and "Téléphone portable" (optional), as sign-up and "Mes informations" check them.
pub(crate) fn check_telephones(
    out: &mut FormState,
    telephone: &str,
    portable: &str,
) -> (Option<String>, Option<Option<String>>) {
    let telephone = if telephone.trim().is_empty() {
        out.fail("telephone", rules::required("Téléphone"));
        None
    } else {
        rules::telephone(telephone)
            .map_err(|m| out.fail("telephone", m))
            .ok()
    };
    let portable = if portable.trim().is_empty() {
        Some(None)
    } else {
        rules::telephone(portable)
            .map(Some)
            .map_err(|m| out.fail("telephone_portable", m))
            .ok()
    };
    (telephone, portable)
}

/// "Nombre de mesures souhaitées" (required).
pub(crate) fn check_capacity(out: &mut FormState, input: &str) -> Option<u32> {
    if input.trim().is_empty() {
        out.fail(
            "mesures_souhaitees",
            rules::required("Nombre de mesures souhaitées"),
        );
        None
    } else {
        rules::capacity(input)
            .map_err(|m| out.fail("mesures_souhaitees", m))
            .ok()
    }
}

/// The (INSEE code, code postal, commune name) of "Code postal" + "Commune" (SPEC §4.1, §9).
pub fn check_place(
    state: &AppState,
    out: &mut FormState,
    code_postal: &str,
    commune: &str,
    commune_id: &str,
    commune_choix: &str,
) -> Option<(String, String, String)> {
    if code_postal.trim().is_empty() {
        out.fail("code_postal", rules::required("Code postal"));
        if commune.trim().is_empty() && commune_id.is_empty() {
            out.fail("commune", rules::required("Commune"));
        }
        return None;
    }
    let code_postal = match rules::code_postal_format(code_postal) {
        Ok(cp) => cp,
        Err(message) => {
            out.fail("code_postal", message);
            if commune.trim().is_empty() && commune_id.is_empty() {
                out.fail("commune", rules::required("Commune"));
            }
            return None;
        }
    };
    let reference = &state.reference;
    let places = reference.places_of_code_postal(&code_postal);
    if places.is_empty() {
        out.fail("code_postal", rules::CODE_POSTAL_UNKNOWN);
        return None;
    }
    let found = |place: crate::server::reference::Place| {
        let c = reference.commune_of(place);
        (c.code_insee.clone(), code_postal.clone(), c.nom.clone())
    };
    let chosen = [commune_choix, commune_id]
        .into_iter()
        .find(|id| !id.is_empty());
    if let Some(id) = chosen {
        if let Some(place) = places
            .iter()
            .copied()
            .find(|&p| reference.place_id(p) == id)
        {
            return Some(found(place));
        }
    }
    let typed = commune.trim();
    if typed.is_empty() {
        if places.len() == 1 {
            return Some(found(places[0]));
        }
        out.fail("commune", rules::required("Commune"));
        out.choices.push((
            "commune".to_owned(),
            String::new(),
            places
                .iter()
                .map(|&p| Suggestion {
                    id: reference.place_id(p),
                    label: reference.place_label(p),
                })
                .collect(),
        ));
        return None;
    }
    let matching: Vec<_> = places
        .iter()
        .copied()
        .filter(|&p| {
            text::same_words(&reference.commune_of(p).nom, typed)
                || text::same_words(&reference.place_label(p), typed)
        })
        .collect();
    match matching.as_slice() {
        [place] => Some(found(*place)),
        _ => {
            out.fail(
                "commune",
                format!(
                    "La commune « {typed} » ne correspond pas au code postal {code_postal}. Choisissez-la dans la liste."
                ),
            );
            None
        }
    }
}

fn echo_mandataire(form: &MandataireSignUpForm, out: &mut FormState) {
    for (name, value) in [
        ("type_mandataire", &form.type_mandataire),
        ("identifiant", &form.identifiant),
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("adresse", &form.adresse),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("telephone", &form.telephone),
        ("telephone_portable", &form.telephone_portable),
        ("email", &form.email),
        ("mesures_souhaitees", &form.mesures_souhaitees),
    ] {
        out.set(name, value.clone());
    }
    out.lists
        .push(("tribunaux".to_owned(), form.tribunaux.clone()));
}

const MANDATAIRE_FIELDS: &[&str] = &[
    "tribunaux",
    "type_mandataire",
    "identifiant",
    "mot_de_passe",
    "confirmation",
    "nom",
    "prenom",
    "genre",
    "adresse",
    "code_postal",
    "commune",
    "telephone",
    "telephone_portable",
    "email",
    "mesures_souhaitees",
    "etablissement",
];
const MAGISTRAT_FIELDS: &[&str] = &[
    "tribunal",
    "cabinet",
    "identifiant",
    "mot_de_passe",
    "confirmation",
    "nom",
    "prenom",
    "genre",
    "email",
];
const SIGN_UP_PAGE: &str = "/inscription";
const SIGN_UP_FORM: &str = "inscription";
const PASSWORD_FIELDS: &[&str] = &["mot_de_passe", "confirmation"];

pub async fn sign_up_mandataire(form: MandataireSignUpForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    echo_mandataire(&form, &mut out);

    // The établissements list (préposé): "Ajouter" and "-" post the form and come back to it.
    let mut etablissements: Vec<String> = Vec::new();
    for finess in &form.etablissements {
        if state.etablissements.get().entry(finess).is_some() && !etablissements.contains(finess) {
            etablissements.push(finess.clone());
        }
    }
    let adding = form.action == "ajouter_etablissement";
    if let Some(finess) = form.action.strip_prefix("retirer_etablissement:") {
        etablissements.retain(|f| f != finess);
        push_etablissements(&state, &mut out, &etablissements);
        return Ok(refuse(
            &parts,
            SIGN_UP_FORM,
            SIGN_UP_PAGE,
            out,
            PASSWORD_FIELDS,
        ));
    }
    let typed = form.etablissement.trim();
    if adding || !typed.is_empty() || !form.etablissement_choix.is_empty() {
        let chosen = [&form.etablissement_choix, &form.etablissement_id]
            .into_iter()
            .find(|id| !id.is_empty())
            .map(String::as_str);
        let index = state.etablissements.get();
        let empty = adding.then(|| rules::required("Noms d’établissements"));
        let unknown = crate::server::mesures::etablissement_unknown(typed);
        match index.resolve_in_form(&mut out, "etablissement", typed, chosen, empty, unknown) {
            Some(entry) => {
                if !etablissements.contains(&entry.id) {
                    etablissements.push(entry.id.clone());
                }
            }
            // Kept for another try, with its message.
            None => out.set("etablissement", typed),
        }
    }
    push_etablissements(&state, &mut out, &etablissements);
    if adding {
        return Ok(refuse(
            &parts,
            SIGN_UP_FORM,
            SIGN_UP_PAGE,
            out,
            PASSWORD_FIELDS,
        ));
    }

    // The form, in its order.
    let today = crate::server::time::today_iso();
    let tribunaux: Vec<crate::db::tribunaux::Tribunal> = {
        let read = state.db.begin_read()?;
        let all = crate::db::tribunaux::all(&read)?;
        let mut chosen = Vec::new();
        for id in &form.tribunaux {
            if let Some(t) = all
                .iter()
                .find(|t| t.id.to_string() == *id && t.is_active(&today))
            {
                if !chosen
                    .iter()
                    .any(|c: &crate::db::tribunaux::Tribunal| c.id == t.id)
                {
                    chosen.push(t.clone());
                }
            }
        }
        chosen
    };
    if tribunaux.is_empty() {
        out.fail("tribunaux", rules::TRIBUNAUX_MISSING);
    }
    let role = match form.type_mandataire.as_str() {
        "individuel" => Some(Role::Individuel),
        "prepose" => Some(Role::Prepose),
        _ => {
            out.fail("type_mandataire", rules::KIND_MISSING);
            None
        }
    };
    let identity = check_identity(
        &state,
        &mut out,
        &form.identifiant,
        &form.mot_de_passe,
        &form.confirmation,
        &form.nom,
        &form.prenom,
        &form.genre,
        Some("email"),
        &form.email,
    );
    let adresse = rules::bounded_text(&form.adresse, "Adresse", 200, "L'adresse", true)
        .map_err(|m| out.fail("adresse", m))
        .ok();
    let place = check_place(
        &state,
        &mut out,
        &form.code_postal,
        &form.commune,
        &form.commune_id,
        &form.commune_choix,
    );
    let (telephone, portable) =
        check_telephones(&mut out, &form.telephone, &form.telephone_portable);
    let email = check_email(&state, &mut out, &form.email);
    let capacity = check_capacity(&mut out, &form.mesures_souhaitees);
    in_form_order(&mut out, MANDATAIRE_FIELDS);
    let (
        Some(role),
        Some(identifiant),
        Some(secret),
        Some(nom),
        Some(prenom),
        Some(genre),
        Some(adresse),
        Some((code_insee, code_postal, commune)),
        Some(telephone),
        Some(portable),
        Some(email),
        Some(capacity),
        true,
    ) = (
        role,
        identity.identifiant,
        identity.password,
        identity.nom,
        identity.prenom,
        identity.genre,
        adresse,
        place,
        telephone,
        portable,
        email,
        capacity,
        out.errors.is_empty(),
    )
    else {
        return Ok(refuse(
            &parts,
            SIGN_UP_FORM,
            SIGN_UP_PAGE,
            out,
            PASSWORD_FIELDS,
        ));
    };

    if state.throttle.address_blocked(IpEvent::SignUp, &ip) {
        return Ok(throttled());
    }
    state.throttle.address_counted(IpEvent::SignUp, &ip);
    let password_hash = hash_password(secret).await?;
    let profile = Mandataire {
        genre,
        adresse,
        code_postal,
        code_insee,
        commune,
        telephone,
        telephone_portable: portable,
        mesures_souhaitees: capacity,
        secretariat: false,
        secretariat_etp_centiemes: None,
        informations: String::new(),
        tribunaux: tribunaux.iter().map(|t| t.id).collect(),
        etablissements: if role == Role::Prepose {
            etablissements
        } else {
            Vec::new()
        },
        mesures_en_cours: 0,
        mesures_en_attente: 0,
        derniere_mise_a_jour: None,
    };
    let new_user = NewUser {
        identifiant,
        email,
        role,
        nom,
        prenom,
        status: AccountStatus::EnAttente,
        password_hash,
    };
    let names: Vec<String> = tribunaux.iter().map(|t| t.nom.clone()).collect();
    let created = create_account(&state, &ip, new_user, &names, |write, user_id| {
        profiles::put_mandataire(write, user_id, &profile)
    })?;
    match created {
        Err(taken) => {
            let field = match taken {
                CreateUserError::EmailTaken => "email",
                _ => "identifiant",
            };
            out.fail(field, taken.to_string());
            Ok(refuse(
                &parts,
                SIGN_UP_FORM,
                SIGN_UP_PAGE,
                out,
                PASSWORD_FIELDS,
            ))
        }
        Ok(()) => Ok(done(&parts, "/inscription/confirmation", None)),
    }
}

/// The établissements of the form and their labels, for its list.
pub(crate) fn push_etablissements(state: &AppState, out: &mut FormState, finess: &[String]) {
    let labels = finess
        .iter()
        .map(|f| state.etablissements.label_or_id(f))
        .collect();
    out.lists
        .push(("etablissements".to_owned(), finess.to_vec()));
    out.lists
        .push(("etablissements_libelles".to_owned(), labels));
}

/// Creates the inactive account, its profile, the audit entry and the "Nouvelle inscription" e-mails in one
/// write transaction. A taken identifiant or e-mail is the inner error.
fn create_account(
    state: &AppState,
    ip: &str,
    new_user: NewUser,
    tribunaux: &[String],
    profile: impl FnOnce(&redb::WriteTransaction, u64) -> Result<(), crate::db::StoreError>,
) -> Result<Result<(), CreateUserError>, AppError> {
    let write = state.db.begin_write()?;
    let user = match users::create(&write, new_user) {
        Ok(user) => user,
        Err(CreateUserError::Store(e)) => return Err(AppError::internal(e)),
        Err(taken) => return Ok(Err(taken)),
    };
    profile(&write, user.id)?;
    audit::record(
        &write,
        None,
        ip,
        "Inscription",
        &format!("utilisateur {}", user.id),
        "Succès",
    )?;
    let read_admins = users::active_admin_emails_in(&write)?;
    let body = mail::sign_up_body(
        &state.settings,
        &format!("{} {}", user.prenom, user.nom),
        user.role.label(),
        &user.email,
        tribunaux,
        user.id,
    );
    let mut recipients = read_admins;
    if let Some(contact) = &state.settings.contact_email {
        if !recipients.contains(contact) {
            recipients.push(contact.clone());
        }
    }
    for to in &recipients {
        mail::queue(&write, to, mail::SUBJECT_SIGN_UP, &body)?;
    }
    write.commit()?;
    state.mail_wakeup.notify_one();
    Ok(Ok(()))
}

const MAGISTRAT_PAGE: &str = "/inscription/magistrat";
const MAGISTRAT_FORM: &str = "inscription-magistrat";

pub async fn sign_up_magistrat(form: MagistratSignUpForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    for (name, value) in [
        ("tribunal", &form.tribunal),
        ("cabinet", &form.cabinet),
        ("identifiant", &form.identifiant),
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("email", &form.email),
    ] {
        out.set(name, value.clone());
    }
    let chosen = [&form.tribunal_choix, &form.tribunal_id]
        .into_iter()
        .find(|id| !id.is_empty())
        .map(String::as_str);
    let index = state.tribunaux.get();
    let tribunal_id = index
        .resolve_in_form(
            &mut out,
            "tribunal",
            &form.tribunal,
            chosen,
            Some(rules::TRIBUNAL_MISSING.to_owned()),
            format!(
                "Aucun tribunal ne correspond à « {} ». Vérifiez l'orthographe.",
                form.tribunal.trim()
            ),
        )
        .and_then(|entry| entry.id.parse::<u64>().ok());
    let cabinet = rules::bounded_text(
        &form.cabinet,
        "Cabinet (optionnel)",
        20,
        "Le cabinet",
        false,
    )
    .map_err(|m| out.fail("cabinet", m))
    .ok();
    let identity = check_identity(
        &state,
        &mut out,
        &form.identifiant,
        &form.mot_de_passe,
        &form.confirmation,
        &form.nom,
        &form.prenom,
        &form.genre,
        None,
        &form.email,
    );
    in_form_order(&mut out, MAGISTRAT_FIELDS);
    let (
        Some(tribunal_id),
        Some(cabinet),
        Some(identifiant),
        Some(secret),
        Some(nom),
        Some(prenom),
        Some(genre),
        Some(email),
        true,
    ) = (
        tribunal_id,
        cabinet,
        identity.identifiant,
        identity.password,
        identity.nom,
        identity.prenom,
        identity.genre,
        identity.email,
        out.errors.is_empty(),
    )
    else {
        return Ok(refuse(
            &parts,
            MAGISTRAT_FORM,
            MAGISTRAT_PAGE,
            out,
            PASSWORD_FIELDS,
        ));
    };
    let tribunal_name = state
        .tribunaux
        .get()
        .entry(&tribunal_id.to_string())
        .map(|e| e.label.clone())
        .unwrap_or_default();
    if state.throttle.address_blocked(IpEvent::SignUp, &ip) {
        return Ok(throttled());
    }
    state.throttle.address_counted(IpEvent::SignUp, &ip);
    let password_hash = hash_password(secret).await?;
    let new_user = NewUser {
        identifiant,
        email,
        role: Role::Magistrat,
        nom,
        prenom,
        status: AccountStatus::EnAttente,
        password_hash,
    };
    let profile = Magistrat {
        genre,
        tribunal_id,
        cabinet,
    };
    match create_account(&state, &ip, new_user, &[tribunal_name], |write, user_id| {
        profiles::put_magistrat(write, user_id, &profile)
    })? {
        Err(taken) => {
            let field = match taken {
                CreateUserError::EmailTaken => "email",
                _ => "identifiant",
            };
            out.fail(field, taken.to_string());
            Ok(refuse(
                &parts,
                MAGISTRAT_FORM,
                MAGISTRAT_PAGE,
                out,
                PASSWORD_FIELDS,
            ))
        }
        Ok(()) => Ok(done(&parts, "/inscription/confirmation", None)),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Login, logout (SPEC §4.3, §4.5)

const LOGIN_PAGE: &str = "/connexion";
const LOGIN_FORM: &str = "connexion";

pub async fn login(
    identifiant: String,
    mot_de_passe: String,
    retour: String,
) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let account_key = identifiant.trim().to_lowercase();
    let mut out = FormState::default();
    out.set("identifiant", identifiant.clone());
    out.set("retour", retour.clone());
    let login_page = if retour.is_empty() {
        LOGIN_PAGE.to_owned()
    } else {
        format!(
            "{LOGIN_PAGE}?retour={}",
            url::form_urlencoded::byte_serialize(retour.as_bytes()).collect::<String>()
        )
    };
    if account_key.is_empty() || mot_de_passe.is_empty() {
        if account_key.is_empty() {
            out.fail(
                "identifiant",
                rules::required("Identifiant ou adresse email"),
            );
        }
        if mot_de_passe.is_empty() {
            out.fail("mot_de_passe", rules::required("Mot de passe"));
        }
        return Ok(refuse(
            &parts,
            LOGIN_FORM,
            &login_page,
            out,
            &["mot_de_passe"],
        ));
    }
    if state.throttle.address_blocked(IpEvent::FailedLogin, &ip) {
        return Ok(throttled());
    }
    if let Some(seconds) = state.throttle.account_wait(&account_key) {
        out.fail(
            "identifiant",
            format!("Trop de tentatives de connexion. Réessayez dans {seconds} secondes."),
        );
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    }
    let user = {
        let read = state.db.begin_read()?;
        users::find_by_login(&read, &account_key)?
    };
    // The same work for an unknown identifiant: a hash is verified either way.
    let phc = user
        .as_ref()
        .map_or_else(|| password::DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let correct = verify_password(mot_de_passe.clone(), phc).await? && user.is_some();
    let Some(user) = user.filter(|_| correct) else {
        state.throttle.account_failed(&account_key);
        state.throttle.address_counted(IpEvent::FailedLogin, &ip);
        record(
            &state,
            None,
            &ip,
            "Échec de connexion",
            "",
            "Identifiant ou mot de passe incorrect",
        )?;
        out.fail("identifiant", LOGIN_FAILED);
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    };
    state.throttle.account_succeeded(&account_key);
    let refusal = match user.status {
        AccountStatus::EnAttente => Some(NOT_YET_ACTIVE),
        AccountStatus::Desactive => Some(DEACTIVATED),
        AccountStatus::Actif => None,
    };
    if let Some(message) = refusal {
        record(
            &state,
            Some(user.id),
            &ip,
            "Échec de connexion",
            &format!("utilisateur {}", user.id),
            message,
        )?;
        out.fail("identifiant", message);
        return Ok(refuse(&parts, LOGIN_FORM, &login_page, out, &[]));
    }
    let rehash = if password::needs_rehash(&user.password_hash) {
        Some(hash_password(mot_de_passe).await?)
    } else {
        None
    };
    let previous =
        session::cookie(&parts.headers, session::cookie_name(&state)).map(session::token_key);
    let write = state.db.begin_write()?;
    if let Some(previous) = previous {
        sessions::remove(&write, &previous)?;
    }
    let id = session::open(&write, user.id)?;
    let mut updated: User = user.clone();
    updated.last_login = Some(now());
    if let Some(phc) = rehash {
        updated.password_hash = phc;
    }
    users::put(&write, &updated)?;
    audit::record(
        &write,
        Some(user.id),
        &ip,
        "Connexion réussie",
        &format!("utilisateur {}", user.id),
        "Succès",
    )?;
    write.commit()?;
    set_cookie(&session::set_cookie(&state, &id));
    let target = crate::server::auth::safe_return_path(&retour)
        .filter(|path| {
            crate::server::auth::section_roles(path).is_none_or(|roles| roles.contains(&user.role))
                && !path.starts_with(LOGIN_PAGE)
        })
        .unwrap_or(user.role.home())
        .to_owned();
    Ok(done(&parts, &target, None))
}

fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// One audit entry in its own write transaction (for events that change nothing else).
fn record(
    state: &AppState,
    actor: Option<u64>,
    ip: &str,
    action: &str,
    object: &str,
    result: &str,
) -> Result<(), AppError> {
    let write = state.db.begin_write()?;
    audit::record(&write, actor, ip, action, object, result)?;
    write.commit().map_err(AppError::internal)
}

pub async fn logout() -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    if let Some(caller) = session::caller(&state, &parts.headers)? {
        let write = state.db.begin_write()?;
        sessions::remove(&write, &caller.session_key)?;
        audit::record(
            &write,
            Some(caller.user.id),
            &ip,
            "Déconnexion",
            &format!("utilisateur {}", caller.user.id),
            "Succès",
        )?;
        write.commit()?;
    }
    set_cookie(&session::clear_cookie(&state));
    Ok(done(&parts, LOGIN_PAGE, Some(LOGGED_OUT)))
}

// ---------------------------------------------------------------------------------------------------------
// Forgotten, reset and changed passwords (SPEC §4.3)

const FORGOT_PAGE: &str = "/mot-de-passe-oublie";
const FORGOT_FORM: &str = "mot-de-passe-oublie";

pub async fn request_reset(email: String) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    out.set("email", email.clone());
    let Some(email) = normalize_email(&email)
        .map_err(|m| {
            if email.trim().is_empty() {
                out.fail("email", rules::required("Adresse email"));
            } else {
                out.fail("email", m);
            }
        })
        .ok()
    else {
        return Ok(refuse(&parts, FORGOT_FORM, FORGOT_PAGE, out, &[]));
    };
    if state.throttle.address_blocked(IpEvent::ResetRequest, &ip) {
        return Ok(throttled());
    }
    state.throttle.address_counted(IpEvent::ResetRequest, &ip);
    let user = {
        let read = state.db.begin_read()?;
        users::find_by_login(&read, &email)?
    };
    let write = state.db.begin_write()?;
    match &user {
        Some(user) => {
            let token = session::random_token();
            reset_tokens::insert(
                &write,
                &session::token_key(&token),
                &reset_tokens::ResetToken {
                    user_id: user.id,
                    expires_at: now() + RESET_TOKEN_SECS,
                },
            )?;
            mail::queue(
                &write,
                &user.email,
                mail::SUBJECT_RESET,
                &mail::reset_body(&state.settings, &user.identifiant, &token),
            )?;
            audit::record(
                &write,
                Some(user.id),
                &ip,
                "Demande de réinitialisation du mot de passe",
                &format!("utilisateur {}", user.id),
                "Succès",
            )?;
        }
        None => {
            audit::record(
                &write,
                None,
                &ip,
                "Demande de réinitialisation du mot de passe",
                "",
                "Adresse inconnue",
            )?;
        }
    }
    write.commit()?;
    state.mail_wakeup.notify_one();
    Ok(flash::stay(&parts, FORGOT_PAGE, RESET_SENT))
}

/// True when a reset link can still be used (the page shows the form, or the "plus valable" message).
pub fn reset_link_valid(jeton: &str) -> Result<bool, AppError> {
    let Visit { state, .. } = Visit::current()?;
    let read = state.db.begin_read()?;
    Ok(reset_tokens::peek(&read, &session::token_key(jeton), now())?.is_some())
}

const RESET_FORM: &str = "reinitialiser";

pub async fn reset_password(
    jeton: String,
    mot_de_passe: String,
    confirmation: String,
) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let page = format!("/reinitialiser-mot-de-passe?jeton={jeton}");
    let key = session::token_key(&jeton);
    let mut out = FormState::default();
    let user = {
        let read = state.db.begin_read()?;
        match reset_tokens::peek(&read, &key, now())? {
            Some(token) => users::get(&read, token.user_id)?,
            None => None,
        }
    };
    let Some(user) = user else {
        out.fail("", RESET_LINK_DEAD);
        return Ok(refuse(&parts, RESET_FORM, &page, out, &[]));
    };
    let fields = ["nouveau", "confirmation"];
    if let Some(message) = check_new_password(&mut out, &user, &mot_de_passe, &confirmation) {
        out.fail("nouveau", message);
    }
    if !out.errors.is_empty() {
        return Ok(refuse(&parts, RESET_FORM, &page, out, &fields));
    }
    let password_hash = hash_password(mot_de_passe).await?;
    let write = state.db.begin_write()?;
    // Taken inside the write: two concurrent uses cannot both succeed.
    if reset_tokens::take(&write, &key, now())?.is_none() {
        drop(write);
        out.fail("", RESET_LINK_DEAD);
        return Ok(refuse(&parts, RESET_FORM, &page, out, &[]));
    }
    change_password_in(
        &write,
        &ip,
        &user,
        password_hash,
        None,
        "Réinitialisation du mot de passe",
    )?;
    reset_tokens::remove_for_user(&write, user.id)?;
    write.commit()?;
    state.mail_wakeup.notify_one();
    Ok(done(&parts, LOGIN_PAGE, Some(PASSWORD_RESET_DONE)))
}

/// The policy message for a new password and its confirmation, `None` when both are right. The
/// confirmation's own error is added to `out`.
fn check_new_password(
    out: &mut FormState,
    user: &User,
    secret: &str,
    confirmation: &str,
) -> Option<&'static str> {
    if confirmation.is_empty() {
        out.fail(
            "confirmation",
            rules::required("Confirmation du nouveau mot de passe"),
        );
    } else if confirmation != secret {
        out.fail("confirmation", rules::PASSWORDS_DIFFER);
    }
    if secret.is_empty() {
        return Some(policy::TOO_SHORT);
    }
    password::policy_error(secret, &user.identifiant, &user.email)
}

/// Stores a new hash, ends the sessions (all but `keep`), queues "Confirmation du mot de passe" and audits,
/// in the caller's transaction.
fn change_password_in(
    write: &redb::WriteTransaction,
    ip: &str,
    user: &User,
    password_hash: String,
    keep: Option<&str>,
    action: &str,
) -> Result<(), AppError> {
    let mut updated = user.clone();
    updated.password_hash = password_hash;
    users::put(write, &updated)?;
    sessions::remove_for_user(write, user.id, keep)?;
    mail::queue(
        write,
        &user.email,
        mail::SUBJECT_PASSWORD_CHANGED,
        &mail::password_changed_body(now()),
    )?;
    audit::record(
        write,
        Some(user.id),
        ip,
        action,
        &format!("utilisateur {}", user.id),
        "Succès",
    )?;
    Ok(())
}

const CHANGE_PAGE: &str = "/compte/mot-de-passe";
const CHANGE_FORM: &str = "mot-de-passe";

pub async fn change_password(
    actuel: String,
    nouveau: String,
    confirmation: String,
) -> Result<FormReply, AppError> {
    let Ctx {
        state,
        parts,
        caller,
        ip,
    } = Ctx::any()?;
    let mut out = FormState::default();
    let fields = ["actuel", "nouveau", "confirmation"];
    if actuel.is_empty() {
        out.fail("actuel", rules::required("Mot de passe actuel"));
    } else if !verify_password(actuel, caller.user.password_hash.clone()).await? {
        out.fail("actuel", CURRENT_PASSWORD_WRONG);
    }
    if let Some(message) = check_new_password(&mut out, &caller.user, &nouveau, &confirmation) {
        out.fail("nouveau", message);
    }
    // The confirmation's message comes after the new password's, as in the form.
    out.errors
        .sort_by_key(|(field, _)| fields.iter().position(|f| f == field));
    if !out.errors.is_empty() {
        return Ok(refuse(&parts, CHANGE_FORM, CHANGE_PAGE, out, &fields));
    }
    let password_hash = hash_password(nouveau).await?;
    let write = state.db.begin_write()?;
    change_password_in(
        &write,
        &ip,
        &caller.user,
        password_hash,
        Some(&caller.session_key),
        "Changement du mot de passe",
    )?;
    write.commit()?;
    state.mail_wakeup.notify_one();
    Ok(flash::stay(&parts, CHANGE_PAGE, PASSWORD_CHANGED))
}

//! Sign-up of mandataires and magistrats (SPEC §4.1, §4.2).

use redb::ReadableDatabase;

use crate::api::accounts::{MagistratSignUpForm, MandataireSignUpForm, TribunalGroup};
use crate::api::form::{FormReply, FormState};
use crate::api::AppError;
use crate::db::audit;
use crate::db::profiles::{self, Magistrat, Mandataire};
use crate::db::users::{self, AccountStatus, CreateUserError, NewUser};
use crate::rules::account::Role;
use crate::rules::profile::{self as rules};
use crate::rules::{text, Suggestion};
use crate::server::auth::throttle::IpEvent;
use crate::server::context::Visit;
use crate::server::{mail, AppState};

use super::*;
use crate::rules::forms::account::{
    magistrat_echo, parse_magistrat_sign_up, parse_mandataire_sign_up, Identity, MagistratSignUp,
    MandataireSignUp,
};
use crate::rules::forms::Place;
use crate::server::forms::*;

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
    groups.sort_by_cached_key(|g| text::fold(&g.region));
    for group in &mut groups {
        group.tribunaux.sort_by_cached_key(|t| text::fold(&t.label));
    }
    Ok(groups)
}

pub(super) fn echo_mandataire(form: &MandataireSignUpForm, out: &mut FormState) {
    out.set_all(&[
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
        ("nom_service", &form.nom_service),
        ("siret", &form.siret),
        ("informations", &form.informations),
    ]);
    out.lists.push((
        "tribunaux".to_owned(),
        form.tribunaux.iter().take(MAX_TRIBUNAUX).cloned().collect(),
    ));
}

/// The most tribunaux one sign-up may name: a mandataire is agréé by a few of them, a few dozen at most.
/// Checked before any look-up, so that a post naming thousands costs nothing (issue 14, point 4).
pub const MAX_TRIBUNAUX: usize = 100;
/// The most établissements one préposé's sign-up may carry.
pub const MAX_ETABLISSEMENTS: usize = 200;
pub const TOO_MANY_TRIBUNAUX: &str = "Sélectionnez au plus 100 tribunaux.";
pub const TOO_MANY_ETABLISSEMENTS: &str = "Indiquez au plus 200 établissements.";

pub(super) const SIGN_UP_PAGE: &str = "/inscription";
pub(super) const SIGN_UP_FORM: &str = "inscription";
pub(super) const PASSWORD_FIELDS: &[&str] = &["mot_de_passe", "confirmation"];

pub async fn sign_up_mandataire(form: MandataireSignUpForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let mut out = FormState::default();
    echo_mandataire(&form, &mut out);

    if form.tribunaux.len() > MAX_TRIBUNAUX || form.etablissements.len() > MAX_ETABLISSEMENTS {
        if form.tribunaux.len() > MAX_TRIBUNAUX {
            out.fail("tribunaux", TOO_MANY_TRIBUNAUX);
        }
        if form.etablissements.len() > MAX_ETABLISSEMENTS {
            out.fail("etablissement", TOO_MANY_ETABLISSEMENTS);
        }
        return Ok(refuse(
            &parts,
            SIGN_UP_FORM,
            SIGN_UP_PAGE,
            out,
            PASSWORD_FIELDS,
        ));
    }

    // The établissements list (préposé): "Ajouter" and "-" post the form and come back to it.
    let mut etablissements: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let index = state.etablissements.get();
    for finess in &form.etablissements {
        if seen.insert(finess.as_str()) && index.entry(finess).is_some() {
            etablissements.push(finess.clone());
        }
    }
    drop(index);
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
        let unknown = crate::server::forms::etablissement_unknown(typed);
        match index.resolve_in_form(&mut out, "etablissement", typed, chosen, empty, unknown) {
            Some(entry) => {
                if !etablissements.iter().any(|f| f == entry.id) {
                    etablissements.push(entry.id.to_owned());
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

    // The form, in its order: the active tribunaux it names, then every field.
    let today = crate::server::time::today_iso();
    let tribunaux: Vec<crate::db::tribunaux::Tribunal> = {
        let read = state.db.begin_read()?;
        let mut all: std::collections::HashMap<u64, crate::db::tribunaux::Tribunal> =
            crate::db::tribunaux::all(&read)?
                .into_iter()
                .filter(|t| t.is_active(&today))
                .map(|t| (t.id, t))
                .collect();
        // In the form's order, each once (`remove`), ids parsed once.
        form.tribunaux
            .iter()
            .filter_map(|id| id.trim().parse::<u64>().ok())
            .filter_map(|id| all.remove(&id))
            .collect::<Vec<_>>()
    };
    let ids: Vec<u64> = tribunaux.iter().map(|t| t.id).collect();
    let sign_up = match parse_mandataire_sign_up(&form, out, &ids, &StateReferences(&state)) {
        Ok(sign_up) => sign_up,
        Err(out) => {
            return Ok(refuse(
                &parts,
                SIGN_UP_FORM,
                SIGN_UP_PAGE,
                out,
                PASSWORD_FIELDS,
            ))
        }
    };
    let MandataireSignUp {
        role,
        identity:
            Identity {
                identifiant,
                password: secret,
                nom,
                prenom,
                genre,
            },
        adresse,
        place:
            Place {
                code_insee,
                code_postal,
                commune,
            },
        telephone,
        telephone_portable: portable,
        email,
        mesures_souhaitees: capacity,
        service,
    } = sign_up;
    // Kept for the refusal of a taken identifiant or e-mail found by the creation itself.
    let mut out = FormState::default();
    echo_mandataire(&form, &mut out);
    push_etablissements(&state, &mut out, &etablissements);

    if state.throttle.address_blocked(IpEvent::SignUp, &ip) {
        return Err(throttled());
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
        informations: service
            .as_ref()
            .map(|s| s.informations.clone())
            .unwrap_or_default(),
        tribunaux: tribunaux.iter().map(|t| t.id).collect(),
        etablissements: if role == Role::Prepose {
            etablissements
        } else {
            Vec::new()
        },
        mesures_en_cours: 0,
        mesures_en_attente: 0,
        mesures_eteintes: 0,
        derniere_mise_a_jour: None,
        suspension: None,
        derniere_relance: None,
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
    let service = service.map(|s| crate::db::services::NewService {
        nom: s.nom,
        siret: s.siret,
        email: new_user.email.clone(),
        contact_nom: new_user.nom.clone(),
        contact_prenom: new_user.prenom.clone(),
    });
    let created = create_account(&state, &ip, new_user, &names, |write, user_id| {
        // A service's first account is its administrateur; the profile is the service's (issue 16).
        let owner = match service {
            Some(service) => crate::db::services::create(write, service, user_id)?.id,
            None => user_id,
        };
        profiles::put_mandataire(write, owner, &profile)
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

/// Creates the inactive account, its profile, the audit entry and the "Nouvelle inscription" e-mails in one
/// write transaction. A taken identifiant or e-mail is the inner error.
pub(super) fn create_account(
    state: &AppState,
    ip: &str,
    new_user: NewUser,
    tribunaux: &[String],
    profile: impl FnOnce(&redb::WriteTransaction, u64) -> Result<(), crate::db::StoreError>,
) -> Result<Result<(), CreateUserError>, AppError> {
    let write = crate::server::blocking::begin_write(&state.db)?;
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
    crate::server::blocking::commit(write)?;
    state.mail_wakeup.notify_one();
    Ok(Ok(()))
}

pub(super) const MAGISTRAT_PAGE: &str = "/inscription/magistrat";
pub(super) const MAGISTRAT_FORM: &str = "inscription-magistrat";

pub async fn sign_up_magistrat(form: MagistratSignUpForm) -> Result<FormReply, AppError> {
    let Visit {
        state, parts, ip, ..
    } = Visit::current()?;
    let sign_up = match parse_magistrat_sign_up(&form, &StateReferences(&state)) {
        Ok(sign_up) => sign_up,
        Err(out) => {
            return Ok(refuse(
                &parts,
                MAGISTRAT_FORM,
                MAGISTRAT_PAGE,
                out,
                PASSWORD_FIELDS,
            ))
        }
    };
    let MagistratSignUp {
        role,
        tribunal_id,
        cabinet,
        identity:
            Identity {
                identifiant,
                password: secret,
                nom,
                prenom,
                genre,
            },
        email,
    } = sign_up;
    let tribunal_name = state
        .tribunaux
        .get()
        .entry(&tribunal_id.to_string())
        .map(|e| e.label.to_owned())
        .unwrap_or_default();
    if state.throttle.address_blocked(IpEvent::SignUp, &ip) {
        return Err(throttled());
    }
    state.throttle.address_counted(IpEvent::SignUp, &ip);
    let password_hash = hash_password(secret).await?;
    let new_user = NewUser {
        identifiant,
        email,
        role,
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
            let mut out = magistrat_echo(&form);
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

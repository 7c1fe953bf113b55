//! The account forms (SPEC §4.1, §4.2, §5.7, §6.6): the mandataire's and the magistrat's sign-up, and the
//! identity, telephone and capacity fields that the profile edits share with them.

use super::{finish, Place, References};
use crate::api::accounts::{MagistratSignUpForm, MandataireSignUpForm};
use crate::api::form::FormState;
use crate::rules::account::{
    normalize_email, normalize_identifiant, Role, EMAIL_TAKEN, IDENTIFIANT_TAKEN,
};
use crate::rules::profile::{self as rules, Genre};

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
    "nom_service",
    "siret",
    "informations",
    "etablissement",
];
/// "Fonction" of the magistrats' sign-up (issue 18).
pub const FONCTION_MISSING: &str = "Indiquez si vous êtes magistrat ou greffier.";
/// Its choices, in order.
pub const FONCTIONS: [(&str, &str); 2] = [("magistrat", "Magistrat"), ("greffier", "Greffier")];
const MAGISTRAT_FIELDS: &[&str] = &[
    "fonction",
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

/// What the account forms check against the accounts and the password list.
pub trait AccountReferences: References {
    /// True when an account already uses this identifiant or e-mail (normalised). The creation checks
    /// again, in its transaction.
    fn login_taken(&self, login: &str) -> bool;
    /// The first password rule (SPEC §4.4) `password` breaks, as its French message.
    fn password_problem(&self, password: &str, identifiant: &str, email: &str) -> Option<String>;
    /// "Tribunal" of the magistrat's sign-up: the active tribunal picked or typed, or the field's error.
    fn tribunal(&self, out: &mut FormState, typed: &str, chosen: Option<&str>) -> Option<u64>;
}

/// "Nom", "Prénom" and "Genre" (SPEC §4.1), for the sign-ups and the profile edits.
pub fn person(
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

/// "Adresse email" of a sign-up: required, well formed, not already used.
pub fn new_email(
    out: &mut FormState,
    email: &str,
    refs: &impl AccountReferences,
) -> Option<String> {
    if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        return None;
    }
    let email = normalize_email(email)
        .map_err(|m| out.fail("email", m))
        .ok()?;
    if refs.login_taken(&email) {
        out.fail("email", EMAIL_TAKEN);
        return None;
    }
    Some(email)
}

/// The identity fields common to both sign-ups.
#[derive(Debug)]
pub struct Identity {
    pub identifiant: String,
    pub password: String,
    pub nom: String,
    pub prenom: String,
    pub genre: Genre,
}

/// "Identifiant désiré", "Mot de passe désiré", its confirmation, "Nom", "Prénom", "Genre"; the password
/// rules also look at the typed e-mail.
#[allow(clippy::too_many_arguments)]
fn identity(
    out: &mut FormState,
    identifiant: &str,
    mot_de_passe: &str,
    confirmation: &str,
    nom: &str,
    prenom: &str,
    genre: &str,
    email: &str,
    refs: &impl AccountReferences,
) -> Option<Identity> {
    let identifiant = if identifiant.trim().is_empty() {
        out.fail("identifiant", rules::required("Identifiant désiré"));
        None
    } else {
        normalize_identifiant(identifiant)
            .map_err(|m| out.fail("identifiant", m))
            .ok()
            .filter(|identifiant| {
                // Told with the other errors, not only once everything else is right (SPEC §18, 3).
                let taken = refs.login_taken(identifiant);
                if taken {
                    out.fail("identifiant", IDENTIFIANT_TAKEN);
                }
                !taken
            })
    };
    let normalized_email = normalize_email(email).ok();
    let password = if mot_de_passe.is_empty() {
        out.fail("mot_de_passe", rules::required("Mot de passe désiré"));
        None
    } else {
        match refs.password_problem(
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
    let (nom, prenom, genre) = person(out, nom, prenom, genre);
    Some(Identity {
        identifiant: identifiant?,
        password: password?,
        nom: nom?,
        prenom: prenom?,
        genre: genre?,
    })
}

/// "Nouveau mot de passe" and its confirmation (reset, change): the policy's message goes to `nouveau`, the
/// confirmation's to `confirmation`.
pub fn new_password(
    out: &mut FormState,
    secret: &str,
    confirmation: &str,
    identifiant: &str,
    email: &str,
    refs: &impl AccountReferences,
) {
    if confirmation.is_empty() {
        out.fail(
            "confirmation",
            rules::required("Confirmation du nouveau mot de passe"),
        );
    } else if confirmation != secret {
        out.fail("confirmation", rules::PASSWORDS_DIFFER);
    }
    let problem = if secret.is_empty() {
        Some(crate::rules::password::TOO_SHORT.to_owned())
    } else {
        refs.password_problem(secret, identifiant, email)
    };
    if let Some(message) = problem {
        out.fail("nouveau", message);
    }
}

/// "Téléphone" (required) and "Téléphone portable" (optional), as sign-up and "Mes informations" check them.
pub fn telephones(
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
pub fn capacity(out: &mut FormState, input: &str) -> Option<u32> {
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

/// The identity part of both profile edits (SPEC §5.7, §6.6): "Nom", "Prénom", "Genre" and "Adresse email".
#[derive(Debug)]
pub struct ProfileIdentity {
    pub nom: String,
    pub prenom: String,
    pub genre: Genre,
    pub email: String,
    /// The e-mail differs from the account's: the current password must be checked before storing.
    pub email_changes: bool,
}

/// Checks the identity fields of a profile edit into `out` (the e-mail changes only with "Mot de passe
/// actuel", field `mot_de_passe_actuel`); `None` when one is refused.
pub fn profile_identity(
    out: &mut FormState,
    current_email: &str,
    nom: &str,
    prenom: &str,
    genre: &str,
    email: &str,
    current_password: &str,
) -> Option<ProfileIdentity> {
    let (nom, prenom, genre) = person(out, nom, prenom, genre);
    let email = if email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let email_changes = email.as_ref().is_some_and(|e| e != current_email);
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

/// A checked mandataire sign-up.
#[derive(Debug)]
pub struct MandataireSignUp {
    pub role: Role,
    pub identity: Identity,
    pub adresse: String,
    pub place: Place,
    pub telephone: String,
    pub telephone_portable: Option<String>,
    pub email: String,
    pub mesures_souhaitees: u32,
    /// A service's name, SIRET and "Informations à destination des magistrats" (issue 16).
    pub service: Option<ServiceSignUp>,
}

#[derive(Debug)]
pub struct ServiceSignUp {
    pub nom: String,
    pub siret: String,
    pub informations: String,
}

/// "Créer mon compte" of the mandataire (SPEC §4.1). `out` holds the values as typed and the établissements
/// list; `tribunaux` are the active tribunaux the form names.
pub fn parse_mandataire_sign_up(
    form: &MandataireSignUpForm,
    mut out: FormState,
    tribunaux: &[u64],
    refs: &impl AccountReferences,
) -> Result<MandataireSignUp, FormState> {
    if tribunaux.is_empty() {
        out.fail("tribunaux", rules::TRIBUNAUX_MISSING);
    }
    let role = match form.type_mandataire.as_str() {
        "individuel" => Some(Role::Individuel),
        "prepose" => Some(Role::Prepose),
        "service" => Some(Role::Service),
        _ => {
            out.fail("type_mandataire", rules::KIND_MISSING);
            None
        }
    };
    // A service's own fields, checked only when "Service mandataire" is chosen.
    let service = if role == Some(Role::Service) {
        let (nom, siret) =
            super::service::service_identity(&mut out, &form.nom_service, &form.siret);
        let informations =
            rules::bounded_paragraph(&form.informations, "", 2000, "Ce texte", false)
                .map_err(|_| out.fail("informations", rules::INFORMATIONS_TOO_LONG))
                .ok();
        match (nom, siret, informations) {
            (Some(nom), Some(siret), Some(informations)) => Some(Some(ServiceSignUp {
                nom,
                siret,
                informations,
            })),
            _ => None,
        }
    } else {
        Some(None)
    };
    let identity = identity(
        &mut out,
        &form.identifiant,
        &form.mot_de_passe,
        &form.confirmation,
        &form.nom,
        &form.prenom,
        &form.genre,
        &form.email,
        refs,
    );
    let adresse = rules::bounded_text(&form.adresse, "Adresse", 200, "L'adresse", true)
        .map_err(|m| out.fail("adresse", m))
        .ok();
    let place = refs.place(
        &mut out,
        &form.code_postal,
        &form.commune,
        &form.commune_id,
        &form.commune_choix,
    );
    let (telephone, portable) = telephones(&mut out, &form.telephone, &form.telephone_portable);
    let email = new_email(&mut out, &form.email, refs);
    let capacity = capacity(&mut out, &form.mesures_souhaitees);
    let value = (|| {
        Some(MandataireSignUp {
            role: role?,
            identity: identity?,
            adresse: adresse?,
            place: place?,
            telephone: telephone?,
            telephone_portable: portable?,
            email: email?,
            mesures_souhaitees: capacity?,
            service: service?,
        })
    })();
    finish(out, MANDATAIRE_FIELDS, value)
}

/// A checked magistrat sign-up.
#[derive(Debug)]
pub struct MagistratSignUp {
    /// Magistrat or greffier (issue 18).
    pub role: Role,
    pub tribunal_id: u64,
    pub cabinet: String,
    pub identity: Identity,
    pub email: String,
}

/// The magistrat's sign-up as typed, passwords left out.
pub fn magistrat_echo(form: &MagistratSignUpForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("fonction", &form.fonction),
        ("tribunal", &form.tribunal),
        ("cabinet", &form.cabinet),
        ("identifiant", &form.identifiant),
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("email", &form.email),
    ]);
    out
}

/// "Créer mon compte" of the magistrat (SPEC §4.2).
pub fn parse_magistrat_sign_up(
    form: &MagistratSignUpForm,
    refs: &impl AccountReferences,
) -> Result<MagistratSignUp, FormState> {
    let mut out = magistrat_echo(form);
    let role = match form.fonction.as_str() {
        "magistrat" => Some(Role::Magistrat),
        "greffier" => Some(Role::Greffier),
        _ => {
            out.fail("fonction", FONCTION_MISSING);
            None
        }
    };
    let chosen = [&form.tribunal_choix, &form.tribunal_id]
        .into_iter()
        .find(|id| !id.is_empty())
        .map(String::as_str);
    let tribunal_id = refs.tribunal(&mut out, &form.tribunal, chosen);
    let cabinet = rules::bounded_text(
        &form.cabinet,
        "Cabinet (optionnel)",
        20,
        "Le cabinet",
        false,
    )
    .map_err(|m| out.fail("cabinet", m))
    .ok();
    let identity = identity(
        &mut out,
        &form.identifiant,
        &form.mot_de_passe,
        &form.confirmation,
        &form.nom,
        &form.prenom,
        &form.genre,
        &form.email,
        refs,
    );
    let email = new_email(&mut out, &form.email, refs);
    let value = (|| {
        Some(MagistratSignUp {
            role: role?,
            tribunal_id: tribunal_id?,
            cabinet: cabinet?,
            identity: identity?,
            email: email?,
        })
    })();
    finish(out, MAGISTRAT_FIELDS, value)
}

#[cfg(test)]
#[path = "account_tests.rs"]
mod tests;

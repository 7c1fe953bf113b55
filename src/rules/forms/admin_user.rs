//! "Modifier" of an account by an admin (issue 19): identity and e-mail, and for an individuel or a préposé
//! the coordonnées, with the rules and messages of the user's own forms (SPEC §4.1, §5.7). The admin needs no
//! password of the user: the e-mail changes at once (the user's reset links die with it, `users::put`).

use super::account::{person, telephones};
use super::{finish, Place, References};
use crate::api::admin::AdminUserForm;
use crate::api::form::FormState;
use crate::rules::account::normalize_email;
use crate::rules::profile as rules;
use crate::rules::profile::Genre;

const FIELDS: &[&str] = &[
    "nom",
    "prenom",
    "genre",
    "email",
    "adresse",
    "code_postal",
    "commune",
    "telephone",
    "telephone_portable",
];

/// Which parts of the form an account has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    /// A profile with "Genre" (mandataires, magistrats, greffiers).
    pub genre: bool,
    /// Its own coordonnées (individuels, préposés; a service's belong to the service).
    pub coordonnees: bool,
}

/// The form as typed.
pub fn echo(form: &AdminUserForm) -> FormState {
    let mut out = FormState::default();
    out.set_all(&[
        ("nom", &form.nom),
        ("prenom", &form.prenom),
        ("genre", &form.genre),
        ("email", &form.email),
        ("adresse", &form.adresse),
        ("code_postal", &form.code_postal),
        ("commune", &form.commune),
        ("telephone", &form.telephone),
        ("telephone_portable", &form.telephone_portable),
    ]);
    out
}

/// The checked edit.
#[derive(Debug)]
pub struct AdminUserEdit {
    pub nom: String,
    pub prenom: String,
    pub genre: Option<Genre>,
    pub email: String,
    pub coordonnees: Option<Coordonnees>,
}

#[derive(Debug)]
pub struct Coordonnees {
    pub adresse: String,
    pub place: Place,
    pub telephone: String,
    pub telephone_portable: Option<String>,
}

pub fn parse_admin_user(
    form: &AdminUserForm,
    parts: Parts,
    refs: &impl References,
) -> Result<AdminUserEdit, FormState> {
    let mut out = echo(form);
    // An account without a profile has no "Genre": any valid code stands in for the check.
    let genre_code = if parts.genre {
        form.genre.as_str()
    } else {
        "F"
    };
    let (nom, prenom, genre) = person(&mut out, &form.nom, &form.prenom, genre_code);
    let email = if form.email.trim().is_empty() {
        out.fail("email", rules::required("Adresse email"));
        None
    } else {
        normalize_email(&form.email)
            .map_err(|m| out.fail("email", m))
            .ok()
    };
    let coordonnees = if parts.coordonnees {
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
        (|| {
            Some(Some(Coordonnees {
                adresse: adresse?,
                place: place?,
                telephone: telephone?,
                telephone_portable: portable?,
            }))
        })()
    } else {
        Some(None)
    };
    let value = (|| {
        Some(AdminUserEdit {
            nom: nom?,
            prenom: prenom?,
            genre: if parts.genre { Some(genre?) } else { None },
            email: email?,
            coordonnees: coordonnees?,
        })
    })();
    finish(out, FIELDS, value)
}

//! Accounts: roles and the identity fields' rules (SPEC §1, §4.1), shared by the browser and the server.

use serde::{Deserialize, Serialize};

pub const IDENTIFIANT_INVALID: &str =
    "L'identifiant doit comporter de 3 à 50 caractères : lettres sans accent, chiffres, point, tiret ou tiret bas.";
pub const IDENTIFIANT_TAKEN: &str = "Cet identifiant est déjà utilisé. Choisissez-en un autre.";
pub const EMAIL_INVALID: &str = "Saisissez une adresse email valide. Par exemple : nom@exemple.fr";
pub const EMAIL_TAKEN: &str = "Un compte avec cette adresse email existe déjà.";

/// The roles of SPEC §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Individuel,
    Prepose,
    Service,
    Magistrat,
    Admin,
    Direction,
    /// A court clerk (issue 18): a magistrat's screens and scope (one tribunal), labelled "Greffier".
    Greffier,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Individuel => "Mandataire individuel",
            Role::Prepose => "Mandataire préposé d'établissement",
            Role::Service => "Service mandataire",
            Role::Magistrat => "Magistrat",
            Role::Admin => "Administrateur",
            Role::Direction => "Agent de l'État",
            Role::Greffier => "Greffier",
        }
    }

    /// Magistrat or greffier: the roles of the magistrat space, scoped to one tribunal.
    pub fn is_tribunal(self) -> bool {
        matches!(self, Role::Magistrat | Role::Greffier)
    }

    /// Individuel, préposé or service: the roles of the mandataire space.
    pub fn is_mandataire(self) -> bool {
        matches!(self, Role::Individuel | Role::Prepose | Role::Service)
    }

    /// Where the role lands after logging in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Individuel | Role::Prepose | Role::Service => "/mandataire/mesures",
            Role::Magistrat | Role::Greffier => "/magistrat/mandataires",
            Role::Admin => "/admin/utilisateurs",
            Role::Direction => "/direction",
        }
    }
}

/// The stored form of an identifiant: trimmed and lower-case; an error message when it breaks the rule.
pub fn normalize_identifiant(input: &str) -> Result<String, &'static str> {
    let trimmed = input.trim();
    let length = trimmed.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !(3..=50).contains(&length) || !trimmed.chars().all(allowed) {
        return Err(IDENTIFIANT_INVALID);
    }
    Ok(trimmed.to_ascii_lowercase())
}

/// The stored form of an e-mail address: trimmed and lower-case; an error message when it is not valid.
/// Valid: at most 254 characters, one "@", a local part of allowed characters, a domain of dot-separated
/// labels (letters, digits, hyphens) with a dot.
pub fn normalize_email(input: &str) -> Result<String, &'static str> {
    // Over-long input is refused before any work on it.
    if input.len() > 254 * 4 {
        return Err(EMAIL_INVALID);
    }
    let email = input.trim().to_lowercase();
    let valid = email.chars().count() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && domain.contains('.')
                && domain.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        });
    if valid {
        Ok(email)
    } else {
        Err(EMAIL_INVALID)
    }
}

/// The banner above every page of a demo database (SPEC §14).
pub const DEMO_BANNER: &str = "Version de démonstration";

/// A demo account as /connexion lists it under "Comptes de démonstration" (SPEC §14): only a database made
/// by `emjpm demo` has them, and only there is a password ever shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub identifiant: String,
    /// The role's label ("Mandataire préposé d'établissement"…).
    pub role: String,
    pub mot_de_passe: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiants_are_trimmed_lowered_and_checked() {
        assert_eq!(
            normalize_identifiant("  Prepose.Calais "),
            Ok("prepose.calais".to_owned())
        );
        assert_eq!(normalize_identifiant("a_b-c"), Ok("a_b-c".to_owned()));
        assert_eq!(normalize_identifiant("ab"), Err(IDENTIFIANT_INVALID));
        assert_eq!(
            normalize_identifiant(&"a".repeat(51)),
            Err(IDENTIFIANT_INVALID)
        );
        assert_eq!(
            normalize_identifiant("nom@exemple.fr"),
            Err(IDENTIFIANT_INVALID)
        );
        assert_eq!(normalize_identifiant("élodie"), Err(IDENTIFIANT_INVALID));
        assert_eq!(normalize_identifiant("deux mots"), Err(IDENTIFIANT_INVALID));
    }

    #[test]
    fn emails_are_lowered_and_checked() {
        assert_eq!(
            normalize_email(" Nom@Exemple.FR "),
            Ok("nom@exemple.fr".to_owned())
        );
        assert_eq!(
            normalize_email("prenom.nom+mjpm@tribunal.justice.fr"),
            Ok("prenom.nom+mjpm@tribunal.justice.fr".to_owned())
        );
        for bad in [
            "",
            "nom",
            "nom@",
            "@exemple.fr",
            "nom@exemple",
            "nom@@exemple.fr",
            "nom@exemple..fr",
            "a b@c.fr",
            "nom@-x.fr",
        ] {
            assert_eq!(normalize_email(bad), Err(EMAIL_INVALID), "{bad}");
        }
        assert_eq!(
            normalize_email(&format!("{}@exemple.fr", "a".repeat(250))),
            Err(EMAIL_INVALID)
        );
    }

    #[test]
    fn each_role_has_its_label_and_home() {
        assert_eq!(Role::Prepose.label(), "Mandataire préposé d'établissement");
        assert_eq!(Role::Prepose.home(), "/mandataire/mesures");
        assert_eq!(Role::Magistrat.home(), "/magistrat/mandataires");
        assert_eq!(Role::Admin.home(), "/admin/utilisateurs");
    }
}

//! Authentication and authorisation (SPEC §4, §12). Server only.
//!
//! Every server function starts with `server::context::Ctx` (`Ctx::mandataire()?`, …) or `Visit::current()`
//! for the public ones: the caller comes from the session cookie only, resolved once per request by the
//! context middleware, never from the request's fields; then the function checks the row.

pub mod password;
pub mod session;
pub mod throttle;
pub mod two_factor;

pub use session::Caller;

use crate::rules::account::Role;

/// The role sections of the URL map (SPEC §3) and who may open them.
pub fn section_roles(path: &str) -> Option<&'static [Role]> {
    const MANDATAIRES: &[Role] = &[Role::Individuel, Role::Prepose, Role::Service];
    const MAGISTRATS: &[Role] = crate::server::context::TRIBUNAL_ROLES;
    const ADMINS: &[Role] = &[Role::Admin];
    const EVERYONE: &[Role] = &[
        Role::Individuel,
        Role::Prepose,
        Role::Service,
        Role::Magistrat,
        Role::Admin,
        Role::Direction,
        Role::Greffier,
    ];
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/mandataire") {
        Some(MANDATAIRES)
    } else if under("/magistrat") {
        Some(MAGISTRATS)
    } else if under("/admin") {
        Some(ADMINS)
    } else if under("/compte") {
        Some(EVERYONE)
    } else {
        None
    }
}

/// A local path `retour` may lead to: starts with one "/", no scheme, no backslash (SPEC §2 "Errors").
pub fn safe_return_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    local.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_return_targets() {
        assert_eq!(
            safe_return_path("/mandataire/mesures"),
            Some("/mandataire/mesures")
        );
        assert_eq!(safe_return_path("https://evil.example/"), None);
        assert_eq!(safe_return_path("//evil.example/"), None);
        assert_eq!(safe_return_path("/\\evil.example"), None);
        assert_eq!(safe_return_path("mandataire"), None);
    }

    #[test]
    fn sections_belong_to_their_roles() {
        assert_eq!(
            section_roles("/admin/utilisateurs"),
            Some(&[Role::Admin][..])
        );
        assert!(section_roles("/mandataire/mesures")
            .unwrap()
            .contains(&Role::Prepose));
        assert!(section_roles("/compte/mot-de-passe")
            .unwrap()
            .contains(&Role::Magistrat));
        assert_eq!(section_roles("/administration"), None);
        assert_eq!(section_roles("/connexion"), None);
    }
}

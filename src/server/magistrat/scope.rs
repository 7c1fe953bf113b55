//! The magistrat's scope, decoded once per change (issue 18): the active mandataires who declared a
//! tribunal, with what the list, the map and the header show of them (name, type, figures, position).
//!
//! Reading it afresh costs a look-up of the account (or the service) and of the profile of each of them: with
//! a thousand mandataires in a tribunal that was most of the list's time (docs/PERFORMANCE.md). The memo keeps
//! it for the tribunal's scope version (`db::scope_versions`), which every write that changes what it holds
//! bumps in its own transaction; a request uses the memo only when its read transaction sees that very version,
//! so it never shows anything its transaction would not have read. It holds one entry per tribunal, at most
//! `MAX_TRIBUNAUX` (more than France has), and lives in the `AppState` of its database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use redb::ReadTransaction;

use crate::api::AppError;
use crate::db::profiles::{self, MandataireFigures};
use crate::db::services;
use crate::db::users::{self, AccountStatus, UserHead};
use crate::rules::text::fold;
use crate::server::reference::ReferenceData;

/// Tribunaux kept; past it the memo starts again (a real server has fewer than 200 tribunaux with mandataires).
const MAX_TRIBUNAUX: usize = 1024;

/// A mandataire of the scope, with what the pages sort and filter on computed once.
pub struct Member {
    pub head: Arc<UserHead>,
    pub figures: Arc<MandataireFigures>,
    /// "<Prénom> <Nom>", or the service's name.
    pub nom: String,
    /// `nom` folded (accents, case): the key of the sorts by name.
    pub folded: String,
    /// The commune's coordinates, when known.
    pub position: Option<(f64, f64)>,
}

impl Member {
    pub fn new(
        head: Arc<UserHead>,
        figures: Arc<MandataireFigures>,
        reference: &ReferenceData,
    ) -> Member {
        let nom = format!("{} {}", head.prenom, head.nom).trim().to_owned();
        Member {
            folded: fold(&nom),
            nom,
            position: reference
                .commune(&figures.code_insee)
                .and_then(|c| c.coordinates),
            head,
            figures,
        }
    }
}

/// Tribunal id → (the scope version read, the scope).
type Entries = HashMap<u64, (u64, Arc<Vec<Member>>)>;

/// The scopes of the tribunaux, each for the version it was read at.
#[derive(Default)]
pub struct ScopeMemo {
    entries: Mutex<Entries>,
}

impl ScopeMemo {
    /// The scope of `tribunal` as `read` sees it.
    pub fn scope(
        &self,
        read: &ReadTransaction,
        reference: &ReferenceData,
        tribunal: u64,
    ) -> Result<Arc<Vec<Member>>, AppError> {
        let version = crate::db::scope_versions::version(read, tribunal)?;
        if let Some((kept, members)) = self.lock().get(&tribunal) {
            if *kept == version {
                return Ok(Arc::clone(members));
            }
        }
        let members = Arc::new(read_scope(read, reference, tribunal)?);
        let mut entries = self.lock();
        if entries.len() >= MAX_TRIBUNAUX && !entries.contains_key(&tribunal) {
            entries.clear();
        }
        // A request that read an older version must not replace a newer entry.
        let newer_kept = entries
            .get(&tribunal)
            .is_some_and(|(kept, _)| *kept > version);
        if !newer_kept {
            entries.insert(tribunal, (version, Arc::clone(&members)));
        }
        Ok(members)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The scope read from the tables: accounts and services who declared the tribunal, active.
fn read_scope(
    read: &ReadTransaction,
    reference: &ReferenceData,
    tribunal: u64,
) -> Result<Vec<Member>, AppError> {
    let ids = profiles::mandataires_of_tribunal(read, tribunal)?;
    let mut heads = users::heads(read, &ids)?;
    // A service's profile is keyed by the service (issue 16): its head comes from the service's record.
    heads.extend(services::heads(read, &ids)?);
    heads.retain(|u| u.status == AccountStatus::Actif && u.role.is_mandataire());
    let heads: HashMap<u64, Arc<UserHead>> = heads.into_iter().map(|h| (h.id, h)).collect();
    let wanted: Vec<u64> = ids
        .into_iter()
        .filter(|id| heads.contains_key(id))
        .collect();
    let mut members = Vec::with_capacity(wanted.len());
    for (id, figures) in profiles::figures_many(read, &wanted)? {
        let Some(head) = heads.get(&id) else {
            continue;
        };
        members.push(Member::new(Arc::clone(head), figures, reference));
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::mesures::{self, Author};
    use crate::rules::account::Role;
    use crate::server::test_kit;
    use redb::ReadableDatabase;

    /// The scope of tribunal 1 as a fresh read transaction sees it, through the memo.
    fn scope_of(state: &crate::server::AppState) -> Arc<Vec<Member>> {
        let read = state.db.begin_read().unwrap();
        state.scope_memo.scope(&read, &state.reference, 1).unwrap()
    }

    #[test]
    fn every_change_a_list_shows_is_seen_and_nothing_else_rebuilds_the_scope() {
        let dir = tempfile::tempdir().unwrap();
        let state = test_kit::state(dir.path());
        let a = test_kit::account(&state, test_kit::new_user("a", Role::Prepose));
        let write = state.db.begin_write().unwrap();
        profiles::put_mandataire(&write, a, &test_kit::mandataire_profile()).unwrap();
        write.commit().unwrap();
        let first = scope_of(&state);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].figures.mesures_en_cours, 0);
        assert!(first[0].position.is_some(), "Calais is located");
        // Nothing changed: the same decoded scope.
        assert!(Arc::ptr_eq(&first, &scope_of(&state)));
        // A login (last login time) changes nothing the list shows: still the same.
        let write = state.db.begin_write().unwrap();
        let mut user = users::get_in(&write, a).unwrap().unwrap();
        user.last_login = Some(1);
        users::put(&write, &user).unwrap();
        write.commit().unwrap();
        assert!(Arc::ptr_eq(&first, &scope_of(&state)));

        // A mesure created: its counter.
        let write = state.db.begin_write().unwrap();
        mesures::insert(&write, test_kit::mesure(a), Author::Owner).unwrap();
        write.commit().unwrap();
        assert_eq!(scope_of(&state)[0].figures.mesures_en_cours, 1);
        // A new name.
        let write = state.db.begin_write().unwrap();
        let mut user = users::get_in(&write, a).unwrap().unwrap();
        user.nom = "Lefebvre".into();
        users::put(&write, &user).unwrap();
        write.commit().unwrap();
        assert!(scope_of(&state)[0].nom.ends_with("Lefebvre"));
        // A read transaction opened before a change keeps seeing its own version, memo or not.
        let before = state.db.begin_read().unwrap();
        let write = state.db.begin_write().unwrap();
        let mut user = users::get_in(&write, a).unwrap().unwrap();
        user.status = AccountStatus::Desactive;
        users::put(&write, &user).unwrap();
        write.commit().unwrap();
        assert!(scope_of(&state).is_empty(), "deactivated: out of scope");
        let old = state
            .scope_memo
            .scope(&before, &state.reference, 1)
            .unwrap();
        assert_eq!(old.len(), 1, "the older transaction's own scope");
        assert!(scope_of(&state).is_empty(), "the newer entry is kept");
        // Back, then another tribunal declared instead: out of tribunal 1's scope.
        let write = state.db.begin_write().unwrap();
        let mut user = users::get_in(&write, a).unwrap().unwrap();
        user.status = AccountStatus::Actif;
        users::put(&write, &user).unwrap();
        write.commit().unwrap();
        assert_eq!(scope_of(&state).len(), 1);
        let write = state.db.begin_write().unwrap();
        let mut profile = profiles::mandataire_in(&write, a).unwrap().unwrap();
        profile.tribunaux = vec![2];
        profiles::put_mandataire(&write, a, &profile).unwrap();
        write.commit().unwrap();
        assert!(scope_of(&state).is_empty());
    }
}

//! The checked files waiting for "Importer": one per user, in memory (presentation state, like the flash),
//! 30 minutes at most, and at most `MAX_PENDING` in all (the oldest dropped), so that what they hold stays
//! bounded whatever the number of mandataires checking files.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::api::mandataire::ImportPreview;
use crate::db::mesures::Mesure;

const LIFETIME: Duration = Duration::from_secs(30 * 60);
/// 32 files of at most 10,000 mesures (about 3 MB each).
const MAX_PENDING: usize = 32;

/// A checked file.
#[derive(Clone, Debug)]
pub struct Pending {
    pub owner: u64,
    pub preview: ImportPreview,
    /// (line, mesure with id 0).
    pub rows: Vec<(usize, Mesure)>,
    pub skipped: Vec<usize>,
}

#[derive(Default)]
pub struct PendingImports {
    by_user: Mutex<HashMap<u64, (Instant, Pending)>>,
}

impl PendingImports {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (Instant, Pending)>> {
        // A poisoned lock only means a panic elsewhere while holding it: the map itself is whole.
        self.by_user
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `pending` as `user`'s checked file, replacing an earlier one.
    pub fn put(&self, user: u64, pending: Pending) {
        let mut entries = self.entries();
        entries.retain(|_, (at, _)| at.elapsed() < LIFETIME);
        while entries.len() >= MAX_PENDING && !entries.contains_key(&user) {
            let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(id, _)| *id)
            else {
                break;
            };
            entries.remove(&oldest);
        }
        entries.insert(user, (Instant::now(), pending));
    }

    /// `user`'s checked file, if still there.
    pub fn preview(&self, user: u64) -> Option<ImportPreview> {
        let entries = self.entries();
        entries
            .get(&user)
            .filter(|(at, _)| at.elapsed() < LIFETIME)
            .map(|(_, p)| p.preview.clone())
    }

    /// Takes `user`'s checked file if its token is `jeton`.
    pub fn take(&self, user: u64, jeton: &str) -> Option<Pending> {
        let mut entries = self.entries();
        let matches = entries
            .get(&user)
            .is_some_and(|(at, p)| at.elapsed() < LIFETIME && p.preview.jeton == jeton);
        if !matches {
            return None;
        }
        entries.remove(&user).map(|(_, p)| p)
    }

    /// Forgets `user`'s checked file.
    pub fn drop_for(&self, user: u64) {
        self.entries().remove(&user);
    }

    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(jeton: &str) -> Pending {
        Pending {
            owner: 1,
            preview: ImportPreview {
                jeton: jeton.into(),
                ..ImportPreview::default()
            },
            rows: Vec::new(),
            skipped: Vec::new(),
        }
    }

    #[test]
    fn one_file_per_user_taken_once_with_its_token_and_bounded_in_all() {
        let store = PendingImports::default();
        store.put(7, pending("a"));
        store.put(7, pending("b"));
        assert_eq!(store.count(), 1);
        assert!(store.take(7, "a").is_none(), "an older check");
        assert!(store.take(8, "b").is_none(), "another user");
        assert!(store.take(7, "b").is_some());
        assert!(store.take(7, "b").is_none(), "once");
        for user in 0..100 {
            store.put(user, pending("x"));
        }
        assert_eq!(store.count(), MAX_PENDING);
        assert!(store.preview(99).is_some(), "the newest kept");
    }
}

//! A memo of decoded records, for the records a page reads by the hundreds (the magistrat's list and map
//! decode every mandataire of the tribunal: their JSON parsing was the largest cost of those pages in a
//! profile, docs/ARCHITECTURE.md).
//!
//! It can never serve a stale record: an entry is used only when the bytes just read from the database are
//! exactly the bytes it was decoded from. It holds at most one entry per id.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::StoreError;

/// An entry: the bytes a record was decoded from, and the record.
type Entry<T> = (Box<[u8]>, Arc<T>);

pub struct DecodeCache<T> {
    entries: RwLock<HashMap<u64, Entry<T>>>,
}

impl<T: serde::de::DeserializeOwned> DecodeCache<T> {
    pub fn new() -> Self {
        DecodeCache {
            entries: RwLock::new(HashMap::new()),
        }
    }

    /// The record of `id` decoded from `bytes`, from the memo when it holds these very bytes.
    pub fn decode(&self, id: u64, bytes: &[u8]) -> Result<Arc<T>, StoreError> {
        if let Ok(entries) = self.entries.read() {
            if let Some((stored, value)) = entries.get(&id) {
                if **stored == *bytes {
                    return Ok(Arc::clone(value));
                }
            }
        }
        let value = Arc::new(super::decode::<T>(bytes)?);
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(id, (bytes.into(), Arc::clone(&value)));
        }
        Ok(value)
    }
}

impl<T: serde::de::DeserializeOwned> Default for DecodeCache<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_record_is_decoded_again() {
        let cache: DecodeCache<Vec<u32>> = DecodeCache::new();
        let first = cache.decode(1, b"[1,2]").unwrap();
        assert_eq!(*first, vec![1, 2]);
        assert!(Arc::ptr_eq(&first, &cache.decode(1, b"[1,2]").unwrap()));
        assert_eq!(*cache.decode(1, b"[3]").unwrap(), vec![3]);
        assert_eq!(*cache.decode(2, b"[1,2]").unwrap(), vec![1, 2]);
        assert!(cache.decode(3, b"pas du json").is_err());
    }
}

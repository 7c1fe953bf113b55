//! The searchable rows as the index keeps them: every text of every row in one string, and where each
//! starts (issue 20's memory budget). Kept as a `Vec` of `Entry`, the 100,000 établissements of a national
//! database weighed 37 MB (five allocations a row, and the slack of each); packed, 15 MB.

use super::Entry;

/// Between the codes of one row (codes are identifiers: FINESS, SIRET, postal and INSEE codes).
const CODE_SEPARATOR: char = '\u{1f}';
/// The texts of a row, in order: id, label, name, codes, and the name's words as the index folds them.
const PARTS: usize = 5;

/// One row, borrowed from the packed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    pub id: &'a str,
    pub label: &'a str,
    /// The words searched by prefix (a commune's name, a tribunal's name and city…).
    pub name: &'a str,
    codes: &'a str,
}

impl<'a> EntryRef<'a> {
    /// The codes searched by prefix when the query word has two digits or more.
    pub fn codes(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.codes.split(CODE_SEPARATOR).filter(|c| !c.is_empty())
    }
}

pub(super) struct Rows {
    text: String,
    /// `PARTS` starts a row, and the end of the text last.
    bounds: Vec<u32>,
    ranks: Vec<u64>,
}

impl Rows {
    /// Packs `entries`, each with its name's words as the index folds them, one space between each.
    pub(super) fn new(entries: Vec<Entry>, folded_names: impl IntoIterator<Item = String>) -> Rows {
        let mut text = String::new();
        let mut bounds = Vec::with_capacity(entries.len() * PARTS + 1);
        let mut ranks = Vec::with_capacity(entries.len());
        let mark = |text: &String, bounds: &mut Vec<u32>| {
            // Four gigabytes of names is far beyond any reference set: an entry past that reads empty.
            bounds.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        };
        for (entry, folded) in entries.into_iter().zip(folded_names) {
            mark(&text, &mut bounds);
            text.push_str(&entry.id);
            mark(&text, &mut bounds);
            text.push_str(&entry.label);
            mark(&text, &mut bounds);
            text.push_str(&entry.name);
            mark(&text, &mut bounds);
            for (i, code) in entry.codes.iter().enumerate() {
                if i > 0 {
                    text.push(CODE_SEPARATOR);
                }
                text.extend(code.chars().filter(|&c| c != CODE_SEPARATOR));
            }
            mark(&text, &mut bounds);
            text.push_str(&folded);
            ranks.push(entry.rank);
        }
        mark(&text, &mut bounds);
        text.shrink_to_fit();
        Rows {
            text,
            bounds,
            ranks,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.ranks.len()
    }

    pub(super) fn rank(&self, row: usize) -> u64 {
        self.ranks.get(row).copied().unwrap_or(0)
    }

    /// Whether the row's name starts with `first` (folded), or one of its codes does: the first tier.
    pub(super) fn starts_with(&self, row: usize, first: &str) -> bool {
        let name = self.part(row, 4);
        name.split(' ').next().unwrap_or("").starts_with(first)
            || self
                .part(row, 3)
                .split(CODE_SEPARATOR)
                .any(|code| !code.is_empty() && code.starts_with(first))
    }

    /// A row's id alone (the binary search of `SearchIndex::entry` reads one per step).
    pub(super) fn id(&self, row: usize) -> &str {
        self.part(row, 0)
    }

    /// The `i`-th text of `row` (see `PARTS`); empty past the end.
    fn part(&self, row: usize, i: usize) -> &str {
        let at = row * PARTS + i;
        match (self.bounds.get(at), self.bounds.get(at + 1)) {
            (Some(&from), Some(&to)) => self.text.get(from as usize..to as usize).unwrap_or(""),
            _ => "",
        }
    }

    pub(super) fn get(&self, row: usize) -> EntryRef<'_> {
        let part = |i: usize| self.part(row, i);
        EntryRef {
            id: part(0),
            label: part(1),
            name: part(2),
            codes: part(3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, label: &str, name: &str, codes: &[&str], rank: u64) -> Entry {
        Entry {
            id: id.to_owned(),
            label: label.to_owned(),
            name: name.to_owned(),
            codes: codes.iter().map(|&c| c.to_owned()).collect(),
            rank,
        }
    }

    #[test]
    fn each_row_reads_back_as_it_was_given() {
        let rows = Rows::new(
            vec![
                entry(
                    "75056",
                    "75001 Paris",
                    "Paris",
                    &["75001", "75056"],
                    2_100_000,
                ),
                entry("", "", "Œuvre d'été", &[], 0),
                entry(
                    "x",
                    "Élysée – 13001 Marseille",
                    "Élysée Marseille",
                    &["13001"],
                    7,
                ),
            ],
            [
                "paris".to_owned(),
                "oeuvre d ete".to_owned(),
                "elysee marseille".to_owned(),
            ],
        );
        assert_eq!(rows.len(), 3);
        let paris = rows.get(0);
        assert_eq!(
            (paris.id, paris.label, paris.name),
            ("75056", "75001 Paris", "Paris")
        );
        assert!(rows.starts_with(0, "par") && rows.starts_with(0, "7500"));
        assert!(!rows.starts_with(0, "aris") && !rows.starts_with(0, "75002"));
        assert_eq!(paris.codes().collect::<Vec<_>>(), ["75001", "75056"]);
        assert_eq!(rows.rank(0), 2_100_000);
        let empty = rows.get(1);
        assert_eq!((empty.id, empty.label, empty.name), ("", "", "Œuvre d'été"));
        assert_eq!(empty.codes().count(), 0);
        assert!(rows.starts_with(1, "oeuvre") && !rows.starts_with(1, "ete"));
        assert!(!rows.starts_with(3, "p"), "past the end: no name");
        let last = rows.get(2);
        assert_eq!(last.label, "Élysée – 13001 Marseille");
        assert_eq!(last.codes().collect::<Vec<_>>(), ["13001"]);
        assert_eq!(rows.rank(2), 7);
        // Past the end: nothing, never a panic.
        assert_eq!(rows.get(3).id, "");
        assert_eq!(rows.rank(3), 0);
    }
}

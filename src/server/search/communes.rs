//! The communes autocomplete: one entry per (code postal, commune) pair, ranked by population.

use std::path::Path;

use super::{Entry, SearchError, SearchIndex};
use crate::server::reference::ReferenceData;

pub const KIND: &str = "communes";

/// Opens or builds the communes index under `index_root`.
pub fn open(index_root: &Path, reference: &ReferenceData) -> Result<SearchIndex, SearchError> {
    let entries = reference
        .places
        .iter()
        .map(|&place| {
            let commune = reference.commune_of(place);
            Entry {
                id: reference.place_id(place),
                label: reference.place_label(place),
                name: commune.nom.clone(),
                codes: vec![reference.code_postal_of(place).to_owned()],
                rank: u64::from(commune.population),
            }
        })
        .collect();
    SearchIndex::open_or_build(
        &index_root.join(KIND),
        KIND,
        ReferenceData::fingerprint(),
        entries,
    )
}

#[cfg(test)]
mod tests {
    use super::super::Resolution;
    use super::*;
    use std::sync::OnceLock;

    /// One index for the whole module: building it takes a moment in a debug build.
    fn index() -> &'static SearchIndex {
        static INDEX: OnceLock<(tempfile::TempDir, SearchIndex)> = OnceLock::new();
        &INDEX
            .get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                let reference = ReferenceData::load().unwrap();
                let index = open(dir.path(), &reference).unwrap();
                (dir, index)
            })
            .1
    }

    fn labels(query: &str) -> Vec<String> {
        index()
            .suggest(query)
            .into_iter()
            .map(|s| s.label)
            .collect()
    }

    #[test]
    fn accents_and_case_are_ignored() {
        let found = labels("chateauroux");
        assert_eq!(found[0], "36000 Châteauroux");
        assert_eq!(labels("CHÂTEAUROUX")[0], "36000 Châteauroux");
    }

    #[test]
    fn postal_code_finds_its_commune_first() {
        let found = labels("62100");
        assert_eq!(found[0], "62100 Calais");
        assert!(found.iter().all(|l| l.starts_with("62100 ")), "{found:?}");
        assert!(labels("621").iter().all(|l| l.starts_with("621")));
    }

    #[test]
    fn one_typo_is_tolerated() {
        assert_eq!(labels("Calias")[0], "62100 Calais");
        assert_eq!(labels("chateuroux")[0], "36000 Châteauroux");
    }

    #[test]
    fn several_words_match_in_any_form() {
        let found = labels("saint etienne");
        assert!(found[0].ends_with(" Saint-Étienne"), "{found:?}");
        assert!(labels("st etienne")[0].ends_with(" Saint-Étienne"));
        assert!(
            labels("lyon 3")
                .iter()
                .any(|l| l == "69003 Lyon 3e Arrondissement"),
            "{:?}",
            labels("lyon 3")
        );
    }

    #[test]
    fn unfinished_inner_words_still_match_by_prefix() {
        // "boul" is not a whole word: the strict pass finds nothing, the all-prefix pass does.
        assert!(
            labels("boul sur mer")
                .iter()
                .any(|l| l.ends_with(" Boulogne-sur-Mer")),
            "{:?}",
            labels("boul sur mer")
        );
        assert!(labels("aix en")
            .iter()
            .any(|l| l.ends_with(" Aix-en-Provence")));
    }

    #[test]
    fn short_queries_are_memoised_with_the_same_answer() {
        let first = labels("ca");
        assert_eq!(first.len(), 10);
        assert_eq!(labels("ca"), first);
        assert_eq!(labels("CA"), first);
    }

    #[test]
    fn prefixes_rank_by_population() {
        assert!(
            labels("mars")[0].ends_with(" Marseille"),
            "{:?}",
            labels("mars")
        );
        assert!(
            labels("l")[..].is_empty(),
            "one letter is below the minimum"
        );
        assert!(labels("ly")[0].contains("Lyon"), "{:?}", labels("ly"));
        assert!(labels("st")
            .iter()
            .any(|l| l.contains("Strasbourg") || l.contains("Saint")));
    }

    #[test]
    fn at_most_ten_and_never_an_error() {
        assert_eq!(labels("saint").len(), 10);
        assert!(labels("").is_empty());
        assert!(labels("   ").is_empty());
        let garbage: String = "#%&*(!<>zzqx§¤".chars().cycle().take(300).collect();
        assert!(labels(&garbage).is_empty());
        assert!(labels(&"zzqxw ".repeat(50)).is_empty());
    }

    #[test]
    fn resolution_without_javascript() {
        let index = index();
        let Resolution::One(calais) = index.resolve("calais", None) else {
            panic!("calais is one commune")
        };
        assert_eq!(calais.label, "62100 Calais");
        assert!(
            matches!(index.resolve("62100 Calais", None), Resolution::One(e) if e.id == "62193-62100")
        );
        assert!(matches!(index.resolve("", None), Resolution::Empty));
        assert!(matches!(index.resolve("qqqqqqq", None), Resolution::None));
        let Resolution::Several(paris) = index.resolve("paris", None) else {
            panic!("Paris has many postal codes")
        };
        assert!(paris.len() > 1 && paris.len() <= 10);
        // A chosen id wins over the text.
        assert!(
            matches!(index.resolve("paris", Some("62193-62100")), Resolution::One(e) if e.label == "62100 Calais")
        );
    }

    #[test]
    fn index_is_reused_when_the_data_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let reference = ReferenceData::load().unwrap();
        drop(open(dir.path(), &reference).unwrap());
        let stamp = dir.path().join(KIND).join("empreinte");
        let built = std::fs::metadata(&stamp).unwrap().modified().unwrap();
        let reopened = open(dir.path(), &reference).unwrap();
        assert_eq!(
            std::fs::metadata(&stamp).unwrap().modified().unwrap(),
            built
        );
        assert_eq!(reopened.suggest("calais")[0].label, "62100 Calais");
        // A different fingerprint forces a rebuild.
        std::fs::write(&stamp, "autre").unwrap();
        let rebuilt = open(dir.path(), &reference).unwrap();
        assert_ne!(std::fs::read_to_string(&stamp).unwrap(), "autre");
        assert_eq!(rebuilt.entry_count(), 35_539);
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// `make bench` runs it in release mode: average time of one query over the benchmark's query mix.
    #[test]
    #[ignore = "benchmark: run with --release --ignored"]
    fn bench_in_process() {
        let dir = tempfile::tempdir().unwrap();
        let reference = ReferenceData::load().unwrap();
        let index = open(dir.path(), &reference).unwrap();
        let queries: Vec<String> = include_str!("../../../bench/queries.txt")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        // First pass: the short-query memo is empty, as just after start-up.
        let started = std::time::Instant::now();
        for q in &queries {
            std::hint::black_box(index.suggest_json(q));
        }
        let cold = started.elapsed().as_secs_f64() * 1e6 / queries.len() as f64;
        let rounds = 500;
        let started = std::time::Instant::now();
        for _ in 0..rounds {
            for q in &queries {
                std::hint::black_box(index.suggest_json(q));
            }
        }
        let per_query = started.elapsed().as_secs_f64() * 1e6 / (rounds * queries.len()) as f64;
        println!(
            "in-process: {per_query:.1} µs per query on average ({} queries × {rounds}; first pass, memo empty: {cold:.1} µs)",
            queries.len()
        );
    }
}

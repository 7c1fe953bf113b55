//! The arguments of `emjpm generer-national` and of the hidden `emjpm mesurer-commits` (issue 20).

use std::path::PathBuf;

use clap::Args;

use crate::server::config::DataDirArg;

#[derive(Debug, Clone, Args)]
pub struct CommitsArgs {
    /// Dossier (sur le disque du dossier de données) où écrire la base d'essai.
    #[arg(value_name = "DOSSIER")]
    pub dossier: PathBuf,
    #[arg(long, default_value_t = 3.0)]
    pub secondes: f64,
}

/// `emjpm generer-national` (issue 20): the figures default to a whole country's volume.
#[derive(Debug, Clone, Args)]
pub struct NationalArgs {
    /// Fichier des tribunaux (référence) : tous sont importés.
    #[arg(long, value_name = "FICHIER")]
    pub tribunaux: PathBuf,
    /// Fichier des établissements (référence), complété d'établissements fictifs jusqu'à --nombre-etablissements.
    #[arg(long, value_name = "FICHIER")]
    pub etablissements: PathBuf,
    /// Graine du tirage : la même graine donne les mêmes données.
    #[arg(long, default_value_t = 2026)]
    pub graine: u64,
    #[arg(long, default_value_t = 10_000)]
    pub mandataires: u32,
    /// Mesures de toutes sortes (en cours, éteintes, en attente, refusées).
    #[arg(long, default_value_t = 1_000_000)]
    pub mesures: u32,
    /// Mesures en cours du plus gros détenteur (un service).
    #[arg(long = "plus-gros", default_value_t = 5_000)]
    pub plus_gros: u32,
    /// Magistrats (plus un quart de greffiers).
    #[arg(long, default_value_t = 2_000)]
    pub magistrats: u32,
    #[arg(long = "nombre-etablissements", default_value_t = 100_000)]
    pub etablissements_total: u32,
    /// Entrées du journal, sur 12 mois.
    #[arg(long, default_value_t = 1_000_000)]
    pub journal: u32,
    /// Courriels envoyés, sur 90 jours (la durée de conservation).
    #[arg(long, default_value_t = 100_000)]
    pub courriels: u32,
    #[command(flatten)]
    pub data: DataDirArg,
}

//! Who the demo holds: its accounts, and the figures of each mandataire's space.

use crate::rules::account::Role;
use crate::rules::profile::Genre;

/// One account of the demo and what its space holds.
pub(super) struct Person {
    pub(super) identifiant: &'static str,
    pub(super) role: Role,
    pub(super) prenom: &'static str,
    pub(super) nom: &'static str,
    pub(super) genre: Genre,
    /// Listed on /connexion with its password; the other mandataires only fill the magistrat's list.
    pub(super) listed: bool,
    /// False for the one sign-up waiting for an administrator, so that "Activer" can be tried.
    pub(super) active: bool,
    pub(super) mandataire: Option<Figures>,
}

/// The mesures and the profile facts of a demo mandataire.
pub(super) struct Figures {
    pub(super) souhaitees: u32,
    pub(super) en_cours: u32,
    /// Among `en_cours`: reservations of the demo magistrat already accepted.
    pub(super) acceptees: u32,
    pub(super) eteintes: u32,
    pub(super) en_attente: u32,
    /// Days since "Dernière mise à jour" (more than 30: the stale warning); `None`: "jamais".
    pub(super) jours_depuis_mise_a_jour: Option<i64>,
    pub(super) secretariat_etp_centiemes: Option<u32>,
    pub(super) informations: &'static str,
    /// Also declares a second tribunal of the same département, when there is one.
    pub(super) deux_tribunaux: bool,
}

pub(super) const PEOPLE: &[Person] = &[
    Person {
        identifiant: "demo-individuel",
        role: Role::Individuel,
        prenom: "Camille",
        nom: "Lambert",
        genre: Genre::F,
        listed: true,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 30,
            en_cours: 20,
            acceptees: 3,
            eteintes: 6,
            en_attente: 2,
            jours_depuis_mise_a_jour: Some(2),
            secretariat_etp_centiemes: None,
            informations:
                "Permanences le mardi et le jeudi matin. Déplacements dans tout l'arrondissement.",
            deux_tribunaux: false,
        }),
    },
    Person {
        identifiant: "demo-prepose",
        role: Role::Prepose,
        prenom: "Julien",
        nom: "Marchand",
        genre: Genre::H,
        listed: true,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 25,
            en_cours: 21,
            acceptees: 2,
            eteintes: 5,
            en_attente: 2,
            jours_depuis_mise_a_jour: Some(5),
            secretariat_etp_centiemes: Some(50),
            informations:
                "Service des majeurs protégés de l'établissement, joignable du lundi au vendredi.",
            deux_tribunaux: false,
        }),
    },
    Person {
        identifiant: "demo-service",
        role: Role::Service,
        prenom: "Nadia",
        nom: "Benali",
        genre: Genre::F,
        listed: true,
        active: true,
        mandataire: Some(Figures {
            // The sum of its two antennes' (20 + 15): a service's capacity is theirs.
            souhaitees: 35,
            en_cours: 20,
            acceptees: 2,
            eteintes: 4,
            en_attente: 2,
            jours_depuis_mise_a_jour: Some(1),
            secretariat_etp_centiemes: Some(200),
            informations: "Association tutélaire : deux antennes, des délégués joignables du lundi au vendredi.",
            deux_tribunaux: false,
        }),
    },
    Person {
        identifiant: "demo-magistrat",
        role: Role::Magistrat,
        prenom: "Hélène",
        nom: "Rousseau",
        genre: Genre::F,
        listed: true,
        active: true,
        mandataire: None,
    },
    // A greffier of the same tribunal (issue 18): the magistrat's screens.
    Person {
        identifiant: "demo-greffier",
        role: Role::Greffier,
        prenom: "Thomas",
        nom: "Lefort",
        genre: Genre::H,
        listed: true,
        active: true,
        mandataire: None,
    },
    Person {
        identifiant: "demo-admin",
        role: Role::Admin,
        prenom: "Paul",
        nom: "Girard",
        genre: Genre::H,
        listed: true,
        active: true,
        mandataire: None,
    },
    // The stale mandataire: no update for 75 days.
    Person {
        identifiant: "demo-mjpm-sans-nouvelles",
        role: Role::Individuel,
        prenom: "Sophie",
        nom: "Bernard",
        genre: Genre::F,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 20,
            en_cours: 18,
            acceptees: 0,
            eteintes: 3,
            en_attente: 0,
            jours_depuis_mise_a_jour: Some(75),
            secretariat_etp_centiemes: None,
            informations: "",
            deux_tribunaux: false,
        }),
    },
    // The over-capacity one: more mesures en cours than souhaitées.
    Person {
        identifiant: "demo-mjpm-complet",
        role: Role::Prepose,
        prenom: "Marc",
        nom: "Lefebvre",
        genre: Genre::H,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 15,
            en_cours: 19,
            acceptees: 1,
            eteintes: 4,
            en_attente: 1,
            jours_depuis_mise_a_jour: Some(10),
            secretariat_etp_centiemes: Some(100),
            informations: "",
            deux_tribunaux: true,
        }),
    },
    Person {
        identifiant: "demo-mjpm-disponible",
        role: Role::Individuel,
        prenom: "Nadia",
        nom: "Benali",
        genre: Genre::F,
        listed: false,
        active: true,
        mandataire: Some(Figures {
            souhaitees: 40,
            en_cours: 17,
            acceptees: 0,
            eteintes: 2,
            en_attente: 0,
            jours_depuis_mise_a_jour: Some(1),
            secretariat_etp_centiemes: Some(80),
            informations: "Nouvelle installation : disponible pour des mesures à domicile.",
            deux_tribunaux: false,
        }),
    },
    // A sign-up waiting for validation: the administrator's "Activer".
    Person {
        identifiant: "demo-mjpm-inscrit",
        role: Role::Individuel,
        prenom: "Thomas",
        nom: "Petit",
        genre: Genre::H,
        listed: false,
        active: false,
        mandataire: Some(Figures {
            souhaitees: 25,
            en_cours: 0,
            acceptees: 0,
            eteintes: 0,
            en_attente: 0,
            jours_depuis_mise_a_jour: None,
            secretariat_etp_centiemes: None,
            informations: "",
            deux_tribunaux: false,
        }),
    },
];

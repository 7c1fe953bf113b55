//! Tribunal types (SPEC §8.1).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TribunalType {
    #[serde(rename = "TJ")]
    Judiciaire,
    #[serde(rename = "TPROX")]
    Proximite,
    #[serde(rename = "TPI")]
    PremiereInstance,
    /// Historical: closed on 31/12/2019.
    #[serde(rename = "TI")]
    Instance,
}

impl TribunalType {
    pub const ALL: [TribunalType; 4] = [
        TribunalType::Judiciaire,
        TribunalType::Proximite,
        TribunalType::PremiereInstance,
        TribunalType::Instance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TribunalType::Judiciaire => "TJ",
            TribunalType::Proximite => "TPROX",
            TribunalType::PremiereInstance => "TPI",
            TribunalType::Instance => "TI",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TribunalType::Judiciaire => "Tribunal judiciaire",
            TribunalType::Proximite => "Tribunal de proximité",
            TribunalType::PremiereInstance => "Tribunal de première instance",
            TribunalType::Instance => "Tribunal d'instance",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in TribunalType::ALL {
            assert_eq!(TribunalType::from_code(t.code()), Some(t));
        }
        assert_eq!(
            TribunalType::from_code(" tprox "),
            Some(TribunalType::Proximite)
        );
        assert_eq!(TribunalType::from_code("CA"), None);
    }
}

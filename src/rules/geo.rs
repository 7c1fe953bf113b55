//! Distances between communes (issue 18, "Trier par : Distance"): great-circle distance between two WGS84
//! points, which is what "à 12 km" means to a magistrat choosing between mandataires (roads differ, but the
//! order rarely does at a département's scale).

/// The mean Earth radius (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// The great-circle distance in kilometres between two (latitude, longitude) points in degrees
/// (haversine formula).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// "à 12 km" ("à moins d'1 km" below one kilometre), rounded to the kilometre.
pub fn distance_label(km: f64) -> String {
    if km < 1.0 {
        "à moins d'1 km".to_owned()
    } else {
        format!("à {} km", super::format::integer(km.round() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_between_known_communes() {
        let calais = (50.9513, 1.8587);
        let boulogne = (50.7264, 1.6147);
        let arras = (50.2910, 2.7775);
        let paris = (48.8566, 2.3522);
        let around = |a, b, km: f64| (distance_km(a, b) - km).abs() < 1.0;
        assert!(
            around(calais, boulogne, 30.0),
            "{}",
            distance_km(calais, boulogne)
        );
        assert!(
            around(calais, arras, 97.0),
            "{}",
            distance_km(calais, arras)
        );
        assert!(
            around(calais, paris, 236.0),
            "{}",
            distance_km(calais, paris)
        );
        assert_eq!(distance_km(calais, calais), 0.0);
        assert_eq!(distance_label(0.4), "à moins d'1 km");
        assert_eq!(distance_label(29.6), "à 30 km");
    }
}

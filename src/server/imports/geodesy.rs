//! Projected coordinates of the FINESS extract to WGS84 (SPEC §9): Lambert-93 in metropolitan France, UTM
//! in the overseas départements. RGF93 and the overseas frames (RGAF09, RGFG95, RGR92, RGM04, RGSPM06) agree
//! with WGS84 to well under a metre, so only the projections are inverted; no datum shift is needed.
//!
//! Checked against PROJ (pyproj 3, EPSG:2154 and EPSG:326xx/327xx) on known points, in the tests below.

/// GRS80 (RGF93 and the overseas frames); WGS84 differs from it by 0.1 mm on the semi-minor axis.
const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_222_101;

fn eccentricity() -> f64 {
    (2.0 * F - F * F).sqrt()
}

/// Lambert-93 (EPSG:2154): conic conformal with standard parallels 44° and 49°, origin 46°30′N 3°E, false
/// easting 700 000 m, false northing 6 600 000 m. Returns (latitude, longitude) in degrees.
pub fn lambert93_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    let e = eccentricity();
    let (phi1, phi2, phi0, lambda0) = (
        44f64.to_radians(),
        49f64.to_radians(),
        46.5f64.to_radians(),
        3f64.to_radians(),
    );
    let m = |phi: f64| phi.cos() / (1.0 - (e * phi.sin()).powi(2)).sqrt();
    let t = |phi: f64| {
        (std::f64::consts::FRAC_PI_4 - phi / 2.0).tan()
            / ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0)
    };
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let big_f = m(phi1) / (n * t(phi1).powf(n));
    let rho0 = A * big_f * t(phi0).powf(n);
    let dx = x - 700_000.0;
    let dy = rho0 - (y - 6_600_000.0);
    let rho = (dx * dx + dy * dy).sqrt().copysign(n);
    let t_value = (rho / (A * big_f)).powf(1.0 / n);
    let theta = dx.atan2(dy);
    let lambda = theta / n + lambda0;
    let mut phi = std::f64::consts::FRAC_PI_2 - 2.0 * t_value.atan();
    for _ in 0..15 {
        let next = std::f64::consts::FRAC_PI_2
            - 2.0
                * (t_value * ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0)).atan();
        if (next - phi).abs() < 1e-12 {
            phi = next;
            break;
        }
        phi = next;
    }
    (phi.to_degrees(), lambda.to_degrees())
}

/// UTM zone `zone` (north or south hemisphere) to (latitude, longitude) in degrees: the inverse transverse
/// Mercator series (Snyder, "Map Projections – A Working Manual", p. 63), millimetre-accurate inside a zone.
pub fn utm_to_wgs84(zone: u8, south: bool, easting: f64, northing: f64) -> (f64, f64) {
    let k0 = 0.9996;
    let e2 = 2.0 * F - F * F;
    let ep2 = e2 / (1.0 - e2);
    let x = easting - 500_000.0;
    let y = if south {
        northing - 10_000_000.0
    } else {
        northing
    };
    let lambda0 = (f64::from(zone) * 6.0 - 183.0).to_radians();
    let m = y / k0;
    let mu = m / (A * (1.0 - e2 / 4.0 - 3.0 * e2 * e2 / 64.0 - 5.0 * e2.powi(3) / 256.0));
    let e1 = (1.0 - (1.0 - e2).sqrt()) / (1.0 + (1.0 - e2).sqrt());
    let phi1 = mu
        + (3.0 * e1 / 2.0 - 27.0 * e1.powi(3) / 32.0) * (2.0 * mu).sin()
        + (21.0 * e1 * e1 / 16.0 - 55.0 * e1.powi(4) / 32.0) * (4.0 * mu).sin()
        + (151.0 * e1.powi(3) / 96.0) * (6.0 * mu).sin()
        + (1097.0 * e1.powi(4) / 512.0) * (8.0 * mu).sin();
    let (sin1, cos1, tan1) = (phi1.sin(), phi1.cos(), phi1.tan());
    let c1 = ep2 * cos1 * cos1;
    let t1 = tan1 * tan1;
    let n1 = A / (1.0 - e2 * sin1 * sin1).sqrt();
    let r1 = A * (1.0 - e2) / (1.0 - e2 * sin1 * sin1).powf(1.5);
    let d = x / (n1 * k0);
    let phi = phi1
        - (n1 * tan1 / r1)
            * (d * d / 2.0
                - (5.0 + 3.0 * t1 + 10.0 * c1 - 4.0 * c1 * c1 - 9.0 * ep2) * d.powi(4) / 24.0
                + (61.0 + 90.0 * t1 + 298.0 * c1 + 45.0 * t1 * t1 - 252.0 * ep2 - 3.0 * c1 * c1)
                    * d.powi(6)
                    / 720.0);
    let lambda = lambda0
        + (d - (1.0 + 2.0 * t1 + c1) * d.powi(3) / 6.0
            + (5.0 - 2.0 * c1 + 28.0 * t1 - 3.0 * c1 * c1 + 8.0 * ep2 + 24.0 * t1 * t1)
                * d.powi(5)
                / 120.0)
            / cos1;
    (phi.to_degrees(), lambda.to_degrees())
}

/// The projection of a FINESS département code (SPEC §9): Lambert-93 for metropolitan France, the UTM zone
/// of each overseas département; `None` for a code without coordinates we can convert.
pub fn finess_to_wgs84(departement: &str, x: f64, y: f64) -> Option<(f64, f64)> {
    let (lat, lon) = match departement {
        "9A" | "9B" | "971" | "972" => utm_to_wgs84(20, false, x, y),
        "9C" | "973" => utm_to_wgs84(22, false, x, y),
        "9D" | "974" => utm_to_wgs84(40, true, x, y),
        "9E" | "975" => utm_to_wgs84(21, false, x, y),
        "9F" | "976" => utm_to_wgs84(38, true, x, y),
        _ => lambert93_to_wgs84(x, y),
    };
    (lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0)
        .then_some((lat, lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Within 1e-6 degree (about 10 cm) of PROJ's answer.
    fn close(found: (f64, f64), lat: f64, lon: f64) {
        assert!(
            (found.0 - lat).abs() < 1e-6 && (found.1 - lon).abs() < 1e-6,
            "{found:?} vs ({lat}, {lon})"
        );
    }

    #[test]
    fn lambert93_matches_proj() {
        // pyproj: Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
        close(lambert93_to_wgs84(700_000.0, 6_600_000.0), 46.5, 3.0);
        close(
            lambert93_to_wgs84(620_000.0, 7_100_000.0),
            50.990_667_012_683_21,
            1.863_030_613_041_777,
        );
        close(
            lambert93_to_wgs84(652_380.0, 6_861_780.0),
            48.854_297_899_714_91,
            2.351_015_355_858_808,
        );
        close(
            lambert93_to_wgs84(1_200_000.0, 6_100_000.0),
            41.829_506_139_857_93,
            9.010_871_731_777_478,
        );
    }

    #[test]
    fn utm_zones_match_proj() {
        // pyproj: EPSG:32620 (Guadeloupe, Martinique), 32622 (Guyane), 32740 (La Réunion), 32738 (Mayotte),
        // 32621 (Saint-Pierre-et-Miquelon).
        close(
            finess_to_wgs84("9A", 700_000.0, 1_800_000.0).unwrap(),
            16.272_556_693_544_143,
            -61.128_417_817_578_29,
        );
        close(
            finess_to_wgs84("9B", 650_000.0, 1_600_000.0).unwrap(),
            14.468_533_189_067_868,
            -61.608_246_890_360_73,
        );
        close(
            finess_to_wgs84("9C", 350_000.0, 550_000.0).unwrap(),
            4.974_507_627_074_784,
            -52.352_950_032_300_52,
        );
        close(
            finess_to_wgs84("9D", 340_000.0, 7_660_000.0).unwrap(),
            -21.154_289_193_409_706,
            55.459_033_733_773_46,
        );
        close(
            finess_to_wgs84("9F", 500_000.0, 8_580_000.0).unwrap(),
            -12.845_045_597_241_95,
            45.0,
        );
        close(
            finess_to_wgs84("9E", 560_000.0, 5_200_000.0).unwrap(),
            46.950_814_187_655_86,
            -56.211_513_548_223_78,
        );
    }

    #[test]
    fn metropolitan_departements_use_lambert93() {
        close(
            finess_to_wgs84("62", 620_000.0, 7_100_000.0).unwrap(),
            50.990_667_012_683_21,
            1.863_030_613_041_777,
        );
        close(
            finess_to_wgs84("2A", 1_200_000.0, 6_100_000.0).unwrap(),
            41.829_506_139_857_93,
            9.010_871_731_777_478,
        );
    }
}

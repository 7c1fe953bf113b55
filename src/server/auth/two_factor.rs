//! The admins' second factor (issue 19): TOTP codes (RFC 6238, `totp-rs`: SHA-1, 6 digits, 30-second steps,
//! one step of tolerance either side), the enrolment's QR code drawn on the server as SVG (`qrcode`, no
//! external service), 10 single-use recovery codes kept as SHA-256, and the logins waiting for their code.
//!
//! A code is accepted once: its time step must be after the last one accepted. Time is `db::now()`, so the
//! test clock moves it too.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::Digest;
use totp_rs::{Builder, Secret, Totp};

use crate::db::users::DeuxFacteurs;

/// The issuer the authenticator app shows.
pub const ISSUER: &str = "e-MJPM";
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The longest code anyone types (a recovery code with its dash and spaces): longer is refused unread.
pub const MAX_CODE_CHARS: usize = 32;
/// How long a login waits for its code.
pub const PENDING_SECS: i64 = 5 * 60;
/// Logins waiting for their code at most (each needed a correct password).
const MAX_PENDING: usize = 10_000;

/// A new random secret (160 bits, as RFC 4226 recommends), base32.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret).ok()?;
    Builder::new().with_secret(secret).build().ok()
}

/// The code of `secret` at `at` (tests, and the browser suite's authenticator).
pub fn code_at(secret: &str, at: i64) -> Option<String> {
    Some(totp(secret)?.generate(u64::try_from(at).ok()?).to_string())
}

/// The `otpauth://` address the QR code holds.
pub fn otpauth_url(identifiant: &str, secret: &str) -> String {
    let label: String =
        url::form_urlencoded::byte_serialize(format!("{ISSUER}:{identifiant}").as_bytes())
            .collect();
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30"
    )
}

/// The QR code of `text` as an SVG document (dark modules on white, a quiet zone).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// Ten recovery codes as the admin reads them ("ABCDE-FGHIJ") and their stored SHA-256.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let bytes: [u8; 7] = rand::random();
            let text = Secret::from(bytes.to_vec()).to_base32();
            let code = format!("{}-{}", &text[..5], &text[5..10]);
            let hash = hash_recovery(&code);
            (code, hash)
        })
        .unzip()
}

/// A recovery code's stored form: upper case, without spaces nor dashes, SHA-256 hex.
fn hash_recovery(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha2::Sha256::digest(normal.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a typed code matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matched {
    /// A TOTP code of this time step.
    Step(u64),
    /// The recovery code at this index.
    Recovery(usize),
}

/// Whether `typed` is a valid code now: a TOTP code of a step after the last accepted, or an unused
/// recovery code.
pub fn check(factor: &DeuxFacteurs, typed: &str, at: i64) -> Option<Matched> {
    let typed = typed.trim();
    if typed.is_empty() || typed.chars().count() > MAX_CODE_CHARS {
        return None;
    }
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        let step = totp(&factor.secret)?.check(&digits, u64::try_from(at).ok()?)?;
        return (step > factor.dernier_pas).then_some(Matched::Step(step));
    }
    let hash = hash_recovery(typed);
    factor
        .secours
        .iter()
        .position(|stored| *stored == hash)
        .map(Matched::Recovery)
}

/// Applies an accepted code: the step is remembered, a recovery code is spent.
pub fn spend(factor: &mut DeuxFacteurs, matched: Matched) {
    match matched {
        Matched::Step(step) => factor.dernier_pas = step,
        Matched::Recovery(index) => {
            factor.secours.remove(index);
        }
    }
}

/// A login whose password was right, waiting for its code.
#[derive(Clone, Debug)]
pub struct Pending {
    pub user_id: u64,
    pub retour: String,
    pub expires_at: i64,
}

/// The logins waiting for their code, by the SHA-256 of their cookie's token; bounded.
#[derive(Default)]
pub struct PendingLogins {
    entries: Mutex<HashMap<String, Pending>>,
}

impl PendingLogins {
    /// A new waiting login; returns the token for its cookie.
    pub fn open(&self, user_id: u64, retour: &str, at: i64) -> String {
        let token = super::session::random_token();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, p| p.expires_at > at);
        if entries.len() >= MAX_PENDING {
            // The oldest goes: its admin types the password again.
            if let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, p)| p.expires_at)
                .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            super::session::token_key(&token),
            Pending {
                user_id,
                retour: retour.to_owned(),
                expires_at: at + PENDING_SECS,
            },
        );
        token
    }

    /// The waiting login of `token`, unless expired.
    pub fn get(&self, token: &str, at: i64) -> Option<Pending> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&super::session::token_key(token))
            .filter(|p| p.expires_at > at)
            .cloned()
    }

    pub fn close(&self, token: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&super::session::token_key(token));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enrolled() -> (DeuxFacteurs, Vec<String>) {
        let (codes, hashes) = recovery_codes();
        (
            DeuxFacteurs {
                secret: new_secret(),
                actif_depuis: Some(0),
                dernier_pas: 0,
                secours: hashes,
            },
            codes,
        )
    }

    #[test]
    fn a_code_is_accepted_in_its_window_and_only_once() {
        let (mut factor, _) = enrolled();
        let at = 1_800_000_000;
        let code = code_at(&factor.secret, at).unwrap();
        assert_eq!(code.len(), 6);
        let matched = check(&factor, &code, at).unwrap();
        assert_eq!(
            check(&factor, &code, at + 30),
            Some(matched),
            "one step late is tolerated"
        );
        assert_eq!(
            check(&factor, &code, at + 90),
            None,
            "three steps late is not"
        );
        assert_eq!(
            check(&factor, &format!(" {} {} ", &code[..3], &code[3..]), at),
            Some(matched)
        );
        spend(&mut factor, matched);
        assert_eq!(check(&factor, &code, at), None, "a code serves once");
        let next = code_at(&factor.secret, at + 60).unwrap();
        assert!(check(&factor, &next, at + 60).is_some());
        assert_eq!(check(&factor, "000000x", at), None);
        assert_eq!(check(&factor, &"1".repeat(1000), at), None);
    }

    #[test]
    fn a_recovery_code_serves_once_whatever_its_case_and_dashes() {
        let (mut factor, codes) = enrolled();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes
            .iter()
            .all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        let typed = codes[3].to_lowercase().replace('-', " ");
        let matched = check(&factor, &typed, 0).unwrap();
        assert_eq!(matched, Matched::Recovery(3));
        spend(&mut factor, matched);
        assert_eq!(factor.secours.len(), RECOVERY_CODES - 1);
        assert_eq!(check(&factor, &codes[3], 0), None);
        assert!(check(&factor, &codes[4], 0).is_some());
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_otpauth_address() {
        let url = otpauth_url("admin", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            url,
            "otpauth://totp/e-MJPM%3Aadmin?secret=JBSWY3DPEHPK3PXP&issuer=e-MJPM&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#000000"));
    }

    #[test]
    fn waiting_logins_expire_and_are_bounded() {
        let pending = PendingLogins::default();
        let token = pending.open(7, "/admin/journal", 100);
        assert_eq!(pending.get(&token, 100).map(|p| p.user_id), Some(7));
        assert!(pending.get(&token, 100 + PENDING_SECS).is_none());
        assert!(pending.get("autre", 100).is_none());
        for i in 0..MAX_PENDING + 5 {
            pending.open(i as u64, "", 200);
        }
        assert!(pending.entries.lock().unwrap().len() <= MAX_PENDING);
        pending.close(&token);
    }
}

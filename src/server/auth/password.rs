//! Password hashing (argon2id, SPEC §4.4) and the server half of the password policy.

use std::sync::LazyLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::rules::password as policy;

/// The built-in list of common passwords (see `scripts/build-common-passwords.mjs`): one lower-case
/// password a line, sorted, so that it is searched in place.
const COMMON_PASSWORDS: &str = include_str!("../../../data/common-passwords.txt");
static COMMON: LazyLock<Vec<&'static str>> = LazyLock::new(|| COMMON_PASSWORDS.lines().collect());

/// Number of passwords of the built-in list.
#[cfg(test)]
pub fn common_password_count() -> usize {
    COMMON.len()
}

/// True when the password, ignoring case, is in the built-in list.
pub fn is_common(password: &str) -> bool {
    COMMON
        .binary_search(&password.to_lowercase().as_str())
        .is_ok()
}

/// The first rule of SPEC §4.4 the password breaks, as its French message; `None` when it is acceptable.
pub fn policy_error(password: &str, identifiant: &str, email: &str) -> Option<&'static str> {
    policy::structural_error(password, identifiant, email)
        .or_else(|| is_common(password).then_some(policy::TOO_COMMON))
}

/// Argon2id with the OWASP minimum SPEC §4.4 asks for: 19 MiB, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Password work running at once: one per core. Each argon2id hash takes 19 MiB and a core for tens of
/// milliseconds; more at once only queues on the CPU and multiplies the memory (SPEC §17: ≤ 200 MB).
static PASSWORD_WORK: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// Password work waiting for a core, at most: beyond it a request is answered "Trop de tentatives" at once
/// instead of piling up (a queue of 64 is a few seconds of work on 2 cores; memory stays bounded since a
/// waiting request holds no argon2 block).
pub const MAX_WAITING: usize = 64;
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Why password work did not run.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("file d'attente du hachage pleine")]
    Busy,
    #[error(transparent)]
    Join(#[from] tokio::task::JoinError),
}

/// Counts a request in the queue for as long as it waits.
struct Waiting;

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Runs hashing or verifying on a blocking thread, at most one per core at a time, with at most
/// `MAX_WAITING` requests waiting.
pub async fn run_limited<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WorkError> {
    if WAITING.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_WAITING {
        WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        return Err(WorkError::Busy);
    }
    let waiting = Waiting;
    let _permit = PASSWORD_WORK.acquire().await;
    drop(waiting);
    Ok(tokio::task::spawn_blocking(work).await?)
}

/// Makes the C allocator give large blocks (argon2's 19 MiB) back to the system when they are freed. By
/// default glibc raises its mmap threshold after such a free and then keeps the next ones in the heap of each
/// thread that allocated them: the resident memory of a server that verified passwords on many blocking
/// threads grew past a gigabyte in the login benchmark.
pub fn release_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // M_MMAP_THRESHOLD = -3 (malloc.h); 1 MiB: argon2's blocks always get their own mapping.
        const M_MMAP_THRESHOLD: libc::c_int = -3;
        // SAFETY: mallopt only sets an allocator parameter; called once at start-up.
        unsafe {
            libc::mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
        }
    }
}

/// The PHC string of a new random-salted hash. CPU-heavy: call it through `run_limited`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(hasher().hash_password(password.as_bytes())?.to_string())
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// True when a stored hash is weaker than today's parameters and should be replaced at the next login.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let current = Params::default();
    let param = |name: &str| parsed.params.get_decimal(name);
    parsed.algorithm.as_str() != "argon2id"
        || param("m").is_none_or(|m| m < current.m_cost())
        || param("t").is_none_or(|t| t < current.t_cost())
}

/// A hash of nothing anyone knows, verified when the identifiant is unknown so that an unknown user and a
/// wrong password take the same time (SPEC §4.3).
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("e-MJPM: aucun compte ne porte ce mot de passe").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_large_sorted_and_french_aware() {
        assert!(common_password_count() >= 10_000);
        assert!(
            COMMON.windows(2).all(|w| w[0] < w[1]),
            "sorted and without duplicates"
        );
        for password in [
            "azertyuiop",
            "MotDePasse123",
            "password1",
            "Marseille13",
            "bienvenue123",
        ] {
            assert!(is_common(password), "{password}");
        }
        assert!(!is_common("Tribunal-62100-Calais"));
    }

    #[test]
    fn policy_checks_the_list_after_the_structure() {
        assert_eq!(
            policy_error("abc123", "a", "a@b.fr"),
            Some(policy::TOO_SHORT)
        );
        assert_eq!(
            policy_error("Motdepasse123", "a", "a@b.fr"),
            Some(policy::TOO_COMMON)
        );
        assert_eq!(policy_error("Tribunal-62100", "a", "a@b.fr"), None);
    }

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let first = hash("Tribunal-62100").unwrap();
        let second = hash("Tribunal-62100").unwrap();
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "a random salt each time");
        assert!(verify("Tribunal-62100", &first));
        assert!(
            !verify("tribunal-62100", &first),
            "passwords are case-sensitive"
        );
        assert!(!verify("Tribunal-62100", "pas un hash"));
        assert!(!needs_rehash(&first));
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password(b"x")
        .unwrap()
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(!verify("x", &DUMMY_HASH));
    }
}

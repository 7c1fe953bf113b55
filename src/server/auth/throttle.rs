//! Throttling (SPEC §4.5), in memory: it protects a running server and needs no durability.
//!
//! - Per account, keyed on the normalised identifier so that unknown ones behave alike: after 5 consecutive
//!   failures each attempt must wait a delay doubling from 1 s to 60 s after the last failure; meanwhile the
//!   password is not checked. A success clears the count; nothing is ever locked for good.
//! - Per client address, per sliding 10 minutes: at most 30 failed logins, 10 reset requests, 10 sign-ups.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 5;
const MAX_DELAY_SECS: u64 = 60;
const WINDOW: Duration = Duration::from_secs(600);
/// At most this many accounts (or typed identifiants, ≤ 254 characters) and addresses are followed at once;
/// past it, the quietest are forgotten first. A few megabytes whatever an anonymous flood sends.
const MAX_KEYS: usize = 50_000;

/// What is counted per client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IpEvent {
    FailedLogin,
    ResetRequest,
    SignUp,
}

impl IpEvent {
    fn limit(self) -> usize {
        match self {
            IpEvent::FailedLogin => 30,
            IpEvent::ResetRequest | IpEvent::SignUp => 10,
        }
    }
}

#[derive(Default)]
pub struct Throttle {
    accounts: Mutex<HashMap<String, (u32, Instant)>>,
    addresses: Mutex<HashMap<(IpEvent, String), VecDeque<Instant>>>,
}

impl Throttle {
    /// Seconds left before this account may try again, if it must wait.
    pub fn account_wait(&self, account: &str) -> Option<u64> {
        let accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        let (failures, last) = accounts.get(account)?;
        wait_left(*failures, *last)
    }

    /// Checks and counts an attempt at once, before the password is verified: parallel requests cannot all
    /// pass the check before any of them is counted. `Err(seconds)` when the account must wait (nothing
    /// counted). A success clears the count (`account_succeeded`).
    pub fn account_try(&self, account: &str) -> Result<(), u64> {
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wait) = accounts
            .get(account)
            .and_then(|(f, last)| wait_left(*f, *last))
        {
            return Err(wait);
        }
        count_failure(&mut accounts, account);
        Ok(())
    }

    /// Takes back an attempt counted by `account_try` whose password was never verified.
    pub fn account_untry(&self, account: &str) {
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = accounts.get_mut(account) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    pub fn account_failed(&self, account: &str) {
        count_failure(
            &mut self.accounts.lock().unwrap_or_else(|e| e.into_inner()),
            account,
        );
    }

    pub fn account_succeeded(&self, account: &str) {
        self.accounts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(account);
    }

    /// True when this address is already at its limit for `event` in the last 10 minutes.
    pub fn address_blocked(&self, event: IpEvent, address: &str) -> bool {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        let Some(times) = addresses.get_mut(&(event, address.to_owned())) else {
            return false;
        };
        while times.front().is_some_and(|t| t.elapsed() > WINDOW) {
            times.pop_front();
        }
        times.len() >= event.limit()
    }

    /// Checks and counts an attempt from `address` at once, under one lock; false (nothing counted) when it
    /// is at its limit.
    pub fn address_try(&self, event: IpEvent, address: &str) -> bool {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        let times = addresses.entry((event, address.to_owned())).or_default();
        while times.front().is_some_and(|t| t.elapsed() > WINDOW) {
            times.pop_front();
        }
        if times.len() >= event.limit() {
            return false;
        }
        times.push_back(Instant::now());
        bound_addresses(&mut addresses);
        true
    }

    /// Takes back the last attempt counted for `address` (the login it counted succeeded).
    pub fn address_uncount(&self, event: IpEvent, address: &str) {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(times) = addresses.get_mut(&(event, address.to_owned())) {
            times.pop_back();
        }
    }

    pub fn address_counted(&self, event: IpEvent, address: &str) {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        addresses
            .entry((event, address.to_owned()))
            .or_default()
            .push_back(Instant::now());
        bound_addresses(&mut addresses);
    }

    /// How many accounts and addresses are followed now: for the limits' tests.
    pub fn held(&self) -> (usize, usize) {
        (
            self.accounts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .len(),
            self.addresses
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .len(),
        )
    }
}

/// One more failure of `account`, now.
fn count_failure(accounts: &mut HashMap<String, (u32, Instant)>, account: &str) {
    let entry = accounts
        .entry(account.to_owned())
        .or_insert((0, Instant::now()));
    entry.0 = entry.0.saturating_add(1);
    entry.1 = Instant::now();
    // Forget accounts quiet for long, then the quietest, so that the map does not grow without bound.
    if accounts.len() > MAX_KEYS {
        accounts.retain(|_, (_, last)| last.elapsed() < Duration::from_secs(3600));
        if accounts.len() > MAX_KEYS {
            let mut quiet: Vec<(Instant, String)> = accounts
                .iter()
                .map(|(k, (_, last))| (*last, k.clone()))
                .collect();
            quiet.sort_unstable();
            for (_, key) in quiet.into_iter().take(accounts.len() - MAX_KEYS * 9 / 10) {
                accounts.remove(&key);
            }
        }
    }
}

/// Forgets the addresses with nothing in the window, then the quietest, past `MAX_KEYS`.
fn bound_addresses(addresses: &mut HashMap<(IpEvent, String), VecDeque<Instant>>) {
    if addresses.len() <= MAX_KEYS {
        return;
    }
    addresses.retain(|_, times| times.back().is_some_and(|t| t.elapsed() < WINDOW));
    if addresses.len() > MAX_KEYS {
        let mut quiet: Vec<(Instant, (IpEvent, String))> = addresses
            .iter()
            .filter_map(|(k, times)| times.back().map(|t| (*t, k.clone())))
            .collect();
        quiet.sort_unstable_by_key(|(t, _)| *t);
        for (_, key) in quiet.into_iter().take(addresses.len() - MAX_KEYS * 9 / 10) {
            addresses.remove(&key);
        }
    }
}

/// Seconds left of the delay that `failures` failures, the last at `last`, impose; `None` when free.
fn wait_left(failures: u32, last: Instant) -> Option<u64> {
    if failures < FREE_FAILURES {
        return None;
    }
    let delay =
        Duration::from_secs((1_u64 << (failures - FREE_FAILURES).min(6)).min(MAX_DELAY_SECS));
    let elapsed = last.elapsed();
    (elapsed < delay).then(|| (delay - elapsed).as_secs_f64().ceil().max(1.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_delay_doubles() {
        let throttle = Throttle::default();
        for _ in 0..5 {
            assert_eq!(throttle.account_wait("a"), None);
            throttle.account_failed("a");
        }
        assert_eq!(throttle.account_wait("a"), Some(1));
        throttle.account_failed("a");
        assert_eq!(throttle.account_wait("a"), Some(2));
        for _ in 0..20 {
            throttle.account_failed("a");
        }
        assert_eq!(throttle.account_wait("a"), Some(60), "capped at 60 s");
        assert_eq!(throttle.account_wait("b"), None, "per account");
        throttle.account_succeeded("a");
        assert_eq!(throttle.account_wait("a"), None);
    }

    #[test]
    fn addresses_are_limited_per_kind() {
        let throttle = Throttle::default();
        for _ in 0..10 {
            assert!(!throttle.address_blocked(IpEvent::SignUp, "1.2.3.4"));
            throttle.address_counted(IpEvent::SignUp, "1.2.3.4");
        }
        assert!(throttle.address_blocked(IpEvent::SignUp, "1.2.3.4"));
        assert!(!throttle.address_blocked(IpEvent::ResetRequest, "1.2.3.4"));
        assert!(!throttle.address_blocked(IpEvent::SignUp, "5.6.7.8"));
    }

    #[test]
    fn attempts_are_counted_before_they_are_checked() {
        let throttle = Throttle::default();
        // Five attempts in flight at once pass; the sixth must wait, whatever their outcome.
        for _ in 0..5 {
            assert_eq!(throttle.account_try("a"), Ok(()));
        }
        assert_eq!(throttle.account_try("a"), Err(1));
        throttle.account_succeeded("a");
        assert_eq!(throttle.account_try("a"), Ok(()));
        for _ in 0..30 {
            assert!(throttle.address_try(IpEvent::FailedLogin, "1.2.3.4"));
        }
        assert!(!throttle.address_try(IpEvent::FailedLogin, "1.2.3.4"));
        throttle.address_uncount(IpEvent::FailedLogin, "1.2.3.4");
        assert!(throttle.address_try(IpEvent::FailedLogin, "1.2.3.4"));
    }

    #[test]
    fn the_maps_stay_bounded_whatever_is_typed() {
        let throttle = Throttle::default();
        for n in 0..(MAX_KEYS + 5_000) {
            throttle.account_failed(&format!("inconnu-{n}"));
            throttle.address_counted(
                IpEvent::FailedLogin,
                &format!("10.0.{}.{}", n / 256, n % 256),
            );
        }
        let (accounts, addresses) = throttle.held();
        assert!(accounts <= MAX_KEYS, "{accounts}");
        assert!(addresses <= MAX_KEYS, "{addresses}");
        // The newest are kept.
        assert_eq!(
            throttle
                .accounts
                .lock()
                .unwrap()
                .get(&format!("inconnu-{}", MAX_KEYS + 4_999))
                .map(|e| e.0),
            Some(1)
        );
    }
}

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
        if *failures < FREE_FAILURES {
            return None;
        }
        let delay =
            Duration::from_secs((1_u64 << (failures - FREE_FAILURES).min(6)).min(MAX_DELAY_SECS));
        let elapsed = last.elapsed();
        (elapsed < delay).then(|| (delay - elapsed).as_secs_f64().ceil().max(1.0) as u64)
    }

    pub fn account_failed(&self, account: &str) {
        let mut accounts = self.accounts.lock().unwrap_or_else(|e| e.into_inner());
        let entry = accounts
            .entry(account.to_owned())
            .or_insert((0, Instant::now()));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = Instant::now();
        // Forget accounts quiet for long, so that the map does not grow without bound.
        if accounts.len() > 100_000 {
            accounts.retain(|_, (_, last)| last.elapsed() < Duration::from_secs(3600));
        }
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

    pub fn address_counted(&self, event: IpEvent, address: &str) {
        let mut addresses = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        addresses
            .entry((event, address.to_owned()))
            .or_default()
            .push_back(Instant::now());
        if addresses.len() > 100_000 {
            addresses.retain(|_, times| times.back().is_some_and(|t| t.elapsed() < WINDOW));
        }
    }
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
}

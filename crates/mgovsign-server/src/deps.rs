//! The narrow traits the server reaches the outside world through: the clock, randomness and
//! the verification (certificate validation is the only dependency; no TSA is needed to
//! verify). Only the binary wires the real ones; tests fake them.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use mgovsign::{Verification, VerifyPolicy};
use mgovsign_pki::{PkiTime, Validator};
use mgovsign_protocol::Api2Set;
use mgovsign_xmldsig::XmlError;
use mgovsign_xmldsig::eds::{EdsLoginIdentity, EdsLoginPolicy, ReplayGuard};
use time::OffsetDateTime;

/// The time source.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> OffsetDateTime;
}

/// Unix milliseconds of `t`.
#[must_use]
pub fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The instant of unix milliseconds `ms` (the epoch when out of range).
#[must_use]
pub fn from_unix_ms(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The PKI time (whole seconds) of unix milliseconds `ms`.
#[must_use]
pub fn pki_time(ms: i64) -> PkiTime {
    PkiTime::from_unix(u64::try_from(ms.div_euclid(1000)).unwrap_or(0))
}

/// A clock that only moves when told (tests, demos).
#[derive(Debug)]
pub struct ManualClock {
    ms: AtomicI64,
}

impl ManualClock {
    /// Stopped at `at`.
    #[must_use]
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            ms: AtomicI64::new(unix_ms(at)),
        }
    }

    /// Moves it by `secs` (may be negative).
    pub fn advance_secs(&self, secs: i64) {
        self.ms
            .fetch_add(secs.saturating_mul(1000), Ordering::SeqCst);
    }

    /// Sets it.
    pub fn set(&self, at: OffsetDateTime) {
        self.ms.store(unix_ms(at), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        from_unix_ms(self.ms.load(Ordering::SeqCst))
    }
}

/// Randomness for session ids and tokens (must be a CSPRNG in production).
pub trait Random: Send + Sync {
    /// Fills `buf`.
    fn fill(&self, buf: &mut [u8]);
}

/// DANGER: predictable bytes (a counter through SHA-256), for tests only.
#[derive(Debug, Default)]
pub struct DangerCounterRandom {
    counter: AtomicU64,
}

impl Random for DangerCounterRandom {
    fn fill(&self, buf: &mut [u8]) {
        use sha2::Digest as _;
        for chunk in buf.chunks_mut(32) {
            let n = self.counter.fetch_add(1, Ordering::SeqCst);
            let d = sha2::Sha256::digest(n.to_be_bytes());
            chunk.copy_from_slice(&d[..chunk.len()]);
        }
    }
}

/// The verification the server needs: an API №2 set against the issued one, and an Eds login.
pub trait Verifier: Send + Sync {
    /// [`mgovsign::verify`].
    fn verify_set(
        &self,
        issued: &Api2Set,
        returned: &Api2Set,
        policy: &VerifyPolicy,
        now: PkiTime,
    ) -> Verification;

    /// [`mgovsign_xmldsig::eds::verify_login`].
    ///
    /// # Errors
    /// As `verify_login`.
    fn verify_login(
        &self,
        xml: &[u8],
        policy: &EdsLoginPolicy,
        replay: &dyn ReplayGuard,
        now: PkiTime,
    ) -> Result<EdsLoginIdentity, XmlError>;
}

/// The real [`Verifier`]: the facade and the xmldsig crate over one [`Validator`] (trust
/// store, revocation sources and their caches).
pub struct ValidatorVerifier {
    validator: Validator,
}

impl ValidatorVerifier {
    /// Over `validator`.
    #[must_use]
    pub fn new(validator: Validator) -> Self {
        Self { validator }
    }
}

impl Verifier for ValidatorVerifier {
    fn verify_set(
        &self,
        issued: &Api2Set,
        returned: &Api2Set,
        policy: &VerifyPolicy,
        now: PkiTime,
    ) -> Verification {
        mgovsign::verify(issued, returned, policy, &self.validator, now)
    }

    fn verify_login(
        &self,
        xml: &[u8],
        policy: &EdsLoginPolicy,
        replay: &dyn ReplayGuard,
        now: PkiTime,
    ) -> Result<EdsLoginIdentity, XmlError> {
        mgovsign_xmldsig::eds::verify_login(xml, policy, &self.validator, replay, now)
    }
}

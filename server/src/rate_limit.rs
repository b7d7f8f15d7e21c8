//! Request rate limits: a token bucket per client and action.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// At most `requests` per `per` (a token bucket: bursts of up to
/// `requests`, refilled steadily).
///
/// ```
/// use std::time::Duration;
/// use keyvet_server::RateLimit;
/// let tencent = RateLimit { requests: 10, per: Duration::from_secs(1) };
/// assert_eq!(tencent, RateLimit::TENCENT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period.
    pub per: Duration,
}

impl RateLimit {
    /// Tencent Cloud's documented limit for its key-pair actions: "A
    /// maximum of 10 requests can be initiated per second for this API."
    pub const TENCENT: RateLimit = RateLimit {
        requests: 10,
        per: Duration::from_secs(1),
    };
}

/// Token buckets by client and action. The service has no accounts yet:
/// a client is its address.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    buckets: Mutex<Buckets>,
}

#[derive(Debug)]
struct Buckets {
    by_client: HashMap<(IpAddr, &'static str), Bucket>,
    swept: Instant,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: Mutex::new(Buckets {
                by_client: HashMap::new(),
                swept: Instant::now(),
            }),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes a token from the bucket of `client` for `action`, if it has
    /// one.
    pub(crate) fn allow(&self, client: IpAddr, action: &'static str) -> bool {
        let RateLimit { requests, per } = self.limit;
        let capacity = f64::from(requests);
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if now.duration_since(b.swept) >= per {
            // A bucket idle for a whole period is full: forget it, so the
            // map holds recent clients only (its size is bounded by the
            // clients of one period).
            b.by_client.retain(|_, bucket| now.duration_since(bucket.at) < per);
            b.swept = now;
        }
        let bucket = b.by_client.entry((client, action)).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() / per.as_secs_f64() * capacity;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refused_per_client_and_action() {
        let l = Limiter::new(RateLimit {
            requests: 3,
            per: Duration::from_secs(3600),
        });
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert_eq!((0..5).filter(|_| l.allow(a, "ImportKeyPair")).count(), 3);
        // Another action and another client have their own buckets.
        assert!(l.allow(a, "CreateKeyPair"));
        assert!(l.allow(b, "ImportKeyPair"));
    }
}

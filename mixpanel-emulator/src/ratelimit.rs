//! The Query API's limits: queries per sliding hour and queries in flight at once.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The window of the hourly limit.
const HOUR: Duration = Duration::from_secs(3600);

/// Why a query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The hourly quota is used up.
    Hourly(u32),
    /// Too many queries are running.
    Concurrency(u32),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Hourly(limit) => write!(
                f,
                "Query rate limit exceeded: at most {limit} queries per hour are allowed for this project"
            ),
            Self::Concurrency(limit) => write!(
                f,
                "Too many concurrent queries: at most {limit} queries may run at the same time for this project"
            ),
        }
    }
}

#[derive(Debug, Default)]
struct Usage {
    /// Start times of the accepted queries of the last hour, oldest first.
    recent: VecDeque<Instant>,
    /// Queries holding a [`Permit`].
    active: u32,
}

/// Admission control for segmentation queries.
#[derive(Debug)]
pub(crate) struct QueryLimiter {
    per_hour: Option<u32>,
    concurrent: Option<u32>,
    usage: Mutex<Usage>,
}

/// A running query's slot; dropping it (also when the request is cancelled) frees the slot.
#[derive(Debug)]
pub(crate) struct Permit {
    limiter: Arc<QueryLimiter>,
}

impl QueryLimiter {
    pub(crate) fn new(per_hour: Option<u32>, concurrent: Option<u32>) -> Self {
        Self {
            per_hour,
            concurrent,
            usage: Mutex::new(Usage::default()),
        }
    }

    fn usage(&self) -> MutexGuard<'_, Usage> {
        self.usage.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Admits a query now, or says which limit refuses it. A refused query uses no quota.
    pub(crate) fn acquire(self: &Arc<Self>) -> Result<Permit, Refusal> {
        self.acquire_at(Instant::now())
    }

    fn acquire_at(self: &Arc<Self>, now: Instant) -> Result<Permit, Refusal> {
        let mut usage = self.usage();
        while usage
            .recent
            .front()
            .is_some_and(|start| now.saturating_duration_since(*start) >= HOUR)
        {
            usage.recent.pop_front();
        }
        if let Some(limit) = self.per_hour
            && usage.recent.len() >= limit as usize
        {
            return Err(Refusal::Hourly(limit));
        }
        if let Some(limit) = self.concurrent
            && usage.active >= limit
        {
            return Err(Refusal::Concurrency(limit));
        }
        usage.recent.push_back(now);
        usage.active = usage.active.saturating_add(1);
        Ok(Permit {
            limiter: Arc::clone(self),
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut usage = self.limiter.usage();
        usage.active = usage.active.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hourly_window_slides() {
        let limiter = Arc::new(QueryLimiter::new(Some(2), None));
        let start = Instant::now();
        assert!(limiter.acquire_at(start).is_ok());
        assert!(limiter.acquire_at(start + Duration::from_secs(10)).is_ok());
        assert_eq!(
            limiter.acquire_at(start + Duration::from_secs(20)).err(),
            Some(Refusal::Hourly(2))
        );
        assert!(limiter.acquire_at(start + HOUR).is_ok());
    }

    #[test]
    fn concurrency_slots_are_returned_on_drop() {
        let limiter = Arc::new(QueryLimiter::new(None, Some(1)));
        let permit = limiter.acquire();
        assert!(permit.is_ok());
        assert_eq!(limiter.acquire().err(), Some(Refusal::Concurrency(1)));
        drop(permit);
        assert!(limiter.acquire().is_ok());
    }

    #[test]
    fn unlimited_when_none() {
        let limiter = Arc::new(QueryLimiter::new(None, None));
        let permits: Vec<_> = (0..100).map(|_| limiter.acquire()).collect();
        assert!(permits.iter().all(Result::is_ok));
    }
}

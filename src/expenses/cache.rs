//! What the Expenses view loaded, kept while the view is not shown (the user switched
//! to the Connections tab), so coming back shows it at once, and the one way the rest
//! of the widget says the user's data changed on the server ([`ExpensesCache::changed`]:
//! a bank connected, a refresh finished). A change drops what was kept, and a view that
//! is shown when it happens loads afresh at once (it listens while it is mounted).
//!
//! `Send + Sync` (an `Arc` and `Mutex`es, uncontended in the browser's one thread) so it
//! goes into context ([`super::ExpensesContext`]) and closures as it is: wrapped in a
//! `StoredValue` like the filter bridge, its generic plumbing cost the release wasm
//! about 1 KB gzip.

use std::sync::{Arc, Mutex, MutexGuard};

use super::day::Day;
use super::ledger::Ledger;

/// How a mounted view hears that the data changed.
pub type Listener = Arc<dyn Fn() + Send + Sync>;

/// Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct ExpensesCache(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// The ledger and the first day it holds (`None`: every date).
    kept: Mutex<Option<(Ledger, Option<Day>)>>,
    listener: Mutex<Option<Listener>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ExpensesCache {
    /// The user's data changed on the server: what was kept is stale, and a view that
    /// is shown reloads.
    pub fn changed(&self) {
        lock(&self.0.kept).take();
        let listener = lock(&self.0.listener).clone();
        if let Some(l) = listener {
            l();
        }
    }

    /// Takes what an earlier mount of the view loaded (`ledger`, loaded from `day`).
    pub fn take(&self) -> Option<(Ledger, Option<Day>)> {
        lock(&self.0.kept).take()
    }

    /// Keeps the view's data for its next mount.
    pub fn keep(&self, ledger: Ledger, from: Option<Day>) {
        *lock(&self.0.kept) = Some((ledger, from));
    }

    /// The mounted view registers how it reloads; `None` when it goes away.
    pub fn listen(&self, listener: Option<Listener>) {
        *lock(&self.0.listener) = listener;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn a_change_drops_what_was_kept_and_tells_a_shown_view() {
        let cache = ExpensesCache::default();
        cache.keep(Ledger::default(), None);
        assert!(cache.take().is_some());
        assert!(cache.take().is_none(), "taken once");

        cache.keep(Ledger::default(), None);
        cache.changed();
        assert!(cache.take().is_none(), "a change drops what was kept");

        let heard = Arc::new(AtomicU32::new(0));
        let h = heard.clone();
        cache.listen(Some(Arc::new(move || {
            h.fetch_add(1, Ordering::Relaxed);
        })));
        cache.changed();
        cache.listen(None);
        cache.changed();
        assert_eq!(heard.load(Ordering::Relaxed), 1, "heard while listening only");
    }
}

//! What the Expenses view loaded, kept while the view is not shown (the user switched
//! to the Connections tab), so coming back shows it at once, and the one way the rest
//! of the widget says the user's data changed on the server ([`ExpensesCache::changed`]:
//! a bank connected, a refresh finished), after which the view loads afresh.
//!
//! A change said while the view is shown counts too: the view keeps what it loaded only
//! if nothing changed since it began loading ([`ExpensesCache::keep`] checks).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;

use super::day::Day;
use super::ledger::Ledger;

/// Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct ExpensesCache(Rc<Inner>);

#[derive(Default)]
struct Inner {
    /// The ledger and the first day it holds (`None`: every date).
    kept: RefCell<Option<(Ledger, Option<Day>)>>,
    /// Bumped by every [`ExpensesCache::changed`].
    changes: Cell<u32>,
}

/// What a load began from: compare with [`ExpensesCache::since`] when keeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Since(u32);

/// The cache in context (kept locally: not `Send`).
#[derive(Clone, Copy)]
struct CacheContext(StoredValue<ExpensesCache, LocalStorage>);

impl ExpensesCache {
    /// Puts the cache in context for the views under the current owner.
    pub fn provide(&self) {
        provide_context(CacheContext(StoredValue::new_local(self.clone())));
    }

    /// The cache in context, or a detached one when the view is used on its own.
    pub fn from_context() -> Self {
        use_context::<CacheContext>().map(|c| c.0.get_value()).unwrap_or_default()
    }

    /// The user's data changed on the server: what was loaded is stale.
    pub fn changed(&self) {
        self.0.changes.set(self.0.changes.get().wrapping_add(1));
        self.0.kept.borrow_mut().take();
    }

    /// Where the changes stand now; a load remembers it when it begins.
    pub fn since(&self) -> Since {
        Since(self.0.changes.get())
    }

    /// Takes what an earlier mount of the view loaded (`ledger`, loaded from `day`).
    pub fn take(&self) -> Option<(Ledger, Option<Day>)> {
        self.0.kept.borrow_mut().take()
    }

    /// Keeps the view's data for its next mount, unless the data changed since `since`.
    pub fn keep(&self, ledger: Ledger, from: Option<Day>, since: Since) {
        if since == self.since() {
            *self.0.kept.borrow_mut() = Some((ledger, from));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_was_loaded_unless_the_data_changed_meanwhile() {
        let cache = ExpensesCache::default();
        let since = cache.since();
        cache.keep(Ledger::default(), None, since);
        assert!(cache.take().is_some());
        assert!(cache.take().is_none(), "taken once");

        cache.keep(Ledger::default(), None, since);
        cache.changed();
        assert!(cache.take().is_none(), "a change drops what was kept");

        let before = cache.since();
        cache.changed();
        cache.keep(Ledger::default(), None, before);
        assert!(cache.take().is_none(), "loaded before a change: not kept");
    }
}

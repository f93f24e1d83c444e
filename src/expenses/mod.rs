//! The Expenses view: the user's categorised transactions for a period, with instant
//! client-side filters, a category breakdown, a month-by-month chart and a virtual
//! transaction list. The filter and aggregation model is plain Rust (no DOM) in the
//! submodules; the components only render what the model computes.

pub mod aggregate;
pub mod categories;
pub mod day;
pub mod filter;
pub mod ledger;
pub mod money;

use leptos::prelude::*;

/// The Expenses tab. Needs a [`crate::app::BackendContext`] in context.
#[component]
pub fn ExpensesView() -> impl IntoView {
    view! { <section class="expenses" aria-label="Expenses"><p class="muted">"Loading expenses…"</p></section> }
}

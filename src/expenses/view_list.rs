//! The transaction list, virtual: rows have a fixed height, only the visible ones (plus
//! a few either side) are in the DOM, and a spacer gives the scrollbar its full length,
//! so 50,000 rows scroll as smoothly as 50. Filtering and sorting produce an index
//! vector in the model; this view only slices it.
//!
//! The row height belongs to the stylesheet (`--tx-row-h`: a table row when the widget
//! is wide, a taller two-line card when it is narrow), so rows are placed with
//! `calc(var(--tx-row-h) * position)` and the height in pixels is read back from the
//! spacer when the list scrolls. It stays a valid ARIA table: the table holds only its
//! header row and a row group (the scrolling box); the count and "Reload" sit after it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::num::fixed;

use super::aggregate::Sort;
use tally_api::taxonomy::TITLES;
use super::ledger::Ledger;
use super::{ctx, day, money, Ctx};

/// Row height in CSS pixels of the wide layout, the stylesheet's default `--tx-row-h`
/// (used until the list has measured its rows).
pub const ROW_HEIGHT: f64 = 44.0;
/// Height of the scrolling area.
pub const VIEWPORT_HEIGHT: f64 = 440.0;
/// Rows rendered beyond each edge of the viewport.
pub const OVERSCAN: usize = 6;

/// The slice `[start, end)` of positions to render for a scroll offset, with rows
/// `row_height` px tall (anything under 1 px counts as [`ROW_HEIGHT`]).
pub fn visible_range(scroll_top: f64, total: usize, row_height: f64) -> (usize, usize) {
    let h = if row_height >= 1.0 { row_height } else { ROW_HEIGHT };
    let first = (scroll_top.max(0.0) / h) as usize;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + (VIEWPORT_HEIGHT / h).ceil() as usize + OVERSCAN).min(total);
    (start, end)
}

/// The CSS length of `n` rows: `n` times the stylesheet's row height.
fn rows_tall(n: usize) -> String {
    format!("calc(var(--tx-row-h) * {n})")
}

/// Gives row `i` category `slug`, and every row of the same merchant too (the server
/// applies a correction to all of a merchant's transactions). Returns `(row, old slug)`
/// of each row changed, to undo with.
pub fn recategorise_rows(l: &mut Ledger, i: usize, slug: &str) -> Vec<(usize, String)> {
    let Some(merchant) = l.merchants.get(i).map(|m| m.trim().to_lowercase()) else { return Vec::new() };
    let same: Vec<usize> = if merchant.is_empty() {
        vec![i]
    } else {
        (0..l.len()).filter(|&k| k == i || l.merchants[k].trim().to_lowercase() == merchant).collect()
    };
    let mut changed = Vec::new();
    for k in same {
        if let Some(old) = l.set_category(k, slug) {
            if old != slug {
                changed.push((k, old));
            }
        }
    }
    changed
}

/// Re-categorises at once, then tells the server; undone (with a message) if the
/// server refuses.
fn recategorise(c: Ctx, i: usize, slug: String) {
    let changed = c.ledger.try_update_value(|l| recategorise_rows(l, i, &slug)).unwrap_or_default();
    if changed.is_empty() {
        return;
    }
    c.version.update(|v| *v += 1);
    let Some(tx) = c.ledger.with_value(|l| l.ids.get(i).cloned()) else { return };
    let Some(backend) = c.backend.try_get_value() else { return };
    spawn_local(async move {
        if let Err(e) = backend.set_category(&tx, &slug).await {
            let undone = c.ledger.try_update_value(|l| {
                for (k, old) in &changed {
                    l.set_category(*k, old);
                }
            });
            if undone.is_some() {
                c.version.update(|v| *v += 1);
                c.host.error(&e.code, &e.message);
                c.notice.set(Some((c.host.strings.ex_recategorise_failed)(&e.message)));
            }
        }
    });
}

#[component]
pub fn TransactionList() -> impl IntoView {
    let c = ctx();
    let s = c.host.strings;
    let scroll_top = RwSignal::new(0.0f64);
    let row_height = RwSignal::new(ROW_HEIGHT);
    let editing = RwSignal::new(None::<usize>);
    let total = move || c.order.with(|o| o.len());
    // Back to the top when the rows change underneath.
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        c.order.track();
        // Only when scrolled: writing scrollTop forces a layout.
        if scroll_top.get_untracked() != 0.0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    let rows = move || {
        let order: Arc<Vec<u32>> = c.order.get();
        let (start, end) = visible_range(scroll_top.get(), order.len(), row_height.get());
        c.ledger.with_value(|l| {
            order[start..end].iter().enumerate().map(|(k, &i)| (start + k, i as usize, l.rows[i as usize].category)).collect::<Vec<_>>()
        })
    };
    let sort_button = move |label: &'static str, desc: Sort, asc: Sort| {
        let state = move || {
            let s = c.sort.get();
            if s == desc { "descending" } else if s == asc { "ascending" } else { "none" }
        };
        view! {
            <span role="columnheader" aria-sort=state class="sortable">
                <button type="button" on:click=move |_| c.sort.set(if c.sort.get_untracked() == desc { asc } else { desc })>
                    {label}
                    <span aria-hidden="true">{move || match state() { "descending" => " ▼", "ascending" => " ▲", _ => "" }}</span>
                </button>
            </span>
        }
    };

    view! {
        <div class="tx-table">
            <div class="tx-grid" role="table" aria-label=s.ex_transactions aria-rowcount=move || (total() + 1).to_string()>
                <div class="tx-head" role="row" aria-rowindex="1">
                    {sort_button(s.ex_col_date, Sort::DateDesc, Sort::DateAsc)}
                    <span role="columnheader" class="column-description">{s.ex_col_description}</span>
                    <span role="columnheader" class="column-category">{s.ex_col_category}</span>
                    {sort_button(s.ex_col_amount, Sort::AmountDesc, Sort::AmountAsc)}
                </div>
                // Sizes go through `style:` (CSSOM), not a `style` attribute: a host page whose
                // CSP has no 'unsafe-inline' blocks style attributes but allows CSSOM.
                // A row group, so the table's children are rows and row groups only; focusable,
                // so the keyboard can scroll it.
                <div class="tx-scroll" role="rowgroup" aria-label=s.ex_transactions_scroll node_ref=scroller tabindex="0"
                    style:height=format!("{}px", fixed(VIEWPORT_HEIGHT, 0))
                    on:scroll=move |ev| {
                        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                            if let (Some(spacer), n) = (el.first_element_child().and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()), total()) {
                                if n > 0 && spacer.offset_height() > 0 {
                                    row_height.set(spacer.offset_height() as f64 / n as f64);
                                }
                            }
                            scroll_top.set(el.scroll_top() as f64);
                        }
                    }>
                    <div class="tx-spacer" style:height=move || rows_tall(total())>
                        <For each=rows key=|r| *r let:r>
                            {
                                let (pos, i, _) = r;
                                let (id, date, desc, merchant, cat_slug, cat_title, cents, pending, credit) = c.ledger.with_value(|l| {
                                    let row = l.rows[i];
                                    (l.ids[i].clone(),
                                     if row.day == i32::MIN { "—".to_string() } else { day::display(row.day) },
                                     l.descriptions[i].clone(), l.merchants[i].clone(),
                                     l.categories.id(row.category).to_string(), l.categories.label(row.category).to_string(),
                                     row.cents, row.pending(), row.credit())
                                });
                                view! {
                                    <div class="tx-row" role="row" aria-rowindex=(pos + 2).to_string() data-id=id
                                        style:top=rows_tall(pos)>
                                        <span role="cell" class="date">{date}</span>
                                        <span role="cell" class="desc">
                                            <span class="description" title=desc.clone()>{desc.clone()}</span>
                                            {(!merchant.is_empty()).then(|| view! { <span class="merchant muted">{merchant}</span> })}
                                        </span>
                                        <span role="cell" class="category">
                                            {move || if editing.get() == Some(i) {
                                                let current = cat_slug.clone();
                                                // Only the taxonomy's categories: exactly those the server's
                                                // correction endpoint accepts. A non-purchase group
                                                // (Transfers…) is not one; it shows as the current value so
                                                // picking any real category is a change.
                                                let not_a_choice = (!TITLES.iter().any(|(s, _)| *s == current))
                                                    .then(|| view! { <option value="" disabled=true selected=true>{cat_title.clone()}</option> });
                                                let picker = NodeRef::<leptos::html::Select>::new();
                                                // Opened from the button: keyboard focus follows.
                                                Effect::new(move |_| {
                                                    if let Some(el) = picker.get() {
                                                        let _ = el.focus();
                                                    }
                                                });
                                                view! {
                                                    <select class="recategorise" aria-label=s.ex_new_category node_ref=picker
                                                        on:change=move |ev| { let v = event_target_value(&ev); editing.set(None); recategorise(c, i, v); }
                                                        on:blur=move |_| editing.set(None)
                                                        on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { editing.set(None) }>
                                                        {not_a_choice}
                                                        {TITLES.iter().map(|&(slug, title)| {
                                                            let sel = slug == current;
                                                            view! { <option value=slug selected=sel>{title}</option> }
                                                        }).collect_view()}
                                                    </select>
                                                }.into_any()
                                            } else {
                                                view! {
                                                    <button type="button" class="cat-button" title=s.ex_change_category
                                                        aria-label=(s.ex_category_change)(&cat_title)
                                                        on:click=move |_| editing.set(Some(i))>{cat_title.clone()}</button>
                                                }.into_any()
                                            }}
                                        </span>
                                        <span role="cell" class=if credit { "amount credit" } else { "amount" }>
                                            {pending.then(|| view! { <span class="badge pending">{s.ex_pending}</span> " " })}
                                            {money::display(cents)}
                                        </span>
                                    </div>
                                }
                            }
                        </For>
                    </div>
                </div>
            </div>
            <p class="muted list-foot">
                {move || (s.ex_count)(total())}
                " " <button type="button" class="link reload" on:click=move |_| c.reload.update(|n| *n += 1)>{s.ex_reload}</button>
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_window_of_rows_is_rendered() {
        assert_eq!(visible_range(0.0, 0, 44.0), (0, 0));
        assert_eq!(visible_range(0.0, 5, 44.0), (0, 5));
        let (s, e) = visible_range(0.0, 50_000, 44.0);
        assert_eq!((s, e), (0, 16));
        let (s, e) = visible_range(44.0 * 1000.0, 50_000, 44.0);
        assert_eq!((s, e), (994, 1016));
        let (s, e) = visible_range(44.0 * 49_999.0, 50_000, 44.0);
        assert_eq!((s, e), (49_993, 50_000));
        assert_eq!(visible_range(-10.0, 3, 44.0), (0, 3));
    }

    #[test]
    fn taller_card_rows_put_fewer_rows_in_the_window_and_the_same_offset_further_down() {
        // 72 px cards (a narrow widget): 440 / 72 rounds up to 7 visible, plus overscan.
        assert_eq!(visible_range(0.0, 50_000, 72.0), (0, 13));
        assert_eq!(visible_range(72.0 * 1000.0, 50_000, 72.0), (994, 1013));
        // Not measured yet (0 px): the wide layout's height.
        assert_eq!(visible_range(44.0 * 1000.0, 50_000, 0.0), (994, 1016));
    }

    #[test]
    fn a_correction_applies_to_every_row_of_the_merchant() {
        use super::super::ledger::NewRow;
        let mut l = Ledger::default();
        let row = |id: &'static str, merchant: &'static str, cat: &'static str| NewRow {
            id,
            day: Some(19_000),
            cents: Some(-100),
            pending: false,
            credit: false,
            kind: tally_api::spending::Kind::Category,
            account: "a",
            connection: "c",
            institution: "i",
            category: Some((cat, "")),
            description: "x",
            merchant,
        };
        l.push_all(vec![row("a", "Bean There", "dining"), row("b", "bean there ", "shopping"), row("c", "Other Cafe", "dining"), row("d", "", "dining"), row("e", "", "dining")]);
        let cat = |l: &Ledger, id: &str| l.categories.id(l.rows[l.find(id).unwrap()].category).to_string();
        let a = l.find("a").unwrap();
        let changed = recategorise_rows(&mut l, a, "groceries");
        assert_eq!(changed.len(), 2);
        assert_eq!((cat(&l, "a"), cat(&l, "b"), cat(&l, "c")), ("groceries".into(), "groceries".into(), "dining".into()));
        // Undo puts each row's own old category back.
        for (k, old) in &changed {
            l.set_category(*k, old);
        }
        assert_eq!((cat(&l, "a"), cat(&l, "b")), ("dining".into(), "shopping".into()));
        // No merchant: only that row.
        let d = l.find("d").unwrap();
        assert_eq!(recategorise_rows(&mut l, d, "travel").len(), 1);
        assert_eq!(cat(&l, "e"), "dining");
    }
}

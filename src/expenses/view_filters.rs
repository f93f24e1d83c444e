//! The filter bar and the active-filter chips. Every control writes the filter state;
//! the totals, charts and list follow from the model.

use leptos::prelude::*;

use super::ctx;
use super::day;
use super::filter::{Amount, ChipKey, DateFilter, Direction, FilterState, Status};
use super::money;

/// `(id, label)` of every entry of one of the ledger's dictionaries.
fn options(which: fn(&super::ledger::Ledger) -> &super::ledger::Dict) -> impl Fn() -> Vec<(String, String)> + Copy {
    let c = ctx();
    move || {
        c.version.track();
        c.ledger.with_value(|l| {
            let mut v: Vec<(String, String)> = which(l).iter().map(|(_, id, label)| (id.to_string(), label.to_string())).collect();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        })
    }
}

/// A select over one id list of the filter: "any" or one id (the host may set several;
/// then the select shows "several" and the chips list them).
#[component]
fn IdSelect(
    /// The visible label.
    label: &'static str,
    /// What "no filter" reads as.
    any: &'static str,
    /// The choices.
    choices: Box<dyn Fn() -> Vec<(String, String)> + Send + Sync>,
    /// The filter's list this select edits.
    get: fn(&FilterState) -> &Vec<String>,
    set: fn(&mut FilterState) -> &mut Vec<String>,
) -> impl IntoView {
    let c = ctx();
    let value = move || {
        c.filter.with(|f| match get(f).len() {
            0 => String::new(),
            1 => get(f)[0].clone(),
            _ => "\u{1}several".into(),
        })
    };
    view! {
        <label class="field">
            <span>{label}</span>
            <select
                prop:value=value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    c.filter.update(|f| {
                        let list = set(f);
                        list.clear();
                        if !v.is_empty() && !v.starts_with('\u{1}') {
                            list.push(v);
                        }
                    });
                }
            >
                <option value="">{any}</option>
                {move || (c.filter.with(|f| get(f).len()) > 1).then(|| view! { <option value="\u{1}several">{c.host.strings.ex_several}</option> })}
                {move || choices().into_iter().map(|(id, name)| {
                    let selected = id.clone();
                    view! { <option value=id selected=move || value() == selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// Every filter control.
#[component]
pub fn FilterBar(
    /// Whether a narrow widget shows the bar (see `view_disclosure`).
    open: Signal<bool>,
) -> impl IntoView {
    let c = ctx();
    let s = c.host.strings;
    let date_key = move || c.filter.with(|f| f.date.key());
    let custom = move || matches!(c.filter.with(|f| f.date), DateFilter::Custom { .. });
    let custom_bound = move |first: bool| {
        move || match c.filter.with(|f| f.date) {
            DateFilter::Custom { from, to } => (if first { from } else { to }).map(day::format).unwrap_or_default(),
            _ => String::new(),
        }
    };
    let set_custom = move |first: bool, v: String| {
        let d = day::parse(&v);
        c.filter.update(|f| {
            let (mut from, mut to) = match f.date {
                DateFilter::Custom { from, to } => (from, to),
                other => other.resolve(c.today),
            };
            if first {
                from = d;
            } else {
                to = d;
            }
            if let (Some(a), Some(b)) = (from, to) {
                if a > b {
                    (from, to) = (Some(b), Some(a));
                }
            }
            f.date = DateFilter::Custom { from, to };
        });
    };
    let amount = move |min: bool| {
        move || {
            c.filter.with(|f| if min { f.amount_min } else { f.amount_max }).map(|a| money::to_decimal(a.0)).unwrap_or_default()
        }
    };
    let set_amount = move |min: bool, v: String| {
        let cents = money::parse_cents(&v).map(|c| Amount(c.abs()));
        c.filter.update(|f| {
            if min {
                f.amount_min = cents;
            } else {
                f.amount_max = cents;
            }
        });
    };
    let categories = options(|l| &l.categories);

    view! {
        <div class="filters" id="tally-filters" class:open=move || open.get() role="search" aria-label=s.ex_filter_transactions>
            <label class="field search">
                <span>{s.ex_search}</span>
                <input type="search" placeholder=s.ex_search_placeholder
                    prop:value=move || c.filter.with(|f| f.search.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); c.filter.update(|f| f.search = v) }/>
            </label>
            <label class="field">
                <span>{s.ex_dates}</span>
                <select prop:value=date_key on:change=move |ev| {
                    let v = event_target_value(&ev);
                    c.filter.update(|f| f.date = DateFilter::from_key(&v).unwrap_or_else(|| {
                        let (from, to) = f.date.resolve(c.today);
                        DateFilter::Custom { from, to }
                    }));
                }>
                    {DateFilter::PRESETS.iter().zip(s.ex_date_presets).map(|((_, key), label)| view! {
                        <option value=*key selected=move || date_key() == *key>{label}</option>
                    }).collect_view()}
                    <option value="custom" selected=move || date_key() == "custom">{s.ex_custom_range}</option>
                </select>
            </label>
            {move || custom().then(|| view! {
                <label class="field"><span>{s.ex_from}</span>
                    <input type="date" prop:value=custom_bound(true) on:change=move |ev| set_custom(true, event_target_value(&ev))/>
                </label>
                <label class="field"><span>{s.ex_to}</span>
                    <input type="date" prop:value=custom_bound(false) on:change=move |ev| set_custom(false, event_target_value(&ev))/>
                </label>
            })}
            <IdSelect label=s.ex_category any=s.ex_all_categories choices=Box::new(categories)
                get=|f| &f.categories set=|f| &mut f.categories/>
            <IdSelect label=s.ex_account any=s.ex_all_accounts choices=Box::new(options(|l| &l.accounts))
                get=|f| &f.accounts set=|f| &mut f.accounts/>
            <IdSelect label=s.ex_connection any=s.ex_all_connections choices=Box::new(options(|l| &l.connections))
                get=|f| &f.connections set=|f| &mut f.connections/>
            <IdSelect label=s.ex_bank any=s.ex_all_banks choices=Box::new(options(|l| &l.institutions))
                get=|f| &f.institutions set=|f| &mut f.institutions/>
            <label class="field">
                <span>{s.ex_status}</span>
                <select
                    prop:value=move || match c.filter.with(|f| f.status) { Some(Status::Pending) => "pending", Some(Status::Posted) => "posted", None => "" }
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        c.filter.update(|f| f.status = match v.as_str() { "pending" => Some(Status::Pending), "posted" => Some(Status::Posted), _ => None });
                    }>
                    <option value="">{s.ex_pending_and_posted}</option>
                    <option value="pending">{s.ex_pending_only}</option>
                    <option value="posted">{s.ex_posted_only}</option>
                </select>
            </label>
            <label class="field">
                <span>{s.ex_money}</span>
                <select
                    prop:value=move || match c.filter.with(|f| f.direction) { Some(Direction::Spending) => "spending", Some(Direction::Income) => "income", None => "" }
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        c.filter.update(|f| f.direction = match v.as_str() { "spending" => Some(Direction::Spending), "income" => Some(Direction::Income), _ => None });
                    }>
                    <option value="">{s.ex_in_and_out}</option>
                    <option value="spending">{s.ex_money_out}</option>
                    <option value="income">{s.ex_money_in}</option>
                </select>
            </label>
            <label class="field amount">
                <span>{s.ex_amount_from}</span>
                <input type="number" min="0" step="0.01" inputmode="decimal" placeholder="0.00"
                    prop:value=amount(true) on:change=move |ev| set_amount(true, event_target_value(&ev))/>
            </label>
            <label class="field amount">
                <span>{s.ex_amount_to}</span>
                <input type="number" min="0" step="0.01" inputmode="decimal" placeholder=s.ex_amount_any
                    prop:value=amount(false) on:change=move |ev| set_amount(false, event_target_value(&ev))/>
            </label>
        </div>
    }
}

/// The active filters as removable chips, and "Clear all".
#[component]
pub fn Chips() -> impl IntoView {
    let c = ctx();
    let s = c.host.strings;
    let chips = move || {
        c.version.track();
        c.filter.with(|f| c.ledger.with_value(|l| f.chips(l, s)))
    };
    move || {
        let chips = chips();
        (!chips.is_empty()).then(|| {
            view! {
                <div class="chips" aria-label=s.ex_active_filters>
                    {chips.into_iter().map(|chip| {
                        let key: ChipKey = chip.key.clone();
                        view! {
                            <button type="button" class="chip" aria-label=(s.ex_remove_filter)(&chip.label)
                                on:click=move |_| c.filter.update(|f| f.remove(&key))>
                                {chip.label.clone()} <span aria-hidden="true">" ×"</span>
                            </button>
                        }
                    }).collect_view()}
                    <button type="button" class="link clear-all" on:click=move |_| c.filter.set(FilterState::default())>{s.ex_clear_all}</button>
                </div>
            }
        })
    }
}

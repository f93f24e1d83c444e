//! Totals and the two SVG charts, drawn from the model's numbers. Each chart is an
//! image with a spoken summary (`role="img"` + `aria-label`) and has a text twin: the
//! category legend is a list of buttons (click or Enter filters by the category), the
//! month chart has a table for screen readers.

use leptos::prelude::*;

use super::aggregate::{MONTH_CHART_H, MONTH_CHART_W};
use super::ctx;
use super::filter::Direction;
use super::money;
use crate::i18n::Strings;
use crate::num::fixed;

fn basis_word(s: &Strings, b: Direction) -> &'static str {
    if b == Direction::Income { s.ex_income } else { s.ex_spending }
}

/// Spending, income, net and count, with the pending toggle and the sign convention.
#[component]
pub fn Totals() -> impl IntoView {
    let c = ctx();
    let t = c.host.strings;
    let s = move || c.summary.get();
    view! {
        <div class="totals" aria-live="polite">
            <dl>
                <div><dt>{t.ex_spending}</dt><dd class="spending">{move || money::display(s().spending)}</dd></div>
                <div><dt>{t.ex_income}</dt><dd class="income">{move || money::display(s().income)}</dd></div>
                <div><dt>{t.ex_net}</dt><dd>{move || money::display(s().net())}</dd></div>
                <div><dt>{t.ex_transactions}</dt><dd class="count">{move || s().count().to_string()}</dd></div>
            </dl>
            <p class="muted convention">
                {t.ex_convention}
                {move || if c.include_pending.get() { t.ex_pending_counted } else { t.ex_pending_not_counted }}
                {move || apart_note(t, &s())}
            </p>
            {move || {
                let s = s();
                (s.pending_count > 0).then(|| view! {
                    <label class="toggle">
                        <input type="checkbox" prop:checked=move || c.include_pending.get()
                            on:change=move |ev| c.include_pending.set(event_target_checked(&ev))/>
                        {(t.ex_count_pending)(s.pending_count, &money::display(s.pending_spending))}
                    </label>
                })
            }}
        </div>
    }
}

/// What the totals leave out, as the server's expenses summary does: money moved
/// between the user's own accounts, and loan repayments (shown apart from spending).
pub fn apart_note(t: &crate::i18n::Strings, s: &super::aggregate::Summary) -> String {
    let amount = |cents: i64| (cents != 0).then(|| money::display(cents));
    (t.ex_not_counted)(amount(s.own_transfers).as_deref(), amount(s.loan_repayments).as_deref())
}

/// The category donut and its legend of buttons.
#[component]
pub fn CategoryChart() -> impl IntoView {
    let c = ctx();
    let t = c.host.strings;
    let b = move || c.charts.get();
    let toggle = move |members: Vec<String>, selected: bool| {
        c.filter.update(|f| {
            if selected {
                f.categories.retain(|x| !members.contains(x));
            } else {
                f.categories = members;
                f.categories.sort();
            }
        });
    };
    let label = move || {
        let ch = b();
        let bd = &ch.breakdown;
        let parts: Vec<String> = bd.slices.iter().map(|s| format!("{} {} ({})", s.title, money::display(s.cents), s.share_label())).collect();
        (t.ex_by_category_summary)(basis_word(t, bd.basis), &money::display(bd.total), &parts.join(", "))
    };
    view! {
        <figure class="chart categories">
            <figcaption>{move || (t.ex_by_category)(basis_word(t, b().breakdown.basis))}</figcaption>
            {move || {
                let ch = b();
                if ch.breakdown.slices.is_empty() {
                    return view! { <p class="muted">{t.ex_nothing_to_break_down}</p> }.into_any();
                }
                view! {
                    <svg class="donut" viewBox="0 0 200 200" role="img" aria-label=label>
                        {ch.breakdown.slices.iter().map(|s| {
                            let (members, selected) = (s.member_slugs.clone(), s.selected);
                            view! {
                                <path d=s.path.clone() class=format!("slice c{}{}", s.colour, if s.selected { " selected" } else { "" })
                                    data-slug=s.slug.clone() on:click=move |_| toggle(members.clone(), selected)>
                                    <title>{format!("{}: {} ({})", s.title, money::display(s.cents), s.share_label())}</title>
                                </path>
                            }
                        }).collect_view()}
                        <text x="100" y="96" text-anchor="middle" class="donut-total">{money::display(ch.breakdown.total)}</text>
                        <text x="100" y="116" text-anchor="middle" class="donut-caption">{basis_word(t, ch.breakdown.basis).to_lowercase()}</text>
                    </svg>
                }.into_any()
            }}
            {move || (!c.filter.with(|f| f.categories.is_empty())).then(|| view! {
                <p class="muted hint">{t.ex_chart_hint}</p>
            })}
            <ul class="legend">
                {move || b().breakdown.slices.iter().map(|s| {
                    let (members, selected) = (s.member_slugs.clone(), s.selected);
                    view! {
                        <li>
                            <button type="button" class="category" data-slug=s.slug.clone() aria-pressed=selected.to_string()
                                on:click=move |_| toggle(members.clone(), selected)>
                                <span class=format!("swatch c{}", s.colour) aria-hidden="true"></span>
                                <span class="name">{s.title.clone()}</span>
                                <span class="amount">{money::display(s.cents)}</span>
                                <span class="share muted">{s.share_label()}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </figure>
    }
}

/// Spending (or income) month by month over the period.
#[component]
pub fn MonthChart() -> impl IntoView {
    let c = ctx();
    let t = c.host.strings;
    let m = move || c.charts.get();
    view! {
        <figure class="chart months">
            <figcaption>{move || (t.ex_by_month)(basis_word(t, m().months.basis))}</figcaption>
            {move || {
                let ch = m();
                let mc = &ch.months;
                let word = basis_word(t, mc.basis);
                let aria = (t.ex_by_month_summary)(word,
                    &mc.bars.iter().map(|b| format!("{} {}", b.label, money::display(b.cents))).collect::<Vec<_>>().join(", "));
                let every = (mc.bars.len() / 12).max(1);
                view! {
                    <svg class="bars" viewBox=format!("0 0 {} {}", fixed(MONTH_CHART_W.into(), 0), fixed((MONTH_CHART_H + 16.0).into(), 0)) role="img" aria-label=aria>
                        {mc.bars.iter().enumerate().map(|(i, b)| view! {
                            <g>
                                <rect x=fixed(b.x.into(), 2).to_string() y=fixed(b.y.into(), 2).to_string() width=fixed(b.width.into(), 2).to_string() height=fixed(b.height.into(), 2).to_string() class="bar">
                                    <title>{format!("{}: {}", b.label, money::display(b.cents))}</title>
                                </rect>
                                {(i % every == 0).then(|| view! {
                                    <text x=fixed((b.x + b.width / 2.0).into(), 2).to_string() y=fixed((MONTH_CHART_H + 12.0).into(), 0).to_string() text-anchor="middle" class="axis">{b.short}</text>
                                })}
                            </g>
                        }).collect_view()}
                    </svg>
                    <table class="sr-only">
                        <caption>{(t.ex_by_month)(word)}</caption>
                        <thead><tr><th scope="col">{t.ex_month}</th><th scope="col">{word}</th></tr></thead>
                        <tbody>
                            {mc.bars.iter().map(|b| view! { <tr><th scope="row">{b.label.clone()}</th><td>{money::display(b.cents)}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                }
            }}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_totals_say_what_they_leave_out() {
        let mut s = super::super::aggregate::Summary::default();
        let t = &crate::i18n::EN;
        assert_eq!(apart_note(t, &s), "");
        s.own_transfers = 40_000;
        s.loan_repayments = 285_000;
        let note = apart_note(t, &s);
        assert!(note.contains("moved between your own accounts") && note.contains("of loan repayments"), "{note}");
    }
}

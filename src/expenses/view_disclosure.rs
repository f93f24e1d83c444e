//! The "Filters" disclosure: in a narrow widget (a phone, a narrow column) the filter bar
//! would take the whole screen, so it folds behind one button that says how many filters
//! are on; the active-filter chips stay in view below it either way. In a wide widget
//! the stylesheet hides the button and always shows the bar, so the state here only
//! matters where the button can be seen.

use leptos::prelude::*;

use super::ctx;
use super::view_filters::FilterBar;

/// The disclosure button and the filter bar it opens.
#[component]
pub fn FiltersDisclosure() -> impl IntoView {
    let c = ctx();
    let open = RwSignal::new(false);
    let active = move || {
        c.version.track();
        c.filter.with(|f| c.ledger.with_value(|l| f.chips(l, c.host.strings).len()))
    };
    view! {
        <button type="button" class="filters-toggle" aria-controls="tally-filters"
            aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            <span aria-hidden="true">"☰"</span> {move || (c.host.strings.ex_filters)(active())}
        </button>
        <FilterBar open=open.into()/>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_toggle_says_how_many_filters_are_on() {
        let toggle_label = crate::i18n::EN.ex_filters;
        assert_eq!(toggle_label(0), "Filters");
        assert_eq!(toggle_label(3), "Filters (3 on)");
    }
}

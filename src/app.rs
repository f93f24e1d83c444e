//! The root component: checks the options, provides the backend and the host link
//! through context, and shows the tab bar (Connections | Expenses).

use std::rc::Rc;

use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::backend::{Backend, BackendContext};
use crate::connections::ConnectionsPanel;
use crate::expenses::{self, ExpensesViewProps};
use crate::host::Host;
use crate::i18n;
use crate::options::{Options, OptionsError, Theme};

/// The options as the host last set them; `WidgetHandle::update` writes here.
pub type OptionsSignal = RwSignal<Result<Options, OptionsError>, LocalStorage>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Connections,
    Expenses,
}

#[component]
pub fn App(
    /// The host's options; changes apply live (a late token URL, another theme).
    options: OptionsSignal,
    /// The API client: the real HTTP one, or a test's fake.
    backend: Rc<dyn Backend>,
    /// The element the widget is mounted on; events are dispatched from it.
    host: HtmlElement,
) -> impl IntoView {
    provide_context(BackendContext(StoredValue::new_local(backend.clone())));
    let error = Memo::new(move |_| options.with(|o| o.as_ref().err().map(|e| e.to_string())));
    let theme = Memo::new(move |_| options.with(|o| matches!(o, Ok(o) if o.theme == Theme::Dark)));
    let locale = Memo::new(move |_| options.with(|o| o.as_ref().map(|o| o.locale.clone()).unwrap_or_default()));
    let waiting_for_token = Memo::new(move |_| options.with(|o| matches!(o, Ok(o) if o.token.is_none())));

    // Hand changed options to the backend (a token source that arrived late, …).
    Effect::new(move |_| {
        options.with(|o| {
            if let Ok(o) = o {
                backend.configure(o);
            }
        })
    });

    // The theme is mirrored on the host element so the stylesheet's `:host(…)` dark
    // defaults apply there, below any --tally-* values the page sets itself.
    let theme_host = host.clone();
    Effect::new(move |_| {
        let _ = if theme.get() {
            theme_host.set_attribute("data-tally-theme", "dark")
        } else {
            theme_host.remove_attribute("data-tally-theme")
        };
    });
    let host_el = StoredValue::new_local(host);
    move || {
        let strings = i18n::for_locale(&locale.get());
        let ctx = Host::new(strings, host_el.get_value());
        provide_context(ctx);
        // Invalid options: a specific message in the widget and a `tally:error` event.
        Effect::new(move |_| {
            if let Some(e) = error.get() {
                ctx.error("invalid-options", &e);
            }
        });
        let tab = RwSignal::new(Tab::Connections);
        let tab_button = move |t: Tab, label: &'static str, id: &'static str, panel: &'static str| {
            let select = move |_| tab.set(t);
            let on_key = move |e: web_sys::KeyboardEvent| {
                // Arrow keys move between tabs (WAI-ARIA tabs pattern).
                if e.key() == "ArrowRight" || e.key() == "ArrowLeft" {
                    tab.update(|t| *t = if *t == Tab::Connections { Tab::Expenses } else { Tab::Connections });
                    focus_tab(&e, if tab.get_untracked() == Tab::Connections { "tab-connections" } else { "tab-expenses" });
                }
            };
            view! {
                <button type="button" role="tab" id=id aria-controls=panel class="tab"
                    aria-selected=move || (tab.get() == t).to_string()
                    tabindex=move || if tab.get() == t { "0" } else { "-1" }
                    on:click=select on:keydown=on_key>{label}</button>
            }
        };
        view! {
            <div class="tally-app" data-theme=move || if theme.get() { "dark" } else { "light" }>
                <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">{move || ctx.announcement.get()}</div>
                {move || match error.get() {
                    Some(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    None => view! {
                        <div role="tablist" class="tabs" aria-label=strings.tabs_label>
                            {tab_button(Tab::Connections, strings.tab_connections, "tab-connections", "panel-connections")}
                            {tab_button(Tab::Expenses, strings.tab_expenses, "tab-expenses", "panel-expenses")}
                        </div>
                        <Show when=move || waiting_for_token.get()>
                            <p class="notice" role="status">{strings.waiting_for_token}</p>
                        </Show>
                        <div role="tabpanel" id="panel-connections" aria-labelledby="tab-connections" hidden=move || tab.get() != Tab::Connections>
                            <ConnectionsPanel/>
                        </div>
                        <div role="tabpanel" id="panel-expenses" aria-labelledby="tab-expenses" hidden=move || tab.get() != Tab::Expenses>
                            {move || (tab.get() == Tab::Expenses).then(|| crate::split::deferred(expenses::chunk, ExpensesViewProps { today: None }))}
                        </div>
                    }.into_any(),
                }}
            </div>
        }
    }
}

fn focus_tab(e: &web_sys::KeyboardEvent, id: &str) {
    use wasm_bindgen::JsCast;
    let root = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()).and_then(|n| n.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok());
    if let Some(el) = root.and_then(|r| r.get_element_by_id(id)).and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

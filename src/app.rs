//! The root component: checks the options, provides the backend through context, and
//! shows the current view.

use std::rc::Rc;

use leptos::prelude::*;

use crate::backend::Backend;
use crate::institutions::InstitutionList;
use crate::options::{Options, OptionsError, Theme};

/// The backend, provided through context so any view can reach it (and tests can swap it).
/// Stored locally: the widget is single-threaded and its backend holds JS values.
#[derive(Clone, Copy)]
pub struct BackendContext(pub StoredValue<Rc<dyn Backend>, LocalStorage>);

impl BackendContext {
    pub fn get() -> Rc<dyn Backend> {
        expect_context::<BackendContext>().0.get_value()
    }
}

#[component]
pub fn App(options: Result<Options, OptionsError>, backend: Option<Rc<dyn Backend>>) -> impl IntoView {
    match (options, backend) {
        (Ok(opts), Some(backend)) => {
            provide_context(BackendContext(StoredValue::new_local(backend)));
            let theme = if opts.theme == Theme::Dark { "dark" } else { "light" };
            view! {
                <div class="tally-app" data-theme=theme>
                    <h2>"Connect your bank"</h2>
                    <InstitutionList/>
                </div>
            }
            .into_any()
        }
        (Err(e), _) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
        (Ok(_), None) => view! { <p class="error" role="alert">"The widget has no server to talk to."</p> }.into_any(),
    }
}

//! `tally-widget`: Tally's embeddable bank-connection widget.
//!
//! This file holds only the JavaScript entry points. A host page calls
//! `mount(element, options)` (or uses the `<tally-connect>` custom element from
//! `www/tally-connect.js`, which calls it) and gets back a [`WidgetHandle`] whose
//! `update(options)` applies changed options and `destroy()` removes everything the
//! widget added and aborts its requests.

pub mod app;
pub mod backend;
pub mod connect_flow;
pub mod connections;
pub mod credentials;
pub mod expenses;
pub mod focus;
pub mod host;
pub mod http;
pub mod i18n;
pub mod institutions;
pub mod job;
pub mod num;
pub mod options;
pub mod shadow;
pub mod split;
pub mod time;
pub mod upload;

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::OptionsSignal;
use crate::backend::Backend;
use crate::http::HttpBackend;
use crate::options::{Options, OptionsError};

/// What `mount` returns to JavaScript.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<shadow::Mounted>,
    options: Option<OptionsSignal>,
    backend: Rc<dyn Backend>,
    filters: expenses::FilterBridge,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Applies new options (`{apiBase, tokenUrl | getToken, theme, locale}`) without
    /// remounting: a token source that arrives late releases the waiting requests.
    pub fn update(&self, options: JsValue) {
        if let Some(sig) = self.options {
            let _ = sig.try_set(Options::from_js(&options));
        }
    }

    /// Aborts in-flight requests and removes the widget's DOM, styles and reactive
    /// state. Safe to call twice.
    pub fn destroy(&mut self) {
        self.backend.shutdown();
        self.options = None;
        if let Some(m) = self.mounted.take() {
            m.unmount();
        }
    }

    /// The Expenses view's filters as a plain object, e.g. `{"categories":["dining"],
    /// "date":{"preset":"last-3-months"},"search":"","amountMin":"10.00",…}`.
    pub fn filters(&self) -> JsValue {
        self.filters.current_js()
    }

    /// Sets the Expenses view's filters (missing fields mean "any"); throws an Error
    /// naming the problem when the object is not valid. Fires no `tally:filter-change`.
    #[wasm_bindgen(js_name = setFilters)]
    pub fn set_filters(&self, filters: JsValue) -> Result<(), JsValue> {
        self.filters.set_from_js(&filters).map_err(|e| js_sys::Error::new(&e.as_string().unwrap_or_default()).into())
    }
}

/// Mounts the widget into `element` (inside a shadow root) with `options`. Invalid
/// options still mount: the widget shows what is wrong and fires `tally:error`.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<WidgetHandle, JsValue> {
    mount_with(element, Options::from_js(&options), None)
}

/// Mounts with an explicit backend (how browser tests run the flows against a fake);
/// `None` uses the real HTTP backend.
pub fn mount_with(
    element: web_sys::HtmlElement,
    options: Result<Options, OptionsError>,
    backend: Option<Rc<dyn Backend>>,
) -> Result<WidgetHandle, JsValue> {
    let backend = backend.unwrap_or_else(|| {
        let fallback = Options { api_base: String::new(), token: None, theme: options::Theme::Light, locale: "en".into() };
        Rc::new(HttpBackend::new(options.as_ref().unwrap_or(&fallback))) as Rc<dyn Backend>
    });
    let slot: Rc<Cell<Option<OptionsSignal>>> = Rc::default();
    let (slot_in, app_backend, host) = (slot.clone(), backend.clone(), element.clone());
    // The Expenses filters and data live as long as the handle, across tab switches.
    let filters = expenses::FilterBridge::new(Some(element.clone()));
    let provided = filters.clone();
    let mounted = shadow::mount_in_shadow(&element, move || {
        expenses::ExpensesContext::provide(&provided, &expenses::ExpensesCache::default());
        let sig: OptionsSignal = RwSignal::new_local(options);
        slot_in.set(Some(sig));
        app::App(app::AppProps { options: sig, backend: app_backend, host })
    })?;
    Ok(WidgetHandle { mounted: Some(mounted), options: slot.take(), backend, filters })
}

//! `tally-widget`: Tally's embeddable bank-connection widget.
//!
//! This file holds only the JavaScript entry points. A host page calls
//! `mount(element, options)` (or uses the `<tally-connect>` custom element from
//! `www/tally-connect.js`, which calls it) and gets back a [`WidgetHandle`] whose
//! `destroy()` removes everything the widget added.

pub mod app;
pub mod backend;
pub mod expenses;
pub mod institutions;
pub mod options;
pub mod shadow;

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::backend::{Backend, HttpBackend};
use crate::options::Options;

/// What `mount` returns to JavaScript. Dropping the inner handle unmounts the Leptos
/// view and cleans up its reactive graph.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<shadow::Mounted>,
    filters: expenses::FilterBridge,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget's DOM, styles and reactive state. Safe to call twice.
    pub fn destroy(&mut self) {
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

/// Mounts the widget into `element` (inside a shadow root) with `options`
/// (`{apiBase, tokenUrl?, theme?, locale?}`). Invalid options still mount: the widget
/// shows what is wrong instead of staying blank.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, options: JsValue) -> Result<WidgetHandle, JsValue> {
    let opts = Options::from_js(&options);
    let backend: Option<Rc<dyn Backend>> = opts
        .as_ref()
        .ok()
        .map(|o| Rc::new(HttpBackend::new(o.api_base.clone())) as Rc<dyn Backend>);
    mount_with(element, opts, backend)
}

/// Mounts with an explicit backend: how browser tests run the flows against a fake.
pub fn mount_with(
    element: web_sys::HtmlElement,
    options: Result<Options, options::OptionsError>,
    backend: Option<Rc<dyn Backend>>,
) -> Result<WidgetHandle, JsValue> {
    // The Expenses filters live as long as the handle, across tab switches.
    let filters = expenses::FilterBridge::new(Some(element.clone()));
    let provided = filters.clone();
    let mounted = shadow::mount_in_shadow(&element, move || {
        provided.provide();
        app::App(app::AppProps { options, backend })
    })?;
    Ok(WidgetHandle { mounted: Some(mounted), filters })
}

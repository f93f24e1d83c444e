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
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget's DOM, styles and reactive state. Safe to call twice.
    pub fn destroy(&mut self) {
        if let Some(m) = self.mounted.take() {
            m.unmount();
        }
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
    let mounted = shadow::mount_in_shadow(&element, move || app::App(app::AppProps { options, backend }))?;
    Ok(WidgetHandle { mounted: Some(mounted) })
}

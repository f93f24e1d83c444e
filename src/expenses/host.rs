//! The link between the Expenses view and the host page: the host reads the filters
//! (`WidgetHandle.filters()`), sets them (`WidgetHandle.setFilters(obj)`), and hears about
//! the user's changes through a `tally:filter-change` event on the host element
//! (`bubbles` and `composed`, `detail` = the filter object). Filters set by the host do
//! not fire the event, like a DOM property set from script.
//!
//! The bridge outlives the view: the filters survive switching tabs, and the host may
//! set them before the Expenses tab is ever shown. (What the view loaded survives too,
//! in [`super::cache`].)

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::filter::FilterState;

/// The host's handle on the filters. Cheap to clone.
#[derive(Clone, Default)]
pub struct FilterBridge(Rc<Inner>);

#[derive(Default)]
struct Inner {
    host: Option<web_sys::HtmlElement>,
    current: RefCell<FilterState>,
    listener: RefCell<Option<Listener>>,
}

/// How the mounted view applies filters set by the host.
pub type Listener = Rc<dyn Fn(FilterState)>;

/// The event dispatched on the host element when the user changes a filter.
pub const FILTER_CHANGE_EVENT: &str = "tally:filter-change";

impl FilterBridge {
    /// A bridge dispatching events on `host` (none in tests that mount no host).
    pub fn new(host: Option<web_sys::HtmlElement>) -> Self {
        FilterBridge(Rc::new(Inner { host, ..Default::default() }))
    }

    pub fn current(&self) -> FilterState {
        self.0.current.borrow().clone()
    }

    /// The current filters as a plain JS object.
    pub fn current_js(&self) -> JsValue {
        js_sys::JSON::parse(&self.current().to_json()).unwrap_or(JsValue::NULL)
    }

    /// Sets the filters from a host object; a bad object is refused with a message
    /// naming the problem, and the filters stay as they were.
    pub fn set_from_js(&self, value: &JsValue) -> Result<(), JsValue> {
        let json = if value.is_null() || value.is_undefined() {
            "{}".to_string()
        } else {
            js_sys::JSON::stringify(value).map(String::from).map_err(|_| JsValue::from_str("Invalid filters: not a JSON object"))?
        };
        let f = FilterState::from_json(&json).map_err(|e| JsValue::from_str(&e))?;
        self.set_from_host(f);
        Ok(())
    }

    /// Sets the filters (no event); the view, if shown, follows at once.
    pub fn set_from_host(&self, f: FilterState) {
        *self.0.current.borrow_mut() = f.clone();
        let listener = self.0.listener.borrow().clone();
        if let Some(l) = listener {
            l(f);
        }
    }

    /// Called by the view on every filter state; dispatches the event when it differs
    /// from what the bridge knows (i.e. the user changed it).
    pub fn view_changed(&self, f: &FilterState) {
        if *self.0.current.borrow() == *f {
            return;
        }
        *self.0.current.borrow_mut() = f.clone();
        if let Some(host) = &self.0.host {
            crate::host::dispatch(host, FILTER_CHANGE_EVENT, &f.to_json());
        }
    }

    /// The view registers how to apply host-set filters; `None` when it goes away.
    pub fn listen(&self, listener: Option<Listener>) {
        *self.0.listener.borrow_mut() = listener;
    }
}

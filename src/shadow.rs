//! Shadow DOM and styles: the widget renders inside its host element's shadow root and
//! installs its CSS with `adoptedStyleSheets`, which works under a CSP without
//! `'unsafe-inline'` and never leaks styles into (or out of) the host page.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet; theming through `--tally-*` custom properties.
pub const CSS: &str = concat!(include_str!("style.css"), include_str!("expenses/expenses.css"));

/// A mounted widget: dropping the Leptos handle unmounts the view and disposes of its
/// reactive owner (which cancels its effects and resources).
pub struct Mounted {
    handle: Box<dyn Any>,
    container: HtmlElement,
    shadow: ShadowRoot,
}

impl Mounted {
    pub fn unmount(self) {
        drop(self.handle);
        self.container.remove();
        let _ = js_sys::Reflect::set(&self.shadow, &"adoptedStyleSheets".into(), &js_sys::Array::new());
        // The theme mirror `app.rs` put on the host element.
        let _ = self.shadow.host().remove_attribute("data-tally-theme");
    }
}

/// Renders `view` into a fresh container in `host`'s (open) shadow root.
pub fn mount_in_shadow<F, N>(host: &HtmlElement, view: F) -> Result<Mounted, JsValue>
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let shadow = match host.shadow_root() {
        Some(s) => s,
        None => {
            let init = ShadowRootInit::new(ShadowRootMode::Open);
            host.attach_shadow(&init)?
        }
    };
    adopt_styles(&shadow)?;
    let document = host.owner_document().ok_or_else(|| JsValue::from_str("element has no document"))?;
    let container: HtmlElement = document.create_element("div")?.dyn_into()?;
    container.set_class_name("tally-root");
    shadow.append_child(&container)?;
    let handle = leptos::mount::mount_to(container.clone(), view);
    Ok(Mounted { handle: Box::new(handle), container, shadow })
}

fn adopt_styles(shadow: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(CSS)?;
    let sheets = js_sys::Array::of1(&sheet);
    js_sys::Reflect::set(shadow, &"adoptedStyleSheets".into(), &sheets)?;
    Ok(())
}

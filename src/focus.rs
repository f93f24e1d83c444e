//! Focus kept when a view changes (WCAG 2.4.3). When the focused control leaves the DOM
//! (the submit button replaced by the job's progress, "Done" closing the connect flow,
//! "Back"), browsers drop focus to the page's `<body>`, and a keyboard or screen-reader
//! user starts again from the top of the host page. After such a change the widget
//! puts focus on the new view's heading, but only if focus was lost: a view that
//! focuses its own first field keeps it, and a view that changes while the user is
//! elsewhere on the host page (a job finishing in the background) never takes it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Whether focus has fallen out of everything: nothing in `within`'s shadow root has it
/// and the document's focus is on `<body>` (or nowhere).
pub fn lost(within: &Element) -> bool {
    let in_shadow = within.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().and_then(|r| r.active_element()).is_some();
    let document = within.owner_document();
    let on_body = match (document.as_ref().and_then(|d| d.active_element()), document.and_then(|d| d.body())) {
        (None, _) => true,
        (Some(a), Some(b)) => a == *b.as_ref(),
        (Some(a), None) => a.tag_name() == "HTML",
    };
    !in_shadow && on_body
}

/// After the next frame (once the new view is in the DOM), focuses the first heading
/// inside `root` if focus was lost; the heading becomes focusable by script only.
pub fn keep_in(root: HtmlElement) {
    request_animation_frame(move || {
        if !root.is_connected() || !lost(&root) {
            return;
        }
        if let Some(h) = root.query_selector("h2, h3").ok().flatten().and_then(|h| h.dyn_into::<HtmlElement>().ok()) {
            if !h.has_attribute("tabindex") {
                let _ = h.set_attribute("tabindex", "-1");
            }
            let _ = h.focus();
        }
    });
}

//! Code splitting: the views the first screen does not need travel in chunks of their
//! own and load when first shown.
//!
//! The first screen is the institution search. The credentials form, the statement
//! upload, job progress, a connection's row and the Expenses view are each a
//! [`split_view!`]: an async function handing back the view's constructor. With the
//! `split` feature (`cargo xtask package` / `demo` build with it) the function is a
//! Leptos `#[lazy]` split point: `wasm-split` moves the code only it reaches into a
//! module named after the split, fetched from beside the glue the first time it is
//! awaited. Without the feature (browser tests, `cargo build`) it is a plain async
//! function that is ready at once, so [`deferred`] renders synchronously, exactly as
//! before the split.
//!
//! Two chunks: `connect` (the four views of connecting and refreshing) and `expenses`.
//! Measured with a chunk per view instead (2026-12-07, gzip -9): the first screen the
//! same (286 KB), but 22 modules instead of 4, whose imports, exports and code shared
//! two or three ways (16 small `chunk_N` modules) cost 16.5 KB more over the whole
//! widget (467 KB against 451 KB), for a connect chunk of 59 KB that is prefetched while
//! the user reads the bank list anyway.
//!
//! [`prefetch_when_idle`] loads the next likely chunk while the browser has nothing else
//! to do, so the user rarely waits for one.

use std::future::Future;

use futures_util::FutureExt;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A view's constructor, living in the view's chunk.
pub type Make<P> = fn(P) -> AnyView;

/// Declares `$name`, an async function handing back `$component`'s constructor: a split
/// point in the chunk named `$split` with the `split` feature (views declared with the
/// same name share one chunk), a plain function without.
macro_rules! split_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($props:ty) => $component:path as $split:ident) => {
        $(#[$meta])*
        #[cfg_attr(feature = "split", ::leptos::lazy($split))]
        $vis async fn $name() -> $crate::split::Make<$props> {
            let make: $crate::split::Make<$props> = |props| ::leptos::prelude::IntoAny::into_any($component(props));
            make
        }
    };
}
pub(crate) use split_view;

/// The view `load` makes from `props`: at once when its code is already here (always
/// without the `split` feature), otherwise nothing until the chunk has arrived.
pub fn deferred<P: 'static>(load: impl Future<Output = Make<P>> + 'static, props: P) -> AnyView {
    let mut load = Box::pin(load);
    if let Some(make) = load.as_mut().now_or_never() {
        return make(props);
    }
    let made = RwSignal::new(None::<Make<P>>);
    let props = StoredValue::new_local(Some(props));
    leptos::task::spawn_local(async move {
        let make = load.await;
        let _ = made.try_set(Some(make));
    });
    // `made` changes once, so this runs twice: nothing, then the view.
    (move || made.get().and_then(|make| props.try_update_value(Option::take).flatten().map(make))).into_any()
}

/// Loads a chunk when the browser is idle (`requestIdleCallback`, or a timeout where
/// there is none), so it is here before the user asks for it. A no-op without `split`.
pub fn prefetch_when_idle<P: 'static>(load: impl Future<Output = Make<P>> + 'static) {
    if !cfg!(feature = "split") {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let run = Closure::once_into_js(move || leptos::task::spawn_local(async move {
        let _ = load.await;
    }));
    let idle = js_sys::Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let _ = match idle {
        Some(idle) => idle.call1(&window, &run),
        None => window.set_timeout_with_callback(run.unchecked_ref()).map(JsValue::from),
    };
}

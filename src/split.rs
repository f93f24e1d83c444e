//! Code splitting: the views the first screen does not need travel in chunks of their
//! own and load when first shown.
//!
//! The first screen is the institution search. The credentials form, the statement
//! upload, job progress, a connection's row and the Expenses view are each a
//! [`split_view!`]: an async function handing back the view's constructor. With the
//! `split` feature (`cargo xtask package` / `demo` build with it) the function is a
//! `wasm_split` split point (what Leptos `#[lazy]` is built on, in its `fallible` form,
//! which `#[lazy]` does not offer): `wasm-split` moves the code only it reaches into a
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
use std::pin::Pin;

use futures_util::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::host::Host;

/// A view's constructor, living in the view's chunk.
pub type Make<P> = fn(P) -> AnyView;
/// What loading a chunk gives: the constructor, or the loader's error when the chunk
/// could not be fetched (the network dropped). The split points are `fallible`: a
/// failed load is an error the view shows, never a panic, which would abort the whole
/// wasm module.
pub type Loaded<P> = Result<Make<P>, leptos::wasm_split::SplitLoaderError>;

/// Declares `$name`, an async function handing back `$component`'s constructor: a split
/// point in the chunk named `$split` with the `split` feature (views declared with the
/// same name share one chunk), a plain function without.
macro_rules! split_view {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($props:ty) => $component:path as $split:ident) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name() -> $crate::split::Loaded<$props> {
            let make: $crate::split::Make<$props> = |props| ::leptos::prelude::IntoAny::into_any($component(props));
            Ok(make)
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name() -> $crate::split::Loaded<$props> {
            let make: $crate::split::Make<$props> = |props| ::leptos::prelude::IntoAny::into_any($component(props));
            Ok(make)
        }
    };
}
pub(crate) use split_view;

/// The view that `load` (a [`split_view!`]) makes from `props`: at once when its code is
/// already here (always without the `split` feature), otherwise nothing until the chunk
/// has arrived. A chunk that cannot be fetched shows the network error with a button to
/// try again, and fires `tally:error` (`network`).
pub fn deferred<P: 'static, F: Future<Output = Loaded<P>> + 'static>(load: impl Fn() -> F + Copy + Send + Sync + 'static, props: P) -> AnyView {
    // None: loading; Some(Some(make)): here; Some(None): the fetch failed.
    let state = RwSignal::new(None::<Option<Make<P>>>);
    let host = Host::get();
    let settle = move |loaded: Loaded<P>| {
        if loaded.is_err() {
            host.error("network", host.strings.err_network);
        }
        let _ = state.try_set(Some(loaded.ok()));
    };
    let fetch = move |pending: Pin<Box<F>>| spawn_local(async move { settle(pending.await) });
    let mut first = Box::pin(load());
    match first.as_mut().now_or_never() {
        Some(Ok(make)) => return make(props),
        Some(failed) => settle(failed),
        None => fetch(first),
    }
    let props = StoredValue::new_local(Some(props));
    let s = host.strings;
    (move || match state.get() {
        None => ().into_any(),
        // Reached once: the state only ever becomes "here" once.
        Some(Some(make)) => props.try_update_value(Option::take).flatten().map(make).into_any(),
        Some(None) => view! {
            <div class="error" role="alert">
                <p>{s.err_network}</p>
                <button type="button" on:click=move |_| {
                    state.set(None);
                    fetch(Box::pin(load()));
                }>{s.try_again}</button>
            </div>
        }.into_any(),
    }).into_any()
}

/// Loads a chunk when the browser is idle (`requestIdleCallback`, or a timeout where
/// there is none), so it is here before the user asks for it. A no-op without `split`.
pub fn prefetch_when_idle<P: 'static>(load: impl Future<Output = Loaded<P>> + 'static) {
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

//! The institution list: fetched once per mount from the server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tally_api::Institution;

use crate::app::BackendContext;

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Loaded(Vec<Institution>),
    Failed(String),
}

#[component]
pub fn InstitutionList() -> impl IntoView {
    let backend = BackendContext::get();
    let state = RwSignal::new(Load::Loading);
    spawn_local(async move {
        let result = backend.institutions().await;
        // The widget may have been destroyed while the request was in flight.
        let _ = state.try_set(match result {
            Ok(list) => Load::Loaded(list),
            Err(e) => Load::Failed(e.message),
        });
    });
    move || match state.get() {
        Load::Loading => view! { <p class="muted" aria-live="polite">"Loading banks…"</p> }.into_any(),
        Load::Failed(msg) => view! { <p class="error" role="alert">{msg}</p> }.into_any(),
        Load::Loaded(list) if list.is_empty() => view! { <p class="muted">"No banks are available."</p> }.into_any(),
        Load::Loaded(list) => view! {
            <ul class="institutions" aria-label="Banks">
                {list.into_iter().map(|i| {
                    let degraded = i.is_degraded();
                    view! {
                        <li data-id=i.id.clone()>
                            <span class="name">{i.name.clone()}</span>
                            <span class="muted">"Tier " {i.tier.clone()}
                                {degraded.then(|| view! { " " <span class="badge degraded">"Degraded"</span> })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
}

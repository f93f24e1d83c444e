//! Upload a statement: the second way in, for banks Tally cannot sign in to (and for
//! anyone who would rather not hand over a password). A file input with a visible
//! label, a drop zone whose real button opens the picker (so it works from the keyboard
//! and with a screen reader, not only with a mouse), a determinate progress bar while a
//! large file goes up, and the server's own words when a file cannot be read. Once the
//! server has the file, the connect flow shows the job's steps like a connection's.
//! The rules live in [`model`].

pub mod model;

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tally_api::{Institution, Job};

use crate::backend::BackendContext;
use crate::backend::{BackendError, StatementFile, UploadProgress};
use crate::host::Host;
use crate::job::advice::Advice;
use model::{Upload, ACCEPT};

crate::split::split_view! {
    /// The upload's constructor, in a chunk with the `split` feature.
    pub fn chunk(StatementUploadProps) => StatementUpload as connect
}

#[component]
pub fn StatementUpload(
    /// The bank the statement comes from.
    institution: Institution,
    /// Why the last attempt failed (e.g. the server's "line 14: …"), shown above the zone.
    failure: Signal<Option<Advice>>,
    /// Called with the import job once the server has taken the file.
    on_started: Callback<Job>,
    /// Called when the server refused the upload itself (too big, not supported, …).
    on_rejected: Callback<BackendError>,
    /// Called by the Back button.
    on_back: Callback<()>,
) -> impl IntoView {
    let s = Host::get().strings;
    let backend = expect_context::<BackendContext>().0;
    let upload = RwSignal::new(Upload::default());
    let institution_id = StoredValue::new(institution.id.clone());
    let send = Callback::new(move |file: web_sys::File| {
        let name = file.name();
        if !upload.try_update(|u| u.picked(s, &name, file.size() as u64)).unwrap_or(false) {
            return;
        }
        let (backend, institution) = (backend.get_value(), institution_id.get_value());
        spawn_local(async move {
            let Ok(bytes) = read(&file).await else {
                let _ = upload.try_update(|u| u.not_read(s));
                return;
            };
            let _ = upload.try_update(Upload::read);
            let progress: UploadProgress = Rc::new(move |sent, total| {
                let _ = upload.try_update(|u| u.progress(sent, total));
            });
            let result = backend.upload_statement(&institution, StatementFile { name, bytes }, progress).await;
            let _ = upload.try_update(Upload::ended);
            match result {
                Ok(job) => on_started.run(job),
                Err(e) if e.code == "aborted" => {}
                Err(e) => on_rejected.run(e),
            }
        });
    });
    let busy = Signal::derive(move || upload.with(Upload::busy));
    let again = Signal::derive(move || failure.with(Option::is_some) || upload.with(|u| u.problem().is_some()));
    let sending = Memo::new(move |_| upload.with(Upload::sending));
    view! {
        <div class="upload">
            <h3>{(s.upload_title)(&institution.name)}</h3>
            <p class="muted small">{s.upload_intro}</p>
            {move || failure.get().map(|a| view! { <p class="error" role="alert" data-code=a.code.clone()>{a.message.clone()}</p> })}
            {move || upload.with(Upload::problem).map(|p| view! { <p class="error" role="alert" data-code="file-refused">{p}</p> })}
            <DropZone busy=busy again=again on_file=send/>
            <Show when=move || sending.with(Option::is_some)>
                <div class="upload-progress">
                    <label for="upload-progress" id="upload-progress-label">{move || sending.with(|p| p.as_ref().map(|p| (s.upload_sending)(&p.0)))}</label>
                    <progress id="upload-progress" max="100" value=move || sending.with(|p| p.as_ref().map(|p| p.1).unwrap_or(0))
                        aria-valuetext=move || sending.with(|p| p.as_ref().map(|p| (s.upload_percent)(p.1, &p.2)))></progress>
                    <span class="muted small" aria-hidden="true">{move || sending.with(|p| p.as_ref().map(|p| (s.upload_percent)(p.1, &p.2)))}</span>
                </div>
            </Show>
            <p class="muted small consent">{s.consent_note}</p>
            <div class="actions">
                <button type="button" disabled=move || busy.get() on:click=move |_| on_back.run(())>{s.back}</button>
            </div>
        </div>
    }
}

/// The zone a file can be dropped on, with the visibly labelled file input and the
/// button that opens it (the input itself is visually hidden: browsers draw file inputs
/// their own way, and most cannot be styled).
#[component]
fn DropZone(
    /// True while a file is read or sent: nothing else is taken.
    busy: Signal<bool>,
    /// An attempt failed: the button offers another file.
    again: Signal<bool>,
    /// Called with the file picked or dropped.
    on_file: Callback<web_sys::File>,
) -> impl IntoView {
    let s = Host::get().strings;
    let input = NodeRef::<leptos::html::Input>::new();
    let dragging = RwSignal::new(false);
    let over = move |e: web_sys::DragEvent| {
        // Without this the browser opens the dropped file itself.
        e.prevent_default();
        dragging.set(!busy.get_untracked());
    };
    let dropped = move |e: web_sys::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
            on_file.run(file);
        }
    };
    let changed = move |_| {
        let Some(el) = input.get_untracked() else { return };
        if let Some(file) = el.files().and_then(|l| l.get(0)) {
            on_file.run(file);
        }
        // So that picking the same file again (fixed, after a failure) is a change too.
        el.set_value("");
    };
    let open = move |_| {
        if let Some(el) = input.get_untracked() {
            el.click();
        }
    };
    view! {
        <div class="drop-zone" class:dragging=move || dragging.get() aria-busy=move || busy.get().to_string()
            on:dragenter=over on:dragover=over on:dragleave=move |_| dragging.set(false) on:drop=dropped>
            <label for="statement-file">{s.upload_label}</label>
            <p id="statement-hint" class="muted small">{move || if dragging.get() { s.upload_drop_now } else { s.upload_hint }}</p>
            <input node_ref=input type="file" id="statement-file" name="statement" class="file-input" tabindex="-1"
                accept=ACCEPT aria-describedby="statement-hint" disabled=move || busy.get() on:change=changed/>
            <button type="button" class="primary choose-file" aria-describedby="statement-hint"
                disabled=move || busy.get() on:click=open>
                {move || if again.get() { s.upload_choose_another } else { s.upload_choose }}
            </button>
        </div>
    }
}

/// The file's bytes (`Blob.arrayBuffer()`).
async fn read(file: &web_sys::File) -> Result<Vec<u8>, wasm_bindgen::JsValue> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

//! Following a job until it ends: the server's live stream (`/jobs/{id}/events`) when
//! it has one, polling with bounded backoff otherwise or when the stream breaks. The
//! watch stops when it is dropped (the component went away or the widget was destroyed).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use tally_api::Job;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::backoff::Backoff;
use crate::backend::{Backend, BackendError, JobEvent, JobStream};

/// What a watcher reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Watched {
    /// A new snapshot of the job.
    Job(Job),
    /// Watching stopped before the job ended: the server went away, or it ran too long.
    Lost(BackendError),
}

/// A running watch; dropping it stops it.
pub struct Watch {
    alive: Rc<Cell<bool>>,
    stream: Rc<RefCell<Option<JobStream>>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.alive.set(false);
        self.stream.borrow_mut().take();
    }
}

/// Starts watching `job_id`; `report` gets every snapshot until the job is finished.
pub fn watch(backend: Rc<dyn Backend>, job_id: String, report: impl Fn(Watched) + 'static) -> Watch {
    let alive = Rc::new(Cell::new(true));
    let stream = Rc::new(RefCell::new(None));
    let report = Rc::new(report);
    let w = Watch { alive: alive.clone(), stream: stream.clone() };
    leptos::task::spawn_local(async move {
        let schedule = Backoff::default();
        let started = js_sys::Date::now();
        let finished = Rc::new(Cell::new(false));

        // 1. The live stream, while it works.
        let wake: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
        let woken = js_sys::Promise::new(&mut |resolve, _| *wake.borrow_mut() = Some(resolve));
        let sink = {
            let (alive, finished, report, wake) = (alive.clone(), finished.clone(), report.clone(), wake.clone());
            Rc::new(move |e: JobEvent| {
                if !alive.get() || finished.get() {
                    return;
                }
                let end = match e {
                    JobEvent::Snapshot(job) => {
                        let done = job.is_finished();
                        finished.set(done);
                        report(Watched::Job(job));
                        done
                    }
                    JobEvent::Broken => true,
                };
                if end {
                    if let Some(f) = wake.borrow_mut().take() {
                        let _ = f.call0(&JsValue::UNDEFINED);
                    }
                }
            })
        };
        if let Some(s) = backend.job_events(&job_id, sink).await {
            if !alive.get() {
                return; // dropped while connecting; `s` closes here
            }
            *stream.borrow_mut() = Some(s);
            let _ = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&woken, &sleep_promise(schedule.give_up_after_ms)))).await;
            stream.borrow_mut().take();
        }

        // 2. Polling, from where the stream left off.
        let mut attempt = 0;
        let mut failures = 0;
        while alive.get() && !finished.get() {
            if schedule.exhausted(js_sys::Date::now() - started) {
                report(Watched::Lost(BackendError::new("job-timed-out", "Stopped watching a job that ran too long.")));
                return;
            }
            match backend.job(&job_id).await {
                Ok(job) if alive.get() => {
                    failures = 0;
                    finished.set(job.is_finished());
                    report(Watched::Job(job));
                }
                Ok(_) => return,
                Err(e) if e.code == "aborted" => return,
                // The job is gone (deleted with its connection): no point in retrying.
                Err(e) if e.code == "resource-not-found" => {
                    if alive.get() {
                        report(Watched::Lost(e));
                    }
                    return;
                }
                Err(e) => {
                    failures += 1;
                    if failures >= schedule.max_failures {
                        if alive.get() {
                            report(Watched::Lost(e));
                        }
                        return;
                    }
                }
            }
            if finished.get() {
                return;
            }
            sleep(schedule.delay_ms(attempt)).await;
            attempt += 1;
        }
    });
    w
}

fn sleep_promise(ms: f64) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.min(i32::MAX as f64) as i32);
        }
    })
}

/// Waits `ms` milliseconds (setTimeout; no extra crate).
pub async fn sleep(ms: f64) {
    let _ = JsFuture::from(sleep_promise(ms)).await;
}

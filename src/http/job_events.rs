//! Feeds a job's server-sent events, as the SDK opens and reads them
//! ([`Transport::events`](tally_api::client::Transport::events) and
//! [`job_event`]), into the widget's [`JobSink`].

use futures_util::{Stream, StreamExt};
use tally_api::client::jobs::job_event;
use tally_api::client::sse::SseEvent;
use tally_api::client::Error;

use crate::backend::{JobEvent, JobSink, JobStream};

/// Sends each job event to `sink` as a [`JobEvent::Snapshot`] until the stream breaks,
/// the job is deleted or an event is not a job; then sends [`JobEvent::Broken`] once
/// (the caller polls instead) and drops `events`, which closes the `EventSource`: the
/// browser would otherwise reconnect forever, with a token that may have expired.
/// Dropping the returned [`JobStream`] stops the reading and closes it too, without a
/// further message.
pub fn follow(events: impl Stream<Item = Result<SseEvent, Error>> + Unpin + 'static, sink: JobSink) -> JobStream {
    let (reading, stop) = futures_util::future::abortable(async move {
        let mut events = events;
        while let Some(Ok(event)) = events.next().await {
            match job_event(&event) {
                Some(Ok(job)) => sink(JobEvent::Snapshot(job)),
                Some(Err(_)) => break,
                None => {}
            }
        }
        drop(events);
        sink(JobEvent::Broken);
    });
    wasm_bindgen_futures::spawn_local(async move {
        let _ = reading.await;
    });
    JobStream::new(move || stop.abort())
}

//! Transactions page by page, or as one stream that follows `links.next` until the
//! last page (which has no `next`).

use std::collections::VecDeque;

use futures_util::Stream;

use super::endpoints;
use super::error::Error;
use super::filter_builder::ToFilter;
use super::request::Request;
use super::transport::Transport;
use super::Client;
use crate::{List, Transaction};

impl<T: Transport> Client<T> {
    /// `GET /users/{id}/transactions?filter=&limit=`: one page (`limit` 1–500, the
    /// server's default is 500). Follow `links.next` with [`Client::next_page`].
    pub async fn transactions_page(&self, user_id: &str, filter: impl ToFilter, limit: Option<u32>) -> Result<List<Transaction>, Error> {
        self.execute(endpoints::transactions(user_id, &filter.to_filter(), limit)).await
    }

    /// The page after `page`, or `None` on the last page.
    pub async fn next_page(&self, page: &List<Transaction>) -> Result<Option<List<Transaction>>, Error> {
        let Some(next) = page.links.as_ref().and_then(|l| l.next.as_deref()) else { return Ok(None) };
        self.execute(endpoints::transactions_next(self.base_url(), next)?).await.map(Some)
    }

    /// Every transaction matching `filter`, in the contract's order, fetched a page at
    /// a time as the stream is read. An error ends the stream after it is yielded.
    ///
    /// ```no_run
    /// # #[cfg(feature = "native")]
    /// # async fn demo(client: tally_api::client::Client) -> Result<(), tally_api::client::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = client.all_transactions("user-id", &()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn all_transactions(&self, user_id: &str, filter: &dyn ToFilter) -> impl Stream<Item = Result<Transaction, Error>> {
        self.all_transactions_by(user_id, filter, None)
    }

    /// [`Client::all_transactions`] asking for pages of `page_size` (1–500; `None`:
    /// the server's default). Smaller pages cost more requests but start sooner.
    pub fn all_transactions_by(&self, user_id: &str, filter: &dyn ToFilter, page_size: Option<u32>) -> impl Stream<Item = Result<Transaction, Error>> {
        let first = endpoints::transactions(user_id, &filter.to_filter(), page_size);
        let state = Paging { client: self.clone(), request: Some(first), buffer: VecDeque::new(), error: None };
        futures_util::stream::unfold(state, |mut s| async move {
            loop {
                if let Some(t) = s.buffer.pop_front() {
                    return Some((Ok(t), s));
                }
                if let Some(e) = s.error.take() {
                    return Some((Err(e), s));
                }
                let request = s.request.take()?;
                match s.client.execute(request).await {
                    Ok(page) => {
                        // An empty page with a `next` would loop forever; stop there.
                        let next = page.links.as_ref().and_then(|l| l.next.clone()).filter(|_| !page.data.is_empty());
                        if let Some(next) = next {
                            match endpoints::transactions_next(s.client.base_url(), &next) {
                                Ok(request) => s.request = Some(request),
                                Err(e) => s.error = Some(e),
                            }
                        }
                        s.buffer.extend(page.data);
                    }
                    Err(e) => return Some((Err(e), s)),
                }
            }
        })
    }
}

struct Paging<T: Transport> {
    client: Client<T>,
    request: Option<Request<List<Transaction>>>,
    buffer: VecDeque<Transaction>,
    /// Why paging stopped early, handed out after the transactions already fetched.
    error: Option<Error>,
}

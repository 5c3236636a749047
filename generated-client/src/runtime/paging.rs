//! Paging as a `Stream`: fetch a page, let the generated `advance` step read the spec's end
//! signals and set the next position, and stop on the last page, on an error, or on a position
//! that repeats (a vendor that hands back the same cursor would otherwise loop us forever).

use crate::{Error, PageStream};
use futures::stream::{self, Stream, StreamExt};
use std::collections::HashSet;
use std::future::Future;

/// What follows a page.
pub(crate) enum Next<Req> {
    /// It was the last page.
    Done,
    /// The request for the next page, and its position (for repeat detection).
    Continue(Req, String),
}

enum Step<Req> {
    Fetch(Req),
    Fail(Error),
    Done,
}

/// A stream of pages from `first` on.
pub(crate) fn pages<'a, Req, Page, F, Fut, A>(
    endpoint: &'static str,
    first: Req,
    fetch: F,
    advance: A,
) -> PageStream<'a, Page>
where
    Req: Clone + Send + 'a,
    Page: Send + 'a,
    F: Fn(Req) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page, Error>> + Send + 'a,
    A: Fn(&Req, &Page) -> Next<Req> + Send + 'a,
{
    let state = (Step::Fetch(first), HashSet::<String>::new(), fetch, advance);
    stream::unfold(state, move |(step, mut seen, fetch, advance)| async move {
        let request = match step {
            Step::Done => return None,
            Step::Fail(e) => return Some((Err(e), (Step::Done, seen, fetch, advance))),
            Step::Fetch(r) => r,
        };
        let page = match fetch(request.clone()).await {
            Ok(page) => page,
            Err(e) => return Some((Err(e), (Step::Done, seen, fetch, advance))),
        };
        let next = match advance(&request, &page) {
            Next::Done => Step::Done,
            Next::Continue(_, position) if !seen.insert(position.clone()) => Step::Fail(Error::Paging {
                endpoint,
                message: format!(
                    "the vendor handed back position {position} a second time; stopping instead of looping"
                ),
            }),
            Next::Continue(next, _) => Step::Fetch(next),
        };
        Some((Ok(page), (next, seen, fetch, advance)))
    })
    .boxed()
}

/// Whether a page of `items` items is the last one: it is empty, or (with the spec's
/// `short_page` signal, `size` given) shorter than the page size the request asked for. Paging
/// whose next position the client computes has no other way to end when the vendor sends no
/// `has_more`; an empty page also keeps a vendor that ignores the position from looping us.
pub(crate) fn page_ended(items: usize, size: Option<i128>) -> bool {
    items == 0 || size.is_some_and(|size| i128::try_from(items).is_ok_and(|n| n < size))
}

/// The items of a stream of pages, in order; an error ends it.
pub(crate) fn items<'a, Page, Item, S, X>(pages: S, extract: X) -> PageStream<'a, Item>
where
    S: Stream<Item = Result<Page, Error>> + Send + 'a,
    X: Fn(Page) -> Vec<Item> + Send + 'a,
    Item: Send + 'a,
{
    pages
        .flat_map(move |page| {
            let batch: Vec<Result<Item, Error>> = match page {
                Ok(p) => extract(p).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(batch)
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    #[test]
    fn pages_follow_positions_and_stop_on_a_repeat() {
        // Page n holds [n]; the "vendor" hands back 1, 2, then 2 again.
        let cursors = [1, 2, 2];
        let s = pages(
            "t",
            0usize,
            |n: usize| async move { Ok::<_, Error>(vec![n]) },
            |n: &usize, _: &Vec<usize>| match cursors.get(*n) {
                Some(c) => Next::Continue(*c, c.to_string()),
                None => Next::Done,
            },
        );
        let got: Vec<_> = block_on(s.collect::<Vec<_>>());
        assert_eq!(got.len(), 4);
        assert_eq!(
            got[..3].iter().map(|r| r.as_ref().unwrap()[0]).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert!(matches!(&got[3], Err(Error::Paging { .. })));
        let flat: Vec<_> =
            block_on(items(stream::iter(vec![Ok(vec![1, 2]), Ok(vec![3])]), |p: Vec<i32>| p).collect::<Vec<_>>());
        assert_eq!(flat.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn a_page_ends_when_empty_or_short() {
        assert!(page_ended(0, None));
        assert!(page_ended(0, Some(10)));
        assert!(page_ended(9, Some(10)));
        assert!(!page_ended(10, Some(10)));
        assert!(!page_ended(3, None), "without short_page only an empty page ends");
        assert!(!page_ended(1, Some(i128::MIN)), "a nonsense size never ends early");
    }
}

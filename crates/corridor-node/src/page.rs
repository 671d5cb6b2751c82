//! Lists answered a page at a time: at most `limit` items after a cursor (`after`, the
//! number of the previous page's last item), found among at most `SCAN_BUDGET` items
//! examined, the engine thread's work per request bounded whatever the list's length. The
//! page is a JSON array; where the next one starts is in the `next-cursor` header.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::endpoint::json_response;

/// Items per page when the caller names no limit.
pub const DEFAULT_PAGE_ITEMS: usize = 100;

/// Items per page at most.
pub const MAX_PAGE_ITEMS: usize = 1_000;

/// Items one page examines at most before it answers with a cursor.
pub const SCAN_BUDGET: usize = 10_000;

/// The response header with the cursor of the next page: send it back as `after`. Absent
/// when the list is exhausted.
pub const NEXT_CURSOR: &str = "next-cursor";

/// Where a page starts and how many items it holds.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    after: u64,
    limit: usize,
}

impl Page {
    /// The page after `after` (from the start when absent) of `limit` items (the default when
    /// absent), between 1 and `MAX_PAGE_ITEMS`.
    pub fn new(after: Option<u64>, limit: Option<usize>) -> Page {
        Page {
            after: after.unwrap_or(0),
            limit: limit.unwrap_or(DEFAULT_PAGE_ITEMS).clamp(1, MAX_PAGE_ITEMS),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The items of `list` (in increasing `number` order) after the cursor that `view` keeps
    /// (`None`: filtered out), as one page.
    pub fn of<T, V>(
        &self,
        list: impl Iterator<Item = T>,
        number: impl Fn(&T) -> u64,
        mut view: impl FnMut(T) -> Option<V>,
    ) -> Paged<V> {
        let mut items = Vec::new();
        let mut last = None;
        let rest = list.skip_while(|item| number(item) <= self.after);
        for (examined, item) in rest.enumerate() {
            if items.len() >= self.limit || examined >= SCAN_BUDGET {
                return Paged {
                    items,
                    next: last.or(Some(self.after)),
                };
            }
            last = Some(number(&item));
            items.extend(view(item));
        }
        Paged { items, next: None }
    }
}

/// One page of a list and the cursor of the next, if the list goes on.
#[derive(Debug)]
pub struct Paged<V> {
    pub items: Vec<V>,
    pub next: Option<u64>,
}

impl<V: Serialize> IntoResponse for Paged<V> {
    fn into_response(self) -> Response {
        let mut response = json_response(StatusCode::OK, &self.items);
        if let Some(next) = self.next {
            response
                .headers_mut()
                .insert(NEXT_CURSOR, HeaderValue::from(next));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(after: Option<u64>, limit: usize, list: &[u64]) -> Paged<u64> {
        Page::new(after, Some(limit)).of(
            list.iter().copied(),
            |n| *n,
            |n| (n % 2 == 0).then_some(n),
        )
    }

    #[test]
    fn a_page_ends_at_its_limit_with_a_cursor() {
        let list: Vec<u64> = (1..=10).collect();
        let first = page(None, 2, &list);
        assert_eq!((first.items, first.next), (vec![2, 4], Some(4)));
        let last = page(Some(8), 2, &list);
        assert_eq!((last.items, last.next), (vec![10], None));
    }

    #[test]
    fn a_page_examines_at_most_the_scan_budget() {
        let list: Vec<u64> = (1..=3 * SCAN_BUDGET as u64).map(|n| 2 * n + 1).collect();
        let first = page(None, 10, &list);
        assert!(first.items.is_empty());
        assert_eq!(first.next, Some(list[SCAN_BUDGET - 1]));
        let second = page(first.next, 10, &list);
        assert_eq!(second.next, Some(list[2 * SCAN_BUDGET - 1]));
    }
}

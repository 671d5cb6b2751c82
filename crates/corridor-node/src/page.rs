//! Lists answered a page at a time: at most `limit` items after a cursor (`after`, the key
//! of the previous page's last item: a number, a BIC, a fingerprint), found among at most
//! `SCAN_BUDGET` items examined, the engine thread's work per request bounded whatever the
//! list's length. The page is a JSON array; where the next one starts is in the
//! `next-cursor` header.

use std::fmt::Display;
use std::str::FromStr;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::endpoint::json_response;
use crate::error::ApiError;

/// Items per page when the caller names no limit.
pub const DEFAULT_PAGE_ITEMS: usize = 100;

/// Items per page at most.
pub const MAX_PAGE_ITEMS: usize = 1_000;

/// Items one page examines at most before it answers with a cursor.
pub const SCAN_BUDGET: usize = 10_000;

/// The response header with the cursor of the next page: send it back as `after`. Absent
/// when the list is exhausted.
pub const NEXT_CURSOR: &str = "next-cursor";

/// The query of a list with no other filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Items after this one: the previous page's `next-cursor`.
    pub after: Option<String>,
    /// At most this many (100 by default, 1,000 at most).
    pub limit: Option<usize>,
}

impl ListQuery {
    /// The page asked for, its cursor read as the list's key (400 when it is not one).
    pub fn page<C: Ord + FromStr>(&self) -> Result<Page<C>, ApiError>
    where
        C::Err: Display,
    {
        let after = match &self.after {
            Some(text) => Some(
                text.parse()
                    .map_err(|e| ApiError::bad_request(format!("after: {e}")))?,
            ),
            None => None,
        };
        Ok(Page::new(after, self.limit))
    }
}

/// Where a page starts and how many items it holds. `C` is the key the list is ordered by.
#[derive(Clone, Debug)]
pub struct Page<C = u64> {
    after: Option<C>,
    limit: usize,
}

impl<C: Ord> Page<C> {
    /// The page after `after` (from the start when absent) of `limit` items (the default when
    /// absent), between 1 and `MAX_PAGE_ITEMS`.
    pub fn new(after: Option<C>, limit: Option<usize>) -> Page<C> {
        Page {
            after,
            limit: limit.unwrap_or(DEFAULT_PAGE_ITEMS).clamp(1, MAX_PAGE_ITEMS),
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The items of `list` (in increasing `key` order) after the cursor that `view` keeps
    /// (`None`: filtered out), as one page.
    pub fn of<T, V>(
        self,
        list: impl Iterator<Item = T>,
        key: impl Fn(&T) -> C,
        mut view: impl FnMut(T) -> Option<V>,
    ) -> Paged<V, C> {
        let mut items = Vec::new();
        let mut last = None;
        let after = self.after;
        let rest = list.skip_while(|item| after.as_ref().is_some_and(|a| key(item) <= *a));
        for (examined, item) in rest.enumerate() {
            if items.len() >= self.limit || examined >= SCAN_BUDGET {
                return Paged {
                    items,
                    next: last.or(after),
                };
            }
            last = Some(key(&item));
            items.extend(view(item));
        }
        Paged { items, next: None }
    }
}

/// One page of a list and the cursor of the next, if the list goes on.
#[derive(Debug)]
pub struct Paged<V, C = u64> {
    pub items: Vec<V>,
    pub next: Option<C>,
}

impl<V: Serialize, C: Display> IntoResponse for Paged<V, C> {
    fn into_response(self) -> Response {
        let Some(next) = self.next else {
            return json_response(StatusCode::OK, &self.items);
        };
        // Every cursor type writes header-safe text (digits, BICs, hex); one that did not
        // would end the list early, so it is an error, not a page without a cursor.
        let Ok(cursor) = HeaderValue::try_from(next.to_string()) else {
            return ApiError::unwritable("a page cursor", next).into_response();
        };
        let mut response = json_response(StatusCode::OK, &self.items);
        response.headers_mut().insert(NEXT_CURSOR, cursor);
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

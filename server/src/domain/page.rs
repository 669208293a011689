//! One page of an API list. Every `/api/v1` list that can grow takes `page` (1-based) and
//! `limit`; the bounds are part of the OpenAPI document, and out-of-range values are refused
//! (422) rather than clamped, so a client learns the rule instead of getting a silent surprise.

use crate::domain::error::AppError;
use crate::domain::paging::PageNumber;
pub use crate::domain::paging::MAX_PAGE;

/// Items per page when the client names no `limit`.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest `limit` a client may ask for.
pub const MAX_LIMIT: i64 = 200;

/// A checked page request: `limit` rows from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: i64,
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    /// `page` and `limit` as the client sent them (absent: the defaults).
    pub fn parse(page: Option<i64>, limit: Option<i64>) -> Result<Page, AppError> {
        let number = page.unwrap_or(1);
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::Invalid(format!(
                "limit must be between 1 and {MAX_LIMIT} (default {DEFAULT_LIMIT}), not {limit}"
            )));
        }
        // The page number follows the one rule for every `?page=` (`paging`); with
        // `MAX_LIMIT` its offset stays far below `i64::MAX`.
        let page = PageNumber::parse(number)?;
        Ok(Page {
            number,
            limit,
            offset: page.offset(limit),
        })
    }

    /// The rows to fetch: one more than the page holds, so the answer knows whether a next
    /// page exists without a second COUNT query.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the fetched rows to the page; true when there are more after it.
    pub fn cut<T>(&self, rows: &mut Vec<T>) -> bool {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_offsets() {
        assert_eq!(
            Page::parse(None, None).unwrap(),
            Page {
                number: 1,
                limit: DEFAULT_LIMIT,
                offset: 0
            }
        );
        assert_eq!(Page::parse(Some(3), Some(20)).unwrap().offset, 40);
        assert_eq!(
            Page::parse(Some(MAX_PAGE), Some(MAX_LIMIT)).unwrap().offset,
            (MAX_PAGE - 1) * MAX_LIMIT
        );
    }

    #[test]
    fn extreme_values_are_refused_not_overflowed() {
        for (page, limit) in [
            (Some(i64::MAX), None),
            (Some(i64::MIN), None),
            (Some(0), None),
            (Some(-1), None),
            (None, Some(0)),
            (None, Some(MAX_LIMIT + 1)),
            (None, Some(i64::MAX)),
            (None, Some(i64::MIN)),
            (Some(MAX_PAGE + 1), Some(1)),
        ] {
            assert!(
                matches!(Page::parse(page, limit), Err(AppError::Invalid(_))),
                "{page:?} {limit:?}"
            );
        }
    }

    #[test]
    fn cut_says_whether_more_follow() {
        let p = Page::parse(None, Some(2)).unwrap();
        let mut rows = vec![1, 2, 3];
        assert!(p.cut(&mut rows));
        assert_eq!(rows, [1, 2]);
        let mut rows = vec![1, 2];
        assert!(!p.cut(&mut rows));
    }
}

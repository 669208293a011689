//! Page numbers from query strings (`?page=N`) and the offsets they stand for. Every page
//! number a client sends passes here, so no offset arithmetic can overflow (issue 6 defect 11:
//! `?page=` near `i64::MAX` overflowed in the collections).

use crate::domain::error::AppError;

/// Highest page number we answer. Past the last item a page is simply empty; this bound only
/// keeps offsets far from overflow whatever the page size.
pub const MAX_PAGE: i64 = 1_000_000;

/// A page number from 1 to [`MAX_PAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(i64);

impl PageNumber {
    /// Checks a page number; anything outside 1..=[`MAX_PAGE`] is a 422.
    pub fn parse(page: i64) -> Result<Self, AppError> {
        if (1..=MAX_PAGE).contains(&page) {
            Ok(Self(page))
        } else {
            Err(AppError::Invalid(format!(
                "page: page numbers go from 1 to {MAX_PAGE}"
            )))
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// How many items come before this page.
    pub fn offset(self, page_size: i64) -> i64 {
        (self.0 - 1).saturating_mul(page_size)
    }

    /// The next page's number, when there is one within [`MAX_PAGE`].
    pub fn next(self) -> Option<i64> {
        (self.0 < MAX_PAGE).then_some(self.0 + 1)
    }

    /// The previous page's number, on any page but the first.
    pub fn prev(self) -> Option<i64> {
        (self.0 > 1).then_some(self.0 - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_page_numbers_are_refused_without_overflow() {
        for p in [i64::MIN, -1, 0, MAX_PAGE + 1, i64::MAX] {
            assert!(PageNumber::parse(p).is_err(), "{p}");
        }
        let last = PageNumber::parse(MAX_PAGE).unwrap();
        assert_eq!(last.offset(i64::MAX), i64::MAX);
        assert_eq!(last.next(), None);
        let first = PageNumber::parse(1).unwrap();
        assert_eq!(
            (first.offset(20), first.prev(), first.next()),
            (0, None, Some(2))
        );
    }
}

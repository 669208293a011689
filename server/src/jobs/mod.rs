//! Background work: the delivery queue, which also purges old inbox ids hourly; the search
//! index refresh.

pub mod delivery;
pub mod search_index;

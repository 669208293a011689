//! Background work: the delivery queue, which also purges old inbox ids hourly; the publisher
//! of scheduled announcements; the search index refresh.

pub mod delivery;
pub mod domain_lists;
pub mod moderation;
pub mod scheduled;
pub mod search_index;
pub mod sources;

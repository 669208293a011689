//! Background work: the delivery queue, which also purges old inbox ids hourly, and the
//! publisher of scheduled announcements.

pub mod delivery;
pub mod scheduled;

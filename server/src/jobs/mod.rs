//! Background work: the delivery queue, which also purges old inbox ids hourly.

pub mod delivery;

//! Background work: the delivery queue.

pub mod delivery;

//! Queries of the public calendar.

//! SQL for events (issue 3).

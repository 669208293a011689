//! SQL for social (issue 3).

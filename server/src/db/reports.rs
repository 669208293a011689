//! SQL for reports (issue 9).

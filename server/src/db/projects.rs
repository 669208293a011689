//! SQL for projects (issue 3).

//! SQL for domain_lists (issue 9).

//! SQL for domain_policies (issue 9).

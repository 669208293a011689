//! SQL for moderation (issue 9).

//! Full-text search: SQLite FTS5 and PostgreSQL text search behind one function each.

//! Queries of the project directory and organization list.

//! Full-text search across local and remote content.

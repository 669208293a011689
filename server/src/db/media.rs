//! Uploaded media.

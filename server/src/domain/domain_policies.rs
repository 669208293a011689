//! Domain policies: suspend, limit, reject media; the allowlist mode; Mastodon's block-list CSV.

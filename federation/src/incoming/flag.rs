//! A `Flag` (a report): Mastodon's, Misskey's and Lemmy's shapes, read into one struct.

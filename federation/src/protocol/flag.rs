//! The `Flag` we send when a moderator forwards a report: Mastodon's shape (the instance actor, an object list of the account and its objects, content of at most 5,000 characters).

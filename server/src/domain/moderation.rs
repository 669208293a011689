//! Moderators' actions on content and accounts, local and remote: hide, remove, limit, suspend, and the purge of suspended local accounts.

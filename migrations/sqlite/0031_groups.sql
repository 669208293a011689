-- Group federation (issue 10, FEP-1b12): what software each follower's server runs, read from
-- its NodeInfo, so an organization's posts reach forum-style servers (Lemmy, Mbin, PieFed...)
-- as `Announce{Create{Page}}` and microblogs (Mastodon...) as `Create{Note}`, each once.
-- `host` is host[:port] in lower case, as `actors.host`. `software` is NodeInfo's
-- `software.name` in lower case ('' when it could not be read). `group_style` 0/1. Times unix
-- microseconds. The twin for the other database has the same file name.
CREATE TABLE server_software (
    host TEXT PRIMARY KEY,
    software TEXT NOT NULL,
    group_style BIGINT NOT NULL,
    checked_at BIGINT NOT NULL
);

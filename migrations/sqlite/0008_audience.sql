-- Who a received note is for (issue 6, defect 3): its visibility as Mastodon derives it from
-- `to`/`cc` ('public', 'unlisted', 'followers', 'direct'), and the local actors it names.
-- The twin in the other backend's folder has the same file name.
-- Notes stored before this migration had their addressing ignored; their audience is unknown,
-- so they count as 'direct' to nobody and leave every timeline rather than risk showing a
-- private message to the wrong people.
ALTER TABLE remote_notes ADD COLUMN visibility TEXT NOT NULL DEFAULT 'direct';

-- The local actors named in a note's `to`/`cc`: the only ones who see a 'direct' note.
CREATE TABLE remote_note_recipients (
    note_id BIGINT NOT NULL,
    actor_id BIGINT NOT NULL,
    PRIMARY KEY (note_id, actor_id)
);
CREATE INDEX remote_note_recipients_actor ON remote_note_recipients (actor_id, note_id);

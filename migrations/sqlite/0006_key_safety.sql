-- Key ids are unique (issue 6 #14): an actor cannot claim another actor's key id. Where rows
-- already share a key id, a local actor keeps it, else the oldest remote actor; the others get
-- a key id that matches no signature, so their next signed request fetches their real key
-- again (and is refused if that key still belongs to another actor).
-- The twin in the other backend's folder has the same file name.
UPDATE actors SET key_id = ap_id || '#duplicate-key-' || CAST(id AS TEXT)
WHERE local = 0 AND EXISTS (
    SELECT 1 FROM actors AS keeper
    WHERE keeper.key_id = actors.key_id AND keeper.id <> actors.id
      AND (keeper.local = 1 OR keeper.id < actors.id)
);
DROP INDEX actors_key_id;
CREATE UNIQUE INDEX actors_key_id ON actors (key_id);

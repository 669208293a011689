-- Domain blocks compare hosts without the trailing dot of the fully qualified form
-- (`evil.example.` is `evil.example`). Stored blocks written with it are normalized; of blocks
-- that then name the same host, one stays. The twin in the other backend's folder has the
-- same file name.
DELETE FROM domain_blocks
WHERE host LIKE '%.' AND EXISTS (
    SELECT 1 FROM domain_blocks b
    WHERE rtrim(b.host, '.') = rtrim(domain_blocks.host, '.') AND b.host < domain_blocks.host
);
UPDATE domain_blocks SET host = rtrim(host, '.') WHERE host LIKE '%.';

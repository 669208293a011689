-- Several `revier serve` processes on one PostgreSQL share the delivery queue (issue 11).
-- A process claims a host (one row in `delivery_host_leases`) and the rows it sends
-- (`deliveries.claimed_by`/`claimed_until`) for a short lease it keeps renewing while it
-- works; a process that dies stops renewing, and its hosts and rows are claimable again
-- once the lease ran out. `claimed_by` is a random id per process; times are unix
-- microseconds. On SQLite (one process) the same tables are used without contention.
-- The twin in the other backend's folder has the same file name.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until BIGINT;
CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE claimed_by IS NOT NULL;

CREATE TABLE delivery_host_leases (
    host TEXT PRIMARY KEY,
    claimed_by TEXT NOT NULL,
    claimed_until BIGINT NOT NULL
);
CREATE INDEX delivery_host_leases_claimed ON delivery_host_leases (claimed_by);

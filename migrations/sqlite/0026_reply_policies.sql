-- Who may reply to an object (issue 9): a closure row now carries its mode. `closed` (the
-- meaning every existing row had) lets nobody reply; `followers` lets only the followers of the
-- object's owner reply. No row means anyone may reply.
ALTER TABLE comment_closures ADD COLUMN mode TEXT NOT NULL DEFAULT 'closed';

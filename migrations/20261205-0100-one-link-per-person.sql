-- Personal links: one live link per person, made again from a salt for each email (see
-- server/auth/links.ts), ending after LINK_DAYS without use; no sessions for visitors; indexes
-- for the sign-in limiter's pairs and for purging old failures.

-- Visitors' sessions only carried a form's CSRF token: forms no longer need a session.
DELETE FROM sessions WHERE person_id IS NULL;

-- Links that the new rules would never have allowed end now: any link to an owner's account,
-- and links editors made for anyone but outsourcers.
UPDATE access_links SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE revoked_at IS NULL AND person_id IN (SELECT id FROM people WHERE access_level = 'owner');
UPDATE access_links SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE revoked_at IS NULL
   AND created_by IN (SELECT id FROM people WHERE access_level = 'editor')
   AND person_id IN (SELECT id FROM people WHERE access_level != 'outsourcer');

-- One live link per person: the newest stays, the others end.
UPDATE access_links SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE revoked_at IS NULL
   AND id NOT IN (SELECT max(id) FROM access_links WHERE revoked_at IS NULL GROUP BY person_id);

-- A link now ends after 30 days (the default LINK_DAYS) without use, not 90 after it was made.
UPDATE access_links
   SET expires_at = min(expires_at, strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(last_used_at, created_at), '+30 days'))
 WHERE revoked_at IS NULL;

DELETE FROM sessions WHERE link_id IN (SELECT id FROM access_links WHERE revoked_at IS NOT NULL);

-- The random value a link's secret is made from with the server's key; NULL for links made
-- before (they still open, but cannot be put in an email: the next email makes a new one).
ALTER TABLE access_links ADD COLUMN salt TEXT;
CREATE UNIQUE INDEX access_links_one_live ON access_links (person_id) WHERE revoked_at IS NULL;
CREATE INDEX access_links_ends ON access_links (expires_at);

CREATE INDEX sign_in_failures_pair ON sign_in_failures (email, address, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

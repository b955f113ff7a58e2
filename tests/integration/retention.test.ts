import { freshDb } from '../helpers/db';
import { makePerson, makeRunbook, runbookMarkdown } from '../helpers/factories';
import { createSession } from '../../server/auth/sessions';
import { createAccessLink, createInvitation } from '../../server/auth/links';
import { audit } from '../../server/audit/repo';
import { notify } from '../../server/notify/outbox';
import { startRun } from '../../server/runs/start';
import { purgeOldRecords } from '../../server/retention';
import { loadConfig } from '../../server/config';

/**
 * Retention: sessions that can no longer be used, expired personal links and invitations,
 * and emails that went out more than OUTBOX_KEEP_DAYS ago are purged; nothing a person made.
 */

const { db, cleanup } = freshDb();
afterAll(cleanup);

const DAY = 24 * 3600_000;
const now = new Date(Date.UTC(2026, 11, 1, 12));
const ago = (ms: number) => new Date(now.getTime() - ms);
const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const ids = (sql: string) => db.prepare(sql).pluck().all() as unknown[];

const pat = makePerson(db, { name: 'Pat' });
const otto = makePerson(db, { name: 'Otto', level: 'outsourcer' });
makeRunbook(db, 'parcel', runbookMarkdown('Parcel', [{ title: 'Pack', owner: 'Pat' }]));

test('purges dead sessions, expired links and invitations and old sent emails, and keeps everything else', () => {
  // Sessions: one idle past 3 days, one past its absolute end (30 days); two live ones.
  const idle = createSession(db, { personId: pat.id }, ago(4 * DAY)).session.id_hash;
  const ended = createSession(db, { personId: pat.id }, ago(31 * DAY)).session.id_hash;
  db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(ago(DAY).toISOString(), ended);
  const recentSession = createSession(db, { personId: pat.id }, ago(10 * 60_000)).session.id_hash;
  const live = createSession(db, { personId: pat.id }, ago(DAY)).session.id_hash;

  // Links: one that ended (made again since, which ends it: with the session it opened), one live.
  const links = { key: Buffer.alloc(32, 7), days: 30 };
  const endedLink = createAccessLink(db, links, otto.id, null, ago(3 * DAY));
  createSession(db, { personId: otto.id, linkId: endedLink.id }, ago(2 * DAY));
  const liveLink = createAccessLink(db, links, otto.id, null, ago(DAY));

  // Invitations: one expired (used), one expired unused, one still open.
  const usedOld = createInvitation(db, pat.id, null, ago(30 * DAY)).id;
  db.prepare('UPDATE invitations SET used_at = ? WHERE id = ?').run(ago(29 * DAY).toISOString(), usedOld);
  createInvitation(db, otto.id, null, ago(8 * DAY));
  const open = createInvitation(db, pat.id, null, ago(DAY)).id;

  // Emails: sent and digested long ago (with their digest), sent lately, failed and waiting long ago, and one with a live link.
  const message = (status: string, daysAgo: number) => {
    notify(
      db,
      { personId: pat.id, kind: 'assigned', subject: `${status} ${daysAgo}`, body: '{link}', linkPath: '/my-work', runId: null },
      ago(daysAgo * DAY),
    );
    const id = db.prepare('SELECT max(id) FROM notifications').pluck().get() as number;
    db.prepare('UPDATE notifications SET status = ? WHERE id = ?').run(status, id);
    return id;
  };
  const digested = message('digested', 100);
  const digest = message('sent', 99);
  db.prepare('UPDATE notifications SET digest_id = ? WHERE id = ?').run(digest, digested);
  const oldSent = message('sent', 95);
  const recent = message('sent', 10);
  const failed = message('failed', 200);
  const waiting = message('pending', 200);
  const withLink = message('sent', 120);
  db.prepare('UPDATE access_links SET notification_id = ? WHERE id = ?').run(withLink, liveLink.id);

  // What people made: never purged.
  const run = startRun(db, { runbook: 'parcel', title: 'Old run', startedBy: pat.id, now: ago(400 * DAY) });
  audit(db, { action: 'sign-in.ok', actorId: pat.id });
  const kept = {
    runs: count('runs'),
    run_events: count('run_events'),
    audit_log: count('audit_log'),
    runbooks: count('runbooks'),
    people: count('people'),
  };

  const purged = purgeOldRecords(db, loadConfig({}), now);

  // Two dead sessions; the one the ended link opened goes with the link.
  expect(purged).toEqual({ sessions: 2, links: 1, invitations: 2, failures: 0, resets: 0, emails: 3, webhookDeliveries: 0 });
  expect(new Set(ids('SELECT id_hash FROM sessions'))).toEqual(new Set([recentSession, live]));
  expect(ids('SELECT id FROM access_links')).toEqual([liveLink.id]);
  expect(ids('SELECT id FROM invitations')).toEqual([open]);
  expect(ids('SELECT id FROM notifications ORDER BY id')).toEqual([recent, failed, waiting, withLink]);
  expect({
    runs: count('runs'),
    run_events: count('run_events'),
    audit_log: count('audit_log'),
    runbooks: count('runbooks'),
    people: count('people'),
  }).toEqual(kept);
  expect(run).toBeGreaterThan(0);
  void [idle, ended, oldSent];

  // Keeping emails longer keeps the recent one past 10 days; nothing left to purge the second time.
  expect(purgeOldRecords(db, { outboxKeepDays: 9 }, now)).toEqual({
    sessions: 0,
    links: 0,
    invitations: 0,
    failures: 0,
    resets: 0,
    emails: 1,
    webhookDeliveries: 0,
  });
  expect(purgeOldRecords(db, { outboxKeepDays: 9 }, now)).toEqual({
    sessions: 0,
    links: 0,
    invitations: 0,
    failures: 0,
    resets: 0,
    emails: 0,
    webhookDeliveries: 0,
  });
});

test('purges a backlog larger than one batch', () => {
  const insert = db.prepare(
    "INSERT INTO notifications (person_id, kind, subject, body, link_path, status, created_at) VALUES (?, 'assigned', 's', 'b', '/', 'sent', ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < 2500; i++) insert.run(pat.id, ago(200 * DAY).toISOString());
  })();
  expect(purgeOldRecords(db, { outboxKeepDays: 90 }, now).emails).toBe(2500);
});

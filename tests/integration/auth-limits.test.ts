import path from 'node:path';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import { purgeOldRecords } from '../../server/retention';
import { recordSignInFailure, signInWait, SIGN_IN_LIMITS } from '../../server/auth/limiter';
import { BASE_URL, testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { sessionCookieLine, signInThroughPage } from './auth-helpers';

/**
 * Password guessing is slowed, and never turned against the person: failures count for one
 * account from one address, and for one address; past an allowance that key waits after each
 * failure (1 s, doubling, capped). Nothing counts against an account alone, so the right
 * password from an address that has not been failing signs in at once. A burst against one
 * account from many addresses slows those addresses from their first failure and is audited.
 */

const PASSWORD = 'correct horse battery staple';
const t = testApp();
const victim = makePerson(t.db, { name: 'Vic Victim', email: 'vic@example.com' });
const bystander = makePerson(t.db, { name: 'Bea Bystander', email: 'bea@example.com' });
beforeAll(async () => {
  await givePassword(t.db, victim.id, PASSWORD);
  await givePassword(t.db, bystander.id, PASSWORD);
});
afterAll(() => t.cleanup());
// Unexpected errors (500s) fail the test that caused them, and only that one.
afterEach(() => expect(t.errors.splice(0)).toEqual([]));
beforeEach(() => t.db.exec("DELETE FROM sign_in_failures; DELETE FROM audit_log WHERE action = 'sign-in.burst'"));

/** The app behind a proxy it trusts, so that each test can come from the addresses it names. */
const proxied = createApp({
  db: t.db,
  config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL, trustProxy: 1 },
  log: (e) => t.errors.push(e),
});
const from = (address: string) => ({ 'X-Forwarded-For': address });
const attempt = async (email: string, password: string, address: string, headers: Record<string, string> = {}) =>
  (await signInThroughPage(proxied, email, password, { ...from(address), ...headers })).res;
/** Failures as the limiter counts them, written straight in (each sign-in checks a slow hash). */
const failures = (n: number, email: (i: number) => string, address: (i: number) => string, msAgo = 0) => {
  for (let i = 0; i < n; i++) recordSignInFailure(t.db, email(i), address(i), new Date(Date.now() - msAgo));
};
const ageFailures = (ms: number) => t.db.prepare('UPDATE sign_in_failures SET at = ?').run(new Date(Date.now() - ms).toISOString());

test('the limits: 5 free failures per account and address, 20 per address, in 15 minutes; waits capped at 5 minutes and 30 seconds', () => {
  expect(SIGN_IN_LIMITS).toEqual({
    windowMs: 15 * 60_000,
    perPair: 5,
    perAddress: 20,
    burstFailures: 10,
    burstAddresses: 3,
    pairCapMs: 5 * 60_000,
    addressCapMs: 30_000,
  });
});

describe('one account from one address', () => {
  test('past 5 failures the next attempt, even with the right password, waits: 429 saying how long, and no session', async () => {
    failures(
      7,
      () => victim.email,
      () => '203.0.113.7',
    );
    const res = await attempt(victim.email, PASSWORD, '203.0.113.7');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: {
        code: 'too-many-attempts',
        message: expect.stringMatching(/^Too many failed sign-ins from here\. Try again in [1-4] seconds?\.$/),
        field: 'email',
      },
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(4);
    expect(sessionCookieLine(res)).toBeUndefined();
  });

  test('the sign-in page shows the wait beside the email field, keeping the email', async () => {
    failures(
      10,
      () => victim.email,
      () => '203.0.113.7',
    );
    const res = await attempt(victim.email, PASSWORD, '203.0.113.7', { Accept: 'text/html' });
    expect(res.status).toBe(429);
    expect(res.text).toMatch(
      /<p class="error" id="f-email-error">Too many failed sign-ins from here\. Try again in (3[0-2]|29) seconds\.<\/p>/,
    );
    expect(res.text).toContain('value="vic@example.com"');
  });

  test('the wait doubles with each failure past the allowance, up to 5 minutes', () => {
    const waits = [5, 6, 7, 10, 13, 14, 30].map((n) => {
      t.db.prepare('DELETE FROM sign_in_failures').run();
      failures(
        n,
        () => victim.email,
        () => '203.0.113.7',
      );
      // Asked right after the last failure: on a busy machine writing 30 takes over a second.
      const now = new Date();
      return Math.round(signInWait(t.db, victim.email, '203.0.113.7', now) / 1000);
    });
    expect(waits).toEqual([1, 2, 4, 32, 256, 300, 300]);
  });

  test('is slowed, not locked out: once the wait has passed, the right password signs in from that address', async () => {
    failures(
      8,
      () => victim.email,
      () => '203.0.113.7',
    );
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(429);
    ageFailures(9_000);
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(303);
    // Signing in forgets that address's failures for the account.
    expect(t.db.prepare('SELECT count(*) AS n FROM sign_in_failures WHERE email = ?').get(victim.email)).toEqual({ n: 0 });
  });

  test('four failures still let the right password in at once', async () => {
    failures(
      4,
      () => victim.email,
      () => '203.0.113.7',
    );
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(303);
  });

  test('counts the account however the email is typed', async () => {
    for (const typed of ['VIC@example.com', ' Vic@Example.COM ', 'vic@EXAMPLE.com', 'Vic@example.com', 'vic@example.com']) {
      expect((await attempt(typed, 'not the password', '203.0.113.7')).status).toBe(401);
    }
    failures(
      2,
      () => 'vic@example.com',
      () => '203.0.113.7',
    );
    ageFailures(0);
    expect(t.db.prepare('SELECT count(*) AS n FROM sign_in_failures WHERE email = ?').get('vic@example.com')).toEqual({ n: 7 });
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(429);
  });

  test('the right password from an address that has not been failing signs in at once, while the failing one waits', async () => {
    failures(
      12,
      () => victim.email,
      () => '203.0.113.7',
    );
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await attempt(victim.email, PASSWORD, '198.51.100.20')).status).toBe(303);
    // And from the failing address, another account is not held up by that account's failures.
    expect((await attempt(bystander.email, PASSWORD, '203.0.113.7')).status).toBe(303);
  });

  test('guesses sent all at once are checked no faster than the waits allow', async () => {
    const attempts = await Promise.all(Array.from({ length: 12 }, () => attempt(victim.email, 'wrong password', '203.0.113.9')));
    expect(attempts.map((a) => a.status).filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // Every failure past the allowance came at least its wait after the one before.
    const at = (t.db.prepare('SELECT at FROM sign_in_failures WHERE email = ? ORDER BY at').all(victim.email) as { at: string }[]).map(
      (r) => Date.parse(r.at),
    );
    for (let k = SIGN_IN_LIMITS.perPair; k < at.length; k++) {
      expect((at[k] as number) - (at[k - 1] as number)).toBeGreaterThanOrEqual(1000 * 2 ** (k - SIGN_IN_LIMITS.perPair));
    }
  });

  test('failures older than the window count for nothing, and the hourly purge deletes them', async () => {
    failures(
      8,
      () => victim.email,
      () => '203.0.113.7',
      16 * 60_000,
    );
    expect((await attempt(victim.email, PASSWORD, '203.0.113.7')).status).toBe(303);
    failures(
      3,
      () => victim.email,
      () => '203.0.113.7',
      16 * 60_000,
    );
    failures(
      2,
      () => bystander.email,
      () => '203.0.113.7',
    );
    expect(purgeOldRecords(t.db, { outboxKeepDays: 90 }).failures).toBe(3);
    expect(t.db.prepare('SELECT count(*) AS n FROM sign_in_failures').get()).toEqual({ n: 2 });
  });

  test('survives a restart: a new app on the same database still makes the address wait', async () => {
    failures(
      10,
      () => victim.email,
      () => '203.0.113.7',
    );
    const db = openDatabase(path.join(t.dir, 'test.sqlite'));
    try {
      const restarted = createApp({ db, config: { runbooksDir: t.runbooksDir, baseUrl: BASE_URL, trustProxy: 1 } });
      const res = (await signInThroughPage(restarted, victim.email, PASSWORD, from('203.0.113.7'))).res;
      expect(res.status).toBe(429);
    } finally {
      db.close();
    }
  });
});

describe('one address, many accounts', () => {
  test('after 20 failures the address waits, for every account, at most 30 seconds; another address signs in at once', async () => {
    failures(
      24,
      (i) => `guess${i}@example.com`,
      () => '203.0.113.7',
    );
    const res = await attempt(bystander.email, PASSWORD, '203.0.113.7');
    expect(res.status).toBe(429);
    expect(res.body.error.message).toMatch(/^Too many failed sign-ins from here\. Try again in (1[0-6]) seconds\.$/);
    expect((await attempt(bystander.email, PASSWORD, '198.51.100.20')).status).toBe(303);
    t.db.prepare('DELETE FROM sign_in_failures').run();
    failures(
      60,
      (i) => `guess${i}@example.com`,
      () => '203.0.113.7',
    );
    expect(signInWait(t.db, bystander.email, '203.0.113.7')).toBeLessThanOrEqual(30_000);
  });

  test('is slowed, not locked out: everyone behind it signs in once the short wait has passed', async () => {
    failures(
      40,
      (i) => `guess${i}@example.com`,
      () => '203.0.113.7',
    );
    expect((await attempt(bystander.email, PASSWORD, '203.0.113.7')).status).toBe(429);
    ageFailures(31_000);
    expect((await attempt(bystander.email, PASSWORD, '203.0.113.7')).status).toBe(303);
  });

  test('19 failures from one address still let the right password in', async () => {
    failures(
      19,
      (i) => `guess${i}@example.com`,
      () => '203.0.113.7',
    );
    expect((await attempt(bystander.email, PASSWORD, '203.0.113.7')).status).toBe(303);
  });

  test('counts the address a trusted proxy forwards, not the proxy', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt(`guess${i}@example.com`, 'nope', '203.0.113.7')).status).toBe(401);
    expect(t.db.prepare('SELECT DISTINCT address FROM sign_in_failures').all()).toEqual([{ address: '203.0.113.7' }]);
  });
});

describe('a burst against one account from many addresses', () => {
  const burst = () =>
    failures(
      12,
      () => victim.email,
      (i) => `203.0.113.${10 + (i % 4)}`,
    );

  test('slows each of those addresses from its first failure, and not an address that was not failing', async () => {
    burst();
    // Each burst address has 3 failures for the account: under the usual allowance, slowed all the same.
    expect((await attempt(victim.email, PASSWORD, '203.0.113.10')).status).toBe(429);
    expect((await attempt(victim.email, PASSWORD, '203.0.113.13')).status).toBe(429);
    expect((await attempt(victim.email, PASSWORD, '198.51.100.20')).status).toBe(303);
  });

  test('is written to the audit log once, naming the account and how many addresses', async () => {
    burst();
    failures(
      5,
      () => victim.email,
      () => '203.0.113.99',
    );
    const entries = t.db.prepare("SELECT subject_id, data FROM audit_log WHERE action = 'sign-in.burst'").all() as {
      subject_id: number;
      data: string;
    }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]?.subject_id).toBe(victim.id);
    expect(JSON.parse(entries[0]?.data as string)).toEqual({ email: victim.email, failures: 10, addresses: 4 });
    const page = await t.http().get('/audit').set('Accept', 'text/html');
    expect(page.text).toContain('10 failed sign-ins for vic@example.com from 4 addresses');
  });

  test('failures from fewer addresses are no burst: the usual allowance holds', async () => {
    failures(
      12,
      () => victim.email,
      (i) => `203.0.113.${10 + (i % 2)}`,
    );
    expect(t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sign-in.burst'").get()).toEqual({ n: 0 });
  });
});

test('a failed sign-in is in the audit log with the email tried, never the password', async () => {
  await attempt('audited@example.com', 'secret guess 123', '192.0.2.1');
  const entries = (await t.http().get('/api/audit')).body.entries as { action: string; data: Record<string, unknown> }[];
  const failed = entries.find((e) => e.action === 'sign-in.failed');
  expect(failed?.data).toEqual({ email: 'audited@example.com' });
  expect(JSON.stringify(entries)).not.toContain('secret guess 123');
  expect(JSON.stringify(t.db.prepare('SELECT * FROM audit_log').all())).not.toContain(PASSWORD);
});

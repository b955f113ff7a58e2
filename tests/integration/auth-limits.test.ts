import path from 'node:path';
import { createApp } from '../../server/app';
import { openDatabase } from '../../server/db/open';
import { SIGN_IN_LIMITS } from '../../server/auth/limiter';
import { testApp } from '../helpers/app';
import { givePassword, makePerson } from '../helpers/factories';
import { sessionCookieLine, signInThroughPage } from './auth-helpers';

/**
 * Password guessing: sign-in is limited per account (5 failures in 15 minutes) and per
 * address (20), with a 429 that says when to retry, and the limit lifts as failures age.
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
beforeEach(() => t.db.prepare('DELETE FROM sign_in_failures').run());

const attempt = async (email: string, password: string, headers: Record<string, string> = {}, app = t.app) =>
  (await signInThroughPage(app, email, password, headers)).res;
const failTimes = async (n: number, email: (i: number) => string, headers: Record<string, string> = {}) => {
  for (let i = 0; i < n; i++) expect((await attempt(email(i), 'not the password', headers)).status).toBe(401);
};
const ageFailures = (minutes: number) =>
  t.db.prepare('UPDATE sign_in_failures SET at = ?').run(new Date(Date.now() - minutes * 60_000).toISOString());

test('the limits are 5 failures per account and 20 per address within 15 minutes', () => {
  expect(SIGN_IN_LIMITS).toEqual({ perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 });
});

describe('per account', () => {
  test('after 5 failed sign-ins, the next attempt, even with the right password, gets 429 saying when to retry, and no session', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    const res = await attempt(victim.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      error: { code: 'too-many-attempts', message: 'Too many failed sign-ins. Try again in 15 minutes.', field: 'email' },
    });
    expect(sessionCookieLine(res)).toBeUndefined();
  });

  test('the sign-in page shows the 429 message beside the email field, keeping the email', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    const res = await attempt(victim.email, PASSWORD, { Accept: 'text/html' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('<p class="error" id="f-email-error">Too many failed sign-ins. Try again in 15 minutes.</p>');
    expect(res.text).toContain('value="vic@example.com"');
  });

  test('four failures still let the right password in, and that success starts the count afresh', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount - 1, () => victim.email);
    expect((await attempt(victim.email, PASSWORD)).status).toBe(303);
    expect(t.db.prepare('SELECT count(*) AS n FROM sign_in_failures WHERE email = ?').get(victim.email)).toEqual({ n: 0 });
    await failTimes(SIGN_IN_LIMITS.perAccount - 1, () => victim.email);
    expect((await attempt(victim.email, PASSWORD)).status).toBe(303);
  });

  test('counts the account however the email is typed', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, (i) => (i % 2 ? 'VIC@example.com' : ' Vic@Example.COM '));
    expect((await attempt(victim.email, PASSWORD)).status).toBe(429);
  });

  test('locks only that account: another account signs in from the same address', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    expect((await attempt(victim.email, PASSWORD)).status).toBe(429);
    expect((await attempt(bystander.email, PASSWORD)).status).toBe(303);
  });

  test('the wait counts down from the oldest failure: failures 10 minutes old leave 5 minutes', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    ageFailures(10);
    const res = await attempt(victim.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.error.message).toBe('Too many failed sign-ins. Try again in 5 minutes.');
  });

  test('lifts once the failures are older than the window: the right password signs in again', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    expect((await attempt(victim.email, PASSWORD)).status).toBe(429);
    ageFailures(16);
    expect((await attempt(victim.email, PASSWORD)).status).toBe(303);
  });

  test('survives a restart: a new app on the same database still refuses', async () => {
    await failTimes(SIGN_IN_LIMITS.perAccount, () => victim.email);
    const db = openDatabase(path.join(t.dir, 'test.sqlite'));
    try {
      const restarted = createApp({ db, config: { runbooksDir: t.runbooksDir } });
      expect((await attempt(victim.email, PASSWORD, {}, restarted)).status).toBe(429);
    } finally {
      db.close();
    }
  });
});

describe('per address', () => {
  const proxied = createApp({ db: t.db, config: { runbooksDir: t.runbooksDir, trustProxy: 1 }, log: (e) => t.errors.push(e) });
  const from = (address: string) => ({ 'X-Forwarded-For': address });

  test('after 20 failed sign-ins for different emails from one address, the next is refused with 429, even for another account with the right password', async () => {
    await failTimes(SIGN_IN_LIMITS.perAddress, (i) => `guess${i}@example.com`);
    const res = await attempt(bystander.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: 'too-many-attempts', message: expect.stringMatching(/Try again in \d+ minutes?\./) });
  });

  test('19 failures from one address still let the right password in', async () => {
    await failTimes(SIGN_IN_LIMITS.perAddress - 1, (i) => `guess${i}@example.com`);
    expect((await attempt(bystander.email, PASSWORD)).status).toBe(303);
  });

  test('counts the address a trusted proxy forwards: one address locked out, another still signs in', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      expect((await attempt(`guess${i}@example.com`, 'not the password', from('203.0.113.7'), proxied)).status).toBe(401);
    }
    expect((await attempt(bystander.email, PASSWORD, from('203.0.113.7'), proxied)).status).toBe(429);
    expect((await attempt(bystander.email, PASSWORD, from('198.51.100.20'), proxied)).status).toBe(303);
    expect(t.db.prepare('SELECT DISTINCT address FROM sign_in_failures').all()).toEqual([{ address: '203.0.113.7' }]);
  });

  test('lifts once the failures are older than the window', async () => {
    await failTimes(SIGN_IN_LIMITS.perAddress, (i) => `guess${i}@example.com`);
    expect((await attempt(bystander.email, PASSWORD)).status).toBe(429);
    ageFailures(16);
    expect((await attempt(bystander.email, PASSWORD)).status).toBe(303);
  });
});

test('a failed sign-in is in the audit log with the email tried, never the password', async () => {
  await attempt('audited@example.com', 'secret guess 123');
  const entries = (await t.http().get('/api/audit')).body.entries as { action: string; data: Record<string, unknown> }[];
  const failed = entries.find((e) => e.action === 'sign-in.failed');
  expect(failed?.data).toEqual({ email: 'audited@example.com' });
  expect(JSON.stringify(entries)).not.toContain('secret guess 123');
  expect(JSON.stringify(t.db.prepare('SELECT * FROM audit_log').all())).not.toContain(PASSWORD);
});

import { ConfigError, loadConfig } from '../../server/config';

test('defaults to port 3000, a database in data/ and the runbooks folder', () => {
  expect(loadConfig({})).toEqual({
    port: 3000,
    databasePath: 'data/runbooks.sqlite',
    runbooksDir: 'runbooks',
    trustProxy: false,
    publicUrl: null,
    smtpUrl: null,
    mailFrom: 'Runbooks <runbooks@localhost>',
    digestHour: 7,
    linkDays: 30,
    keyFile: 'data/secret.key',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    logLevel: 'info',
    outboxKeepDays: 90,
    webhooksAllowPrivate: false,
    webhooksKeepDays: 30,
  });
});

test('reads each setting from the environment', () => {
  expect(
    loadConfig({
      PORT: '8080',
      DATABASE_PATH: '/var/lib/rb.sqlite',
      RUNBOOKS_DIR: 'sops',
      TRUST_PROXY: '1',
      PUBLIC_URL: 'https://ops.example.com/',
      SMTP_URL: 'smtps://ops:secret@mail.example.com:465',
      MAIL_FROM: 'Ops <ops@example.com>',
      DIGEST_HOUR: '18',
      LINK_DAYS: '7',
      TZ: 'America/New_York',
      LOG_LEVEL: 'warn',
      OUTBOX_KEEP_DAYS: '30',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_KEEP_DAYS: '7',
    }),
  ).toEqual({
    port: 8080,
    databasePath: '/var/lib/rb.sqlite',
    runbooksDir: 'sops',
    trustProxy: 1,
    publicUrl: 'https://ops.example.com',
    smtpUrl: 'smtps://ops:secret@mail.example.com:465',
    mailFrom: 'Ops <ops@example.com>',
    digestHour: 18,
    linkDays: 7,
    keyFile: '/var/lib/secret.key',
    timeZone: 'America/New_York',
    logLevel: 'warn',
    outboxKeepDays: 30,
    webhooksAllowPrivate: true,
    webhooksKeepDays: 7,
  });
  expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
});

test.each([
  ['WEBHOOKS_ALLOW_PRIVATE', 'yes'],
  ['WEBHOOKS_ALLOW_PRIVATE', ''],
  ['WEBHOOKS_KEEP_DAYS', '0'],
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['PORT', '80.5'],
  ['PORT', ''],
  ['PORT', ' '],
  ['DIGEST_HOUR', ''],
  ['TZ', 'Not/AZone'],
  ['TZ', ''],
  ['LOG_LEVEL', 'verbose'],
  ['DATABASE_PATH', ''],
  ['RUNBOOKS_DIR', ''],
  ['TRUST_PROXY', 'yes please!'],
  ['PUBLIC_URL', 'ftp://example.com'],
  ['MAIL_FROM', 'not an address'],
  ['DIGEST_HOUR', '24'],
  ['LINK_DAYS', '0'],
  ['LINK_DAYS', '366'],
  ['LINK_DAYS', '2.5'],
  ['LINK_DAYS', 'a month'],
  ['OUTBOX_KEEP_DAYS', '0'],
  ['OUTBOX_KEEP_DAYS', '-5'],
  ['OUTBOX_KEEP_DAYS', '1.5'],
  ['OUTBOX_KEEP_DAYS', 'forever'],
  ['OUTBOX_KEEP_DAYS', '3651'],
])('refuses %s=%p with a message naming the variable (an empty value is never a default)', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
});

test('refuses a bad SMTP_URL by name without printing it (it may hold a password)', () => {
  expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example.com' })).toThrow(/SMTP_URL=\(value hidden\): must be an smtp:\/\//);
  expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example.com' })).not.toThrow(/hunter2/);
});

test('PORT=0 asks for any free port (what the tests use)', () => {
  expect(loadConfig({ PORT: '0' }).port).toBe(0);
});

import { ConfigError, loadConfig } from '../../server/config';

test('defaults to port 3000, a database in data/ and the runbooks folder', () => {
  expect(loadConfig({})).toEqual({ port: 3000, databasePath: 'data/runbooks.sqlite', runbooksDir: 'runbooks' });
});

test('reads each setting from the environment', () => {
  expect(loadConfig({ PORT: '8080', DATABASE_PATH: '/var/lib/rb.sqlite', RUNBOOKS_DIR: 'sops' })).toEqual({
    port: 8080, databasePath: '/var/lib/rb.sqlite', runbooksDir: 'sops',
  });
});

test.each([
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['PORT', '80.5'],
  ['DATABASE_PATH', ''],
  ['RUNBOOKS_DIR', ''],
])('refuses %s=%p with a message naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
});

import path from 'node:path';
import request from 'supertest';
import { testApp } from '../helpers/app';
import { makePerson } from '../helpers/factories';
import { openDatabase } from '../../server/db/open';
import { createApiToken } from '../../server/auth/tokens';

/**
 * A token stands for its person as they are now. Each test uses a token first, then changes
 * what it stands for, through the app, through this connection directly, or through another
 * connection as the CLI would, and expects the very next request to see the change.
 */
describe('a token used once and then changed', () => {
  const t = testApp();
  afterAll(t.cleanup);
  afterEach(() => expect(t.errors).toEqual([]));

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const me = (token: string) => request(t.app).get('/api/me').set(bearer(token));
  /** Another connection to the same file: what the CLI does while the server runs. */
  const elsewhere = (change: (db: ReturnType<typeof openDatabase>) => void) => {
    const other = openDatabase(path.join(t.dir, 'test.sqlite'));
    change(other);
    other.close();
  };

  test('revoked through the API, is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera' });
    const { token, row } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    await request(t.app).post(`/api/me/tokens/${row.id}/revoke`).set(bearer(token)).expect(200);
    const res = await me(token).expect(401);
    expect(res.body.error.code).toBe('invalid-token');
  });

  test('whose person is deactivated through the API, is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 2' });
    const { token } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    await t.http().patch(`/api/people/${vera.id}`).send({ active: false }).expect(200);
    await me(token).expect(401);
  });

  test('whose person is deactivated straight in the database (tokens kept), is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 3' });
    const { token } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    t.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(vera.id);
    await me(token).expect(401);
  });

  test('revoked by another connection, is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 4' });
    const { token, row } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    elsewhere((db) => db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(new Date().toISOString(), row.id));
    await me(token).expect(401);
  });

  test('whose person is deactivated by another connection, is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 5' });
    const { token } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    elsewhere((db) => db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(vera.id));
    await me(token).expect(401);
  });

  test('deleted, is refused at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 6' });
    const { token, row } = createApiToken(t.db, vera.id, 'script');
    await me(token).expect(200);
    t.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(row.id);
    await me(token).expect(401);
  });

  test('whose person changes level or name, acts with the new ones at once', async () => {
    const vera = makePerson(t.db, { name: 'Vera 7', level: 'editor' });
    const { token } = createApiToken(t.db, vera.id, 'script');
    expect((await me(token).expect(200)).body).toMatchObject({ name: 'Vera 7', level: 'editor' });
    t.db.prepare("UPDATE people SET access_level = 'member' WHERE id = ?").run(vera.id);
    expect((await me(token).expect(200)).body).toMatchObject({ name: 'Vera 7', level: 'member' });
    elsewhere((db) => db.prepare("UPDATE people SET name = 'Vera Seven', access_level = 'outsourcer' WHERE id = ?").run(vera.id));
    expect((await me(token).expect(200)).body).toMatchObject({ name: 'Vera Seven', level: 'outsourcer' });
  });

  test('records its use at most once a minute', async () => {
    const vera = makePerson(t.db, { name: 'Vera 8' });
    const { token, row } = createApiToken(t.db, vera.id, 'script');
    const lastUsed = () =>
      (t.db.prepare('SELECT last_used_at FROM api_tokens WHERE id = ?').get(row.id) as { last_used_at: string | null }).last_used_at;
    await me(token).expect(200);
    const first = lastUsed();
    expect(first).not.toBeNull();
    await me(token).expect(200);
    expect(lastUsed()).toBe(first);
    // A minute ago, as far as the database is concerned (another connection, as if another
    // server process had used it): the next use records itself again.
    const earlier = new Date(Date.now() - 61_000).toISOString();
    elsewhere((db) => db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(earlier, row.id));
    await me(token).expect(200);
    expect(lastUsed()).not.toBe(earlier);
  });
});

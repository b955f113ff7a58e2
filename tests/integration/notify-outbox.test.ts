import { BASE_URL, testApp } from '../helpers/app';
import { finishEveryRun, makePerson, makeRole, runbookMarkdown } from '../helpers/factories';
import type { PersonRow } from '../../server/people/repo';
import { composeDigests, notifyOverdueSteps } from '../../server/notify/sweep';
import { expectError, putRunbook, startRun, stepAction, type TestApp } from './api';

let app: TestApp;
let vera: PersonRow, bo: PersonRow, otto: PersonRow, dee: PersonRow;

interface Row {
  id: number;
  person_id: number;
  kind: string;
  subject: string;
  body: string;
  status: string;
  link_path: string;
}
const messagesTo = (person: PersonRow) =>
  app.db.prepare('SELECT * FROM notifications WHERE person_id = ? ORDER BY id').all(person.id) as Row[];
// Links made for a message (an outsourcer's, made when the outbox shows it) point at it: unhook them first.
const clear = () => {
  app.db.prepare('UPDATE access_links SET notification_id = NULL').run();
  app.db.prepare('UPDATE notifications SET digest_id = NULL').run();
  app.db.prepare('DELETE FROM notifications').run();
};

beforeAll(async () => {
  app = testApp();
  vera = makePerson(app.db, { name: 'Vera' });
  bo = makePerson(app.db, { name: 'Bo' });
  otto = makePerson(app.db, { name: 'Otto', level: 'outsourcer' });
  dee = makePerson(app.db, { name: 'Dee' });
  makeRole(app.db, 'Packer', [vera, bo]);
  makeRole(app.db, 'Editor VA', [otto]);
  makeRole(app.db, 'Digest reader', [dee]);
  await putRunbook(
    app,
    'ship',
    runbookMarkdown('Ship an order', [
      { title: 'Pack', owner: 'Packer', due: '2h' },
      { title: 'Label', owner: 'Packer' },
      { title: 'Edit {link:/evil} the note', owner: 'Editor VA' },
      { title: 'Review', owner: 'Digest reader' },
    ]),
  ).expect(201);
});
afterAll(() => app.cleanup());
afterEach(() => expect(app.errors).toEqual([]));
beforeEach(clear);

describe('messages when steps are assigned', () => {
  it("at a run's start, tells each assignee once with all their steps, and not the person who started it", async () => {
    const run = await startRun(app, 'ship', bo, 'Order #1042');
    const [toVera, ...more] = messagesTo(vera);
    expect(more).toEqual([]);
    expect(messagesTo(bo)).toEqual([]);
    expect(toVera).toMatchObject({
      kind: 'assigned',
      status: 'pending',
      subject: 'Order #1042: 2 steps are yours',
      link_path: `/runs/${run.id}#step-1`,
    });
    expect(toVera?.body).toContain('Bo started "Order #1042" (Ship an order)');
    expect(toVera?.body).toMatch(/- Pack \(due \w{3}, \d+ \w{3} \d{4}, \d\d:\d\d \([\w/]+\)\)\n {2}- Label\n/);
    expect(toVera?.body).toContain('Open the run: {link}');
    expect(messagesTo(otto)).toHaveLength(1);
  });

  it('on a reassignment, tells the new assignee and the previous one, with the reason', async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #7');
    clear();
    await stepAction(app, run.id, 1, 'reassign', app.owner, { to: bo.id, reason: 'Vera is at the dentist' }).expect(200);
    const [toBo] = messagesTo(bo);
    const [toVera] = messagesTo(vera);
    expect(toBo).toMatchObject({
      kind: 'assigned',
      subject: 'Order #7: Olive Owner handed you "Pack"',
      link_path: `/runs/${run.id}#step-1`,
    });
    expect(toBo?.body).toContain("(it was Vera's)");
    expect(toBo?.body).toContain('Why: Vera is at the dentist');
    expect(toVera).toMatchObject({ kind: 'handed-off', subject: 'Order #7: "Pack" now goes to Bo' });
  });

  it('does not tell the person who handed their own step on that it left them', async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #8');
    clear();
    await stepAction(app, run.id, 1, 'reassign', vera, { to: bo.id, reason: 'swap' }).expect(200);
    expect(messagesTo(vera)).toEqual([]);
    expect(messagesTo(bo)[0]?.body).toContain('Vera handed you "Pack" in "Order #8" (it was theirs)');
  });

  it('never emails someone inactive', async () => {
    const gone = makePerson(app.db, { name: 'Gone' });
    makeRole(app.db, 'Gone role', [gone]);
    app.db.prepare('UPDATE people SET active = 0 WHERE id = ?').run(gone.id);
    const run = await startRun(app, 'ship', app.owner);
    app.db.prepare('UPDATE run_steps SET assignee_id = ? WHERE run_id = ? AND position = 2').run(gone.id, run.id);
    await stepAction(app, run.id, 2, 'reassign', app.owner, { to: bo.id, reason: 'x' }).expect(200);
    expect(messagesTo(gone)).toEqual([]);
  });
});

describe('overdue steps', () => {
  it('tells the assignee once, and the next assignee again after a hand-off', async () => {
    finishEveryRun(app.db);
    const run = await startRun(app, 'ship', app.owner, 'Order #late');
    clear();
    const later = new Date(Date.now() + 3 * 3600_000);
    expect(notifyOverdueSteps(app.db, later)).toBeGreaterThanOrEqual(1);
    const [late] = messagesTo(vera).filter((m) => m.kind === 'overdue');
    expect(late).toMatchObject({ subject: 'Overdue: "Pack" (Order #late)', link_path: `/runs/${run.id}#step-1` });
    const count = () => app.db.prepare("SELECT count(*) AS n FROM notifications WHERE kind = 'overdue'").get();
    const once = count();
    notifyOverdueSteps(app.db, later);
    expect(count()).toEqual(once);

    await stepAction(app, run.id, 1, 'reassign', app.owner, { to: bo.id, reason: 'late' }).expect(200);
    notifyOverdueSteps(app.db, later);
    expect(
      messagesTo(bo)
        .filter((m) => m.kind === 'overdue')
        .map((m) => m.subject),
    ).toEqual(['Overdue: "Pack" (Order #late)']);
  });

  it('says nothing of done steps, finished runs, or steps not yet due', async () => {
    finishEveryRun(app.db);
    const run = await startRun(app, 'ship', app.owner);
    await stepAction(app, run.id, 1, 'complete', app.owner).expect(200);
    clear();
    expect(notifyOverdueSteps(app.db, new Date(Date.now() + 3 * 3600_000))).toBe(0);
    expect(notifyOverdueSteps(app.db, new Date())).toBe(0);
  });
});

describe('a daily digest instead', () => {
  it('keeps the messages of someone who chose it, and sends them as one email a day from the digest hour', async () => {
    await app.asPerson(dee).put(`/api/people/${dee.id}/notifications`).send({ notify: 'digest' }).expect(200);
    await startRun(app, 'ship', app.owner, 'Order #d1');
    await startRun(app, 'ship', app.owner, 'Order #d2');
    expect(messagesTo(dee).map((m) => m.status)).toEqual(['digest', 'digest']);

    const at = (iso: string) => new Date(iso);
    expect(composeDigests(app.db, 7, at('2026-11-23T07:00:30Z'))).toBe(1);
    const digests = () => messagesTo(dee).filter((m) => m.kind === 'digest');
    expect(digests()).toHaveLength(1);
    expect(composeDigests(app.db, 7, at('2026-11-23T07:01:00Z'))).toBe(0); // nothing new to send
    const [digest] = digests();
    expect(digest).toMatchObject({ status: 'pending', subject: 'Your daily digest: 2 updates', link_path: '/my-work' });
    expect(digest?.body).toContain('== Order #d1: "Review" is yours');
    expect(digest?.body).toContain('== Order #d2: "Review" is yours');
    expect(digest?.body).toMatch(/Open the run: \{link:\/runs\/\d+#step-4\}/);
    expect(
      messagesTo(dee)
        .filter((m) => m.kind !== 'digest')
        .map((m) => m.status),
    ).toEqual(['digested', 'digested']);

    await startRun(app, 'ship', app.owner, 'Order #d3');
    // Once a day: what came after this morning's digest waits for tomorrow's.
    expect(composeDigests(app.db, 7, at('2026-11-23T20:00:00Z'))).toBe(0);
    expect(composeDigests(app.db, 7, at('2026-11-24T06:59:00Z'))).toBe(0);
    expect(composeDigests(app.db, 7, at('2026-11-24T07:01:00Z'))).toBe(1);
    expect(digests()[1]?.subject).toBe('Your daily digest: 1 update');
  });

  it('is a choice only the person (or an owner) makes, from two values', async () => {
    expectError(await app.asPerson(vera).put(`/api/people/${bo.id}/notifications`).send({ notify: 'digest' }), 403, 'forbidden');
    expectError(
      await app.asPerson(vera).put(`/api/people/${vera.id}/notifications`).send({ notify: 'hourly' }),
      400,
      'invalid-input',
      'notify',
    );
    await app.http().put(`/api/people/${vera.id}/notifications`).send({ notify: 'each' }).expect(200);
  });
});

describe('the outbox', () => {
  it("shows owners every message with working links: teammates' pages, an outsourcer's personal link (issue 13 item 8)", async () => {
    const run = await startRun(app, 'ship', app.owner, 'Order #outbox');
    const res = await app.http().get('/api/outbox').expect(200);
    expect(res.body.emailConfigured).toBe(false);
    expect(res.body.counts.pending).toBeGreaterThanOrEqual(2);
    const toVera = res.body.messages.find((m: { to: { id: number } }) => m.to.id === vera.id);
    expect(toVera.body).toContain(`Open the run: ${BASE_URL}/runs/${run.id}#step-1`);
    const toOtto = res.body.messages.find((m: { to: { id: number } }) => m.to.id === otto.id);
    // No placeholder: the link they will get, which works while the message waits to be forwarded.
    const link = new RegExp(`Open the run: ${BASE_URL}(/l/[\\w-]+\\?to=%2Fruns%2F${run.id}%23step-3)`).exec(toOtto.body)?.[1];
    expect(link).toBeDefined();
    expect(toOtto.body).not.toContain('[their personal link');
    const opened = await app.anonymous().get(link as string);
    expect({ status: opened.status, to: opened.headers.location }).toEqual({ status: 303, to: `/runs/${run.id}#step-3` });
    // A step title cannot smuggle a link placeholder in.
    expect(toOtto.body).toContain('Edit { link:/evil} the note');
    expectError(await app.http().get('/api/outbox?status=lost'), 400, 'invalid-input', 'status');
  });
});

describe('greetings', () => {
  it('greet people by their first name, in a step email and in the daily digest', async () => {
    const ben = makePerson(app.db, { name: 'Ben  Ledger' });
    makeRole(app.db, 'Ledger keeper', [ben]);
    await putRunbook(app, 'ledger', runbookMarkdown('Keep the ledger', [{ title: 'Reconcile', owner: 'Ledger keeper' }])).expect(201);
    await startRun(app, 'ledger', bo, 'December ledger');
    expect(messagesTo(ben)[0]?.body).toMatch(/^Hi Ben,\n\nBo started "December ledger"/);
    await app.asPerson(ben).put(`/api/people/${ben.id}/notifications`).send({ notify: 'digest' }).expect(200);
    clear();
    await startRun(app, 'ledger', bo, 'January ledger');
    expect(composeDigests(app.db, 7, new Date('2026-11-24T07:00:30Z'))).toBe(1);
    const digest = messagesTo(ben).find((m) => m.kind === 'digest');
    expect(digest?.body).toMatch(/^Hi Ben,\n\n/);
  });
});

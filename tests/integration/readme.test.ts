import fs from 'node:fs';
import path from 'node:path';
import { testApp } from '../helpers/app';
import { appRoutes } from './auth-helpers';
import { ENVIRONMENT_VARIABLES } from '../../server/config';
import { ERROR_CODES, type ErrorCode } from '../../server/http/error-codes';
import { generatedReadme } from '../../scripts/docs';

/**
 * The README is a contract: its tables of routes, settings and error codes are checked against
 * the app itself, both ways. A new route or variable needs a row in the README's table, and
 * nothing else: the tests read the app's router and the config's own list.
 */

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const t = testApp();
afterAll(() => t.cleanup());

/** The rows of the table that follows a heading, each as its cells. */
function tableAfter(heading: string): string[][] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no heading "${heading}"`);
  const lines = README.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    // A cell may hold an escaped pipe (`"each" \| "digest"`): split only at the others.
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

/** The `METHOD /path` routes named in the first cells of a table. */
const routesIn = (heading: string) =>
  tableAfter(heading).flatMap(([first]) =>
    [...(first ?? '').matchAll(/`((?:GET|POST|PUT|PATCH|DELETE) \/[^`\s]*)`/g)].map((m) => m[1] as string),
  );
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const served = appRoutes(t.app).map(key);

describe('the route tables', () => {
  test('the JSON API table lists every /api route the app serves, and only those', () => {
    const documented = routesIn('## JSON API');
    const api = served.filter((route) => route.split(' ')[1]?.startsWith('/api/'));
    expect({ undocumented: api.filter((r) => !documented.includes(r)), notServed: documented.filter((r) => !api.includes(r)) }).toEqual({
      undocumented: [],
      notServed: [],
    });
  });

  test('the pages table lists every other route the app serves, and only those', () => {
    const documented = routesIn('## Pages and other addresses');
    const pages = served.filter((route) => !route.split(' ')[1]?.startsWith('/api/'));
    expect({
      undocumented: pages.filter((r) => !documented.includes(r)),
      notServed: documented.filter((r) => !pages.includes(r)),
    }).toEqual({ undocumented: [], notServed: [] });
  });

  test('each documented value of a query parameter is accepted, and any other is refused naming exactly those values', async () => {
    const rows = tableAfter('### Query parameters').filter(([, , values]) =>
      /^`[^`]+`(?: \([^)]*\))?(?:, `[^`]+`(?: \([^)]*\))?)*$/.test(values ?? ''),
    );
    expect(rows.map(([route, parameter]) => `${route} ${parameter}`)).toEqual([
      '`GET /api/runbooks` `archived`',
      '`GET /api/runbooks` `income`',
      '`GET /api/runbooks` `review`',
      '`GET /api/runs` `status`',
      '`GET /api/outbox` `status`',
    ]);
    for (const [route, parameter, values] of rows) {
      const url = (route as string).replace(/`/g, '').split(' ')[1] as string;
      const name = (parameter as string).replace(/`/g, '');
      const documented = [...(values as string).matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
      for (const value of documented) {
        const res = await t.http().get(`${url}?${name}=${value}`);
        expect({ url, value, status: res.status }).toEqual({ url, value, status: 200 });
      }
      const refused = await t.http().get(`${url}?${name}=true`);
      expect({ url, status: refused.status, field: refused.body.error.field }).toEqual({ url, status: 400, field: name });
      const expected = [...(refused.body.error.message as string).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      expect({ url, documented }).toEqual({ url, documented: expected });
    }
  });
});

describe('the configuration table', () => {
  const documented = tableAfter('## Configuration').map(([name]) => (name ?? '').replace(/`/g, ''));

  test('lists every environment variable the config reads, and only those', () => {
    expect([...documented].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });

  test('the config is the only place in server/ that reads the environment (npm’s INIT_CWD aside)', () => {
    const reads: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith(path.join('server', 'config.ts'))) {
          for (const match of fs.readFileSync(file, 'utf8').matchAll(/process\.env(?:\.(\w+)|\[['"](\w+)['"]\])/g)) {
            reads.push(`${path.relative(ROOT, file)}: ${match[1] ?? match[2]}`);
          }
        }
      }
    };
    walk(path.join(ROOT, 'server'));
    expect(reads).toEqual(['server/cli/main.ts: INIT_CWD']);
  });
});

describe('the error codes', () => {
  test('the README’s table is the one generated from the code’s list (run `npm run docs` after changing it)', () => {
    expect(README).toBe(generatedReadme(README));
  });

  test('every code thrown in server/ with a literal status is listed with that status', () => {
    const thrown: { code: string; status: number; at: string }[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          const source = fs.readFileSync(file, 'utf8');
          const at = path.relative(ROOT, file);
          for (const m of source.matchAll(/new AppError\(\s*(\d{3}),\s*'([a-z-]+)'/g))
            thrown.push({ code: m[2] as string, status: Number(m[1]), at });
          for (const m of source.matchAll(/new ConflictError\(\s*'([a-z-]+)'/g)) thrown.push({ code: m[1] as string, status: 409, at });
          for (const m of source.matchAll(/new UnprocessableError\(\s*'([a-z-]+)'/g))
            thrown.push({ code: m[1] as string, status: 422, at });
        }
      }
    };
    walk(path.join(ROOT, 'server'));
    expect(thrown.length).toBeGreaterThan(40);
    const wrong = thrown.filter(
      ({ code, status }) => !(ERROR_CODES[code as ErrorCode]?.status as readonly number[] | undefined)?.includes(status),
    );
    expect(wrong).toEqual([]);
  });

  test('names the codes a client meets first', () => {
    for (const code of [
      'sign-in-required',
      'invalid-token',
      'sign-in-failed',
      'forbidden',
      'csrf-invalid',
      'too-many-attempts',
      'setup-required',
    ]) {
      expect(README).toContain(`| \`${code}\` |`);
    }
    expect(README).toContain('`Retry-After`');
  });
});

describe('links and layout', () => {
  test('every link to a file points inside the repository at a file that exists, and every #anchor at a heading', () => {
    const anchors = new Set(
      [...README.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .replace(/\s/g, '-'),
      ),
    );
    const links = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((link) => !/^https?:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      const [file, anchor] = link.split('#');
      if (file) {
        const resolved = path.resolve(ROOT, file);
        expect({ link, inside: resolved.startsWith(`${ROOT}${path.sep}`), exists: fs.existsSync(resolved) }).toEqual({
          link,
          inside: true,
          exists: true,
        });
      } else {
        expect({ link, heading: anchors.has(anchor as string) }).toEqual({ link, heading: true });
      }
    }
  });

  test('the Layout section names every folder of server/ and nothing that is not there', () => {
    const layout = /## Layout[\s\S]*?```\n([\s\S]*?)```/.exec(README)?.[1] as string;
    const listed = [...layout.matchAll(/^ {2}(\w[\w-]*)\/\s/gm)].map((m) => m[1] as string).sort();
    const folders = fs
      .readdirSync(path.join(ROOT, 'server'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(listed).toEqual(folders);
    const topLevel = [...layout.matchAll(/^([\w.-]+\/?)\s/gm)].map((m) => m[1] as string).filter((name) => name !== 'dist/');
    for (const name of topLevel) expect({ name, exists: fs.existsSync(path.join(ROOT, name)) }).toEqual({ name, exists: true });
  });
});

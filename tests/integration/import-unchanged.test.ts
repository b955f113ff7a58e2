import fs from 'node:fs';
import path from 'node:path';
import { freshDb } from '../helpers/db';
import { runbookMarkdown } from '../helpers/factories';
import { importDirectory } from '../../server/runbooks/import';
import { parseRunbook } from '../../server/runbooks/format/parse';

// The parser, counted: the same function, watched.
jest.mock('../../server/runbooks/format/parse', () => {
  const actual = jest.requireActual('../../server/runbooks/format/parse');
  return { ...actual, parseRunbook: jest.fn(actual.parseRunbook) };
});
const parsing = parseRunbook as jest.Mock;

/**
 * Importing RUNBOOKS_DIR at every start reads and hashes each file, and parses only the files
 * whose text differs from what was last imported (the hash kept with each runbook): a start
 * with 2,000 unchanged files parses none of them.
 */

const { db, dir, cleanup } = freshDb();
afterAll(cleanup);
const folder = path.join(dir, 'runbooks');
fs.mkdirSync(folder);
const write = (slug: string, title: string) =>
  fs.writeFileSync(path.join(folder, `${slug}.md`), runbookMarkdown(title, [{ title: 'Pack', owner: 'Packer' }]));

test('parses only new and changed files; unchanged ones are known by their hash', () => {
  for (let i = 1; i <= 20; i++) write(`parcel-${i}`, `Parcel ${i}`);
  parsing.mockClear();
  expect(importDirectory(db, folder).created).toHaveLength(20);
  expect(parsing).toHaveBeenCalledTimes(20);

  parsing.mockClear();
  const again = importDirectory(db, folder);
  expect({ created: again.created, updated: again.updated, unchanged: again.unchanged.length }).toEqual({
    created: [],
    updated: [],
    unchanged: 20,
  });
  expect(parsing).not.toHaveBeenCalled();

  write('parcel-3', 'Parcel three');
  write('parcel-21', 'Parcel 21');
  parsing.mockClear();
  const changed = importDirectory(db, folder);
  expect({ created: changed.created, updated: changed.updated, unchanged: changed.unchanged.length }).toEqual({
    created: ['parcel-21'],
    updated: ['parcel-3'],
    unchanged: 19,
  });
  expect(parsing).toHaveBeenCalledTimes(2);
});

test('a file that does not parse is still its problem at every start (it was never imported, so it has no hash)', () => {
  fs.writeFileSync(path.join(folder, 'broken.md'), '---\ntitle: [unclosed\n---\n');
  const paths = () => [...new Set(importDirectory(db, folder).problems.map((p) => p.path))];
  expect(paths()).toEqual([path.join(folder, 'broken.md')]);
  expect(paths()).toEqual([path.join(folder, 'broken.md')]);
});

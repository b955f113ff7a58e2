import fs from 'node:fs';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';
import { extractChecks } from '../../server/runbooks/format/checks';

/**
 * Checks are read from marked's block pass alone (the inline pass doubled the cost of reading a
 * long runbook). These tests hold that reading to what the full pass reads, on the shipped
 * runbooks, the import fixtures and the shapes where the two could differ.
 */

/** The checks as read before, through the full pass (blocks and their words). */
function checksFromFullPass(body: string): string[] {
  const checks: string[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) {
          if (item.task) {
            const first = item.tokens.find((t) => t.type === 'text' || t.type === 'paragraph') as Tokens.Text | undefined;
            let text = first?.text ?? '';
            const box = first?.tokens?.[0];
            if (box?.type === 'checkbox' && text.startsWith(box.raw)) text = text.slice(box.raw.length);
            checks.push(text.replace(/\s+/g, ' ').trim());
          }
          visit(item.tokens);
        }
      } else if ('tokens' in token && Array.isArray(token.tokens)) {
        visit(token.tokens);
      }
    }
  };
  visit(new Lexer({ gfm: true }).lex(body));
  return checks.filter((text) => text !== '');
}

const ROOT = path.join(__dirname, '..', '..');
const documents = [
  ...fs.readdirSync(path.join(ROOT, 'runbooks')).map((name) => path.join(ROOT, 'runbooks', name)),
  ...fs
    .readdirSync(path.join(ROOT, 'tests', 'fixtures', 'imports'))
    .filter((name) => /\.(md|txt)$/.test(name))
    .map((name) => path.join(ROOT, 'tests', 'fixtures', 'imports', name)),
];

describe('checks read from the block pass', () => {
  test.each(documents.map((file) => [path.relative(ROOT, file), file]))('match the full pass in %s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    expect(extractChecks(text)).toEqual(checksFromFullPass(text));
  });

  test.each([
    ['a tight list', '- [ ] Pack the order\n- [x] Print the label\n'],
    ['a loose list', '- [ ] Pack the order\n\n- [x] Print the label\n\n  More about the label\n'],
    ['nested lists', '- [ ] Pack\n  - [ ] Bubble wrap\n  - Tape\n    - [x] Seal\n'],
    ['a list in a quote', '> - [ ] Quoted check\n> - [ ] Another\n'],
    ['Windows line ends', '- [ ] First\r\n- [ ] Second\r\n\r\n- [ ] Third\r\n'],
    ['words that look like inline Markdown', '- [ ] Check **bold** and `code` and [a link](https://example.com)\n'],
    ['a box inside code', '```\n- [ ] not a check\n```\n\n- [ ] a check\n'],
    ['numbered task items', '1. [ ] One\n2. [x] Two\n'],
    ['an item that only has a box', '- [ ]\n- [ ] Real\n'],
  ])('match the full pass for %s', (_name, body) => {
    expect(extractChecks(body)).toEqual(checksFromFullPass(body));
    expect(extractChecks(body).length).toBeGreaterThan(0);
  });
});

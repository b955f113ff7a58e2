import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createViews, VIEWS_DIR } from '../../server/views/engine';

function viewsWith(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'views-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('the template engine', () => {
  test('compiles every shipped template at start', () => {
    expect(() => createViews(VIEWS_DIR)).not.toThrow();
  });

  test('refuses to start with a broken template, naming its file', () => {
    const root = viewsWith({ 'layouts/main.hbs': '{{{body}}}', 'people/broken.hbs': '<p>{{#if ready}}unclosed</p>' });
    expect(() => createViews(root)).toThrow(/Template people\/broken\.hbs:/);
  });

  test('refuses to start with a broken partial, naming its file', () => {
    const root = viewsWith({ 'layouts/main.hbs': '{{{body}}}', 'partials/field.hbs': '{{> }}' });
    expect(() => createViews(root)).toThrow(/Template partials\/field\.hbs:/);
  });

  test('renders a good template with its data escaped', () => {
    const root = viewsWith({ 'layouts/main.hbs': '{{{body}}}', 'home/hello.hbs': '<p>{{name}}</p>' });
    expect(createViews(root).fragment('home/hello', { name: '<b>Vera</b>' })).toBe('<p>&lt;b&gt;Vera&lt;/b&gt;</p>');
  });
});

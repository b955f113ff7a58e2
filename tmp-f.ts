import fs from 'node:fs';
import path from 'node:path';
import { makeDocx } from './tests/helpers/docx';
import { STOCK_RETURNS } from './tests/fixtures/imports/word-stock-returns';
import { readDocument } from './server/imports/source';
import { makeDraft } from './server/imports/draft';
(async () => {
  const dir = 'tests/fixtures/imports';
  const files: [string, Buffer][] = fs.readdirSync(dir).filter((f) => !f.endsWith('.ts')).map((f) => [f, fs.readFileSync(path.join(dir, f))]);
  files.push(['customer-returns.docx', await makeDocx(STOCK_RETURNS)]);
  const only = process.argv[2];
  for (const [name, bytes] of files) {
    if (only && !name.includes(only)) continue;
    const read = await readDocument(bytes, { filename: name, contentType: null });
    const t = Date.now();
    const d = makeDraft({ document: read.markdown, filename: name, known: [], notes: read.notes });
    console.log(`\n=== ${name} (${Date.now() - t}ms) title="${d.title}" slug=${d.slug} steps=${d.steps.length} checks=${d.steps.reduce((a, s) => a + s.checks.length, 0)}`);
    for (const s of d.steps) console.log(`  - ${s.title} [${s.owner ?? '-'}] ${s.checks.length}`);
    if (only) { console.log(d.notes.join('\n')); console.log(d.markdown); }
  }
})();

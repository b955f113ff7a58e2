import {
  CheckBox,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { strToU8, zipSync } from 'fflate';
import { makeDraft } from '../../server/imports/draft';
import { readDocument } from '../../server/imports/source';

/**
 * Word documents as Word writes them: what the streaming reader (server/imports/docx*.ts)
 * keeps of styles, lists, runs, links, check boxes, tables and notes. Documents made with the
 * docx library where it can write the case, else as the raw XML Word writes.
 */

const read = (bytes: Buffer) => readDocument(bytes, { filename: 'procedure.docx', contentType: null });
const draftOf = async (bytes: Buffer) => {
  const document = await read(bytes);
  return makeDraft({ document: document.markdown, filename: 'procedure.docx', known: [], notes: document.notes });
};
const outline = (d: Awaited<ReturnType<typeof draftOf>>) => d.steps.map((s) => [s.title, s.owner, s.checks]);

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const NS = `${W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:v="urn:schemas-microsoft-com:vml"`;
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A .docx of raw parts: the body's XML, and optionally styles, numbering and hyperlink targets. */
function rawDocx(body: string, parts: { styles?: string; numbering?: string; links?: Record<string, string> } = {}): Buffer {
  const rels = [
    parts.styles ? `<Relationship Id="rStyles" Type="${REL}/styles" Target="styles.xml"/>` : '',
    parts.numbering ? `<Relationship Id="rNumbering" Type="${REL}/numbering" Target="numbering.xml"/>` : '',
    ...Object.entries(parts.links ?? {}).map(
      ([id, target]) => `<Relationship Id="${id}" Type="${REL}/hyperlink" Target="${target}" TargetMode="External"/>`,
    ),
  ].join('');
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/></Relationships>`,
    ),
    'word/document.xml': strToU8(`<?xml version="1.0"?><w:document ${NS}><w:body>${body}</w:body></w:document>`),
    'word/_rels/document.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    ),
  };
  if (parts.styles) files['word/styles.xml'] = strToU8(`<?xml version="1.0"?><w:styles ${W}>${parts.styles}</w:styles>`);
  if (parts.numbering) files['word/numbering.xml'] = strToU8(`<?xml version="1.0"?><w:numbering ${W}>${parts.numbering}</w:numbering>`);
  return Buffer.from(zipSync(files));
}

/** The zip with its first entry saying it unpacks to `size` bytes (as a zip bomb's entries do), without packing that much. */
function claimingSize(zip: Buffer, size: number): Buffer {
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(size, central + 24);
  return zip;
}

const p = (text: string, properties = '') =>
  `<w:p>${properties ? `<w:pPr>${properties}</w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const style = (id: string, name: string, type = 'paragraph') =>
  `<w:style w:type="${type}" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;

describe('a Word document', () => {
  test('keeps bold, italic and links to web pages, and drops a javascript: link with a note, keeping its words', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Opening', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({
              children: [
                new TextRun('Read '),
                new ExternalHyperlink({ link: 'https://example.com/alarm', children: [new TextRun('the alarm guide')] }),
                new TextRun(', '),
                new TextRun({ text: 'always', bold: true }),
                new TextRun(' lock the '),
                new TextRun({ text: 'back', italics: true }),
                new TextRun(' door, then '),
                new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('press here')] }),
              ],
            }),
          ],
        },
      ],
    });
    const document = await read(await Packer.toBuffer(doc));
    expect(document.markdown).toBe(
      '# Opening\n\nRead [the alarm guide](https://example.com/alarm), **always** lock the *back* door, then press here',
    );
    expect(document.notes).toContain('Scripts, event handlers and javascript: links in the document were dropped.');
  });

  test('writes a table as a table, a picture as a note, and footnotes after the text', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
    const doc = new Document({
      footnotes: { 1: { children: [new Paragraph('Keys are in the safe.')] } },
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun('Who holds keys'), new FootnoteReferenceRun(1)] }),
            new Table({
              rows: [
                new TableRow({ children: [cell('Role'), cell('Keys | alarm')] }),
                new TableRow({ children: [cell('Manager'), cell('Both')] }),
              ],
            }),
            new Paragraph({ children: [new ImageRun({ type: 'png', data: png, transformation: { width: 10, height: 10 } })] }),
          ],
        },
      ],
    });
    const document = await read(await Packer.toBuffer(doc));
    expect(document.markdown).toBe(
      'Who holds keys\\[1\\]\n\n| Role | Keys \\| alarm |\n| --- | --- |\n| Manager | Both |\n\n\\[1\\] Keys are in the safe.',
    );
    expect(document.notes).toContain('A picture in the Word document was not brought in: add it as links if the steps need it.');
  });

  test('makes check boxes in a list task items of the step', async () => {
    const doc = new Document({
      numbering: { config: [{ reference: 'n', levels: [{ level: 0, format: 'decimal', text: '%1.', alignment: 'left' }] }] },
      sections: [
        {
          children: [
            new Paragraph({ text: 'Closing', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({
              children: [new CheckBox({ checked: false }), new TextRun(' Lock the door')],
              numbering: { reference: 'n', level: 0 },
            }),
            new Paragraph({
              children: [new CheckBox({ checked: true }), new TextRun(' Count the till')],
              numbering: { reference: 'n', level: 0 },
            }),
          ],
        },
      ],
    });
    const document = await read(await Packer.toBuffer(doc));
    expect(document.markdown).toBe('# Closing\n\n1.  [ ] Lock the door\n2.  [x] Count the till');
    expect(outline(await draftOf(await Packer.toBuffer(doc)))).toEqual([['Closing', null, ['Lock the door', 'Count the till']]]);
  });

  test('knows headings by their style name in any language, and lists numbered through a style or a numbering style', async () => {
    const styles = [
      style('berschrift1', 'heading 1'),
      style('berschrift2', 'heading 2'),
      style('Aufzhlung', 'List Bullet'),
      style('Steps', 'Steps list', 'numbering'),
    ].join('');
    const numbering =
      '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:pStyle w:val="Aufzhlung"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="Steps"/></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>';
    // The numbering style names list 2: list 3 is numbered like it.
    const linkedStyles = styles.replace(
      '<w:name w:val="Steps list"/>',
      '<w:name w:val="Steps list"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr>',
    );
    const numbered = (text: string, level: number, list = 3) =>
      p(text, `<w:numPr><w:ilvl w:val="${level}"/><w:numId w:val="${list}"/></w:numPr>`);
    const body = [
      p('Kasse', '<w:pStyle w:val="berschrift1"/>'),
      p('Morgens', '<w:pStyle w:val="berschrift2"/>'),
      p('Licht an', '<w:pStyle w:val="Aufzhlung"/>'),
      p('Alarm aus', '<w:pStyle w:val="Aufzhlung"/>'),
      p('Abends', '<w:pStyle w:val="berschrift2"/>'),
      numbered('Kasse zählen', 0),
      numbered('Scheine', 1),
      numbered('Tür abschließen', 0),
    ].join('');
    const document = await read(rawDocx(body, { styles: linkedStyles, numbering }));
    expect(document.markdown).toBe(
      '# Kasse\n\n## Morgens\n\n-   Licht an\n-   Alarm aus\n\n## Abends\n\n1.  Kasse zählen\n    -   Scheine\n2.  Tür abschließen',
    );
  });

  test('reads links and check boxes written as fields, leaves out deleted and moved text, and reads a text box once', async () => {
    const field = (instruction: string, result: string, data = '') =>
      `<w:r><w:fldChar w:fldCharType="begin">${data}</w:fldChar></w:r><w:r><w:instrText xml:space="preserve">${instruction}</w:instrText></w:r>` +
      `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${result ? `<w:r><w:t>${result}</w:t></w:r>` : ''}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
    const body = [
      `<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r>${field(' HYPERLINK "https://example.com/rota" ', 'the rota')}</w:p>`,
      `<w:p>${field(' FORMCHECKBOX ', '', '<w:ffData><w:checkBox><w:default w:val="0"/><w:checked/></w:checkBox></w:ffData>')}<w:r><w:t xml:space="preserve"> Alarm set</w:t></w:r></w:p>`,
      `<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> Lights off</w:t></w:r></w:p>`,
      '<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r><w:del><w:r><w:delText>old </w:delText></w:r></w:del><w:moveFrom><w:r><w:t>moved </w:t></w:r></w:moveFrom><w:ins><w:r><w:t>new</w:t></w:r></w:ins></w:p>',
      '<w:p><w:r><w:t>Around the box</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>' +
        '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    ].join('');
    const document = await read(rawDocx(body));
    expect(document.markdown).toBe(
      'See [the rota](https://example.com/rota)\n\n[x] Alarm set\n\n[ ] Lights off\n\nKeep new\n\nAround the box\n\nIn the box',
    );
  });

  test('keeps text as text: Markdown characters in it are escaped, a cell merged into the one above it is left empty', async () => {
    const cell = (text: string, merge = '') => `<w:tc>${merge ? `<w:tcPr>${merge}</w:tcPr>` : ''}${p(text)}</w:tc>`;
    const body = [
      p('1. not a list, *not bold*, [not a link]'),
      `<w:p><w:r><w:t xml:space="preserve">  </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> </w:t></w:r><w:r><w:t xml:space="preserve">- not a list either</w:t><w:br/><w:t xml:space="preserve"> # nor a heading</w:t></w:r></w:p>`,
      `<w:tbl><w:tr>${cell('Day', '<w:vMerge w:val="restart"/>')}${cell('Who')}</w:tr><w:tr>${cell('Monday', '<w:vMerge/>')}${cell('Sam')}</w:tr></w:tbl>`,
    ].join('');
    const document = await read(rawDocx(body));
    expect(document.markdown).toBe(
      '1\\. not a list, \\*not bold\\*, \\[not a link\\]\n\n\\- not a list either  \n\\# nor a heading\n\n| Day | Who |\n| --- | --- |\n|  | Sam |',
    );
  });

  test('leaves out a table row deleted as a tracked change, and reads a table inside a cell as that cell’s text', async () => {
    const cell = (inner: string) => `<w:tc>${inner}</w:tc>`;
    const inner = `<w:tbl><w:tr>${cell(p('inner a'))}${cell(p('inner b'))}</w:tr></w:tbl>`;
    const body = [
      '<w:tbl>',
      `<w:tr>${cell(p('Task'))}${cell(p('Who'))}</w:tr>`,
      `<w:tr><w:trPr><w:del w:id="1" w:author="Sam" w:date="2026-01-01T00:00:00Z"/></w:trPr>${cell(p('Old task'))}${cell(p('Bo'))}</w:tr>`,
      `<w:tr>${cell(p('Count the till'))}${cell(p('Sam') + inner)}</w:tr>`,
      '</w:tbl>',
    ].join('');
    const document = await read(rawDocx(body));
    expect(document.markdown).toBe('| Task | Who |\n| --- | --- |\n| Count the till | Sam inner a inner b |');
  });

  test.each([
    ['a zip that is not a Word document', () => Buffer.from(zipSync({ 'notes.txt': strToU8('hello') })), /not a Word document/],
    ['a zip whose text unpacks past any document', () => claimingSize(rawDocx(p('Hello')), 80 * 1024 * 1024), /far more text/],
  ])(
    'refuses %s with a plain message',
    async (_what, make, message) => {
      await expect(read(make())).rejects.toMatchObject({ code: 'unreadable-document', message: expect.stringMatching(message) });
      // Packing 80 MB for the second case takes seconds on a busy machine.
    },
    30_000,
  );
});

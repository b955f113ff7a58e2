import Handlebars from 'handlebars';
import { SANITISED_TASK_BOX, type Body, type PrintCheck, type PrintDocument, type PrintStep } from './model';
import { qrSvg } from './qr';

/** What views/print/document.hbs reads: the document, with its HTML made ready for paper. */

const escape = (text: string) => Handlebars.escapeExpression(text);

const BLANK_SIGN = 'Initials <span class="pr-blank"></span> Date <span class="pr-blank"></span>';

/** A check's box and its room to sign (or who ticked it), as fixed markup around escaped names. */
function checkMarks(check: PrintCheck): string {
  const box = `<span class="pr-box${check.ticked ? ' pr-box--on' : ''}" aria-hidden="true">${check.ticked ? '✓' : ''}</span>`;
  const sign = check.ticked ? `✓ ${escape(check.tickedBy ?? '')}` : BLANK_SIGN;
  return `${box}<span class="pr-sign">${sign}</span>`;
}

/**
 * The body's task boxes become the run's checks, in place: the n-th box of the sanitiser's
 * output is the n-th check (checksMatchBody made sure of it). Only that exact markup is
 * replaced, by fixed markup; names in it are escaped.
 */
function bodyWithChecks(body: Body, checks: PrintCheck[] | null): string {
  let n = 0;
  return body.html.replace(SANITISED_TASK_BOX, () => {
    const check = checks?.[n++];
    return check ? checkMarks(check) : '<span class="pr-box" aria-hidden="true"></span>';
  });
}

const SANITISED_LINK = /<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g;
const decode = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] as string,
  );

/**
 * On paper a link is its words and its address: the address follows any link whose words are
 * not the address already (as in the PDF). The sanitiser's links have no nested links and their
 * address escaped; it is decoded and escaped again to be shown as text.
 */
export function withLinkTargets(html: string): string {
  return html.replace(SANITISED_LINK, (whole, href: string, inner: string) => {
    const url = decode(href);
    const words = decode(inner.replace(/<[^>]*>/g, '')).trim();
    if (url === '' || words === url || `mailto:${words}` === url) return whole;
    return `${whole}<span class="pr-href"> (${escape(url)})</span>`;
  });
}

const LONG_RUN = /(?:&#?\w+;|[^\s&<])(?:&#?\w+;|[^\s&<]){24,}/gu;

/**
 * Words of 25 characters and more (addresses, codes) get a break opportunity every 12, so that a
 * table column holding one can narrow to fit the page without breaking short words letter by
 * letter. Only text between tags is touched, a character reference counts as one character.
 */
export function withBreakableWords(html: string): string {
  return html.replace(
    /(^|>)([^<]+)/g,
    (_m, open: string, text: string) =>
      open +
      text.replace(LONG_RUN, (word) =>
        (word.match(/&#?\w+;|[^&]/gu) ?? []).map((c, i) => (i > 0 && i % 12 === 0 ? `<wbr>${c}` : c)).join(''),
      ),
  );
}

/** Stored HTML made ready for paper: checks in place (or plain boxes), link addresses shown, long words breakable. */
const forPaper = (body: Body, checks: PrintCheck[] | null) => withBreakableWords(withLinkTargets(bodyWithChecks(body, checks)));

function stepView(step: PrintStep) {
  return {
    ...step,
    mark: step.state === 'done' ? '✓' : step.state === 'skipped' ? '–' : '',
    ticked: step.state === 'done' || step.state === 'skipped',
    bodyHtml: step.body ? forPaper(step.body, step.checksInBody ? step.checks : null) : null,
    listChecks: !step.checksInBody && step.checks.length > 0,
    checks: step.checks.map((c) => ({ ...c, html: withBreakableWords(c.html), marks: checkMarks(c) })),
  };
}

export function printView(doc: PrintDocument, paper: 'a4' | 'letter', path: string, keep: Record<string, string> = {}) {
  const other = paper === 'a4' ? 'letter' : 'a4';
  const query = (p: 'a4' | 'letter') => new URLSearchParams({ ...keep, paper: p }).toString();
  return {
    title: `${doc.title} (${doc.kindLabel.toLowerCase()})`,
    letter: paper === 'letter',
    doc,
    paperLabel: paper === 'a4' ? 'A4' : 'US Letter',
    otherPaper: { href: `${path}?${query(other)}`, label: other === 'a4' ? 'A4' : 'US Letter' },
    pdf: {
      a4: `${path}.pdf?${query('a4')}`,
      letter: `${path}.pdf?${query('letter')}`,
    },
    introHtml: doc.intro ? forPaper(doc.intro, null) : null,
    qrSvg: doc.link?.qr ? qrSvg(doc.link.qr, `QR code: ${doc.link.url}`) : null,
    groups: doc.groups.map((g) => ({
      ...g,
      introHtml: g.intro ? forPaper(g.intro, null) : null,
      qrSvg: g.link?.qr ? qrSvg(g.link.qr, `QR code: ${g.link.url}`) : null,
      steps: g.steps.map(stepView),
    })),
    stepCount: doc.groups.reduce((n, g) => n + g.steps.length, 0),
  };
}

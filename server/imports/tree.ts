import { Lexer, type Token, type Tokens } from 'marked';

/**
 * A document as nested sections: each heading holds the blocks up to the next heading of its
 * level or above, and the deeper sections in between. Read with the same Markdown lexer as
 * the runbook format, so what is a list, a heading or code here is what it is there.
 */
export interface Section {
  /** Order in the document, from 1; the root (text before any heading) is 0. */
  id: number;
  /** 1–6 for headings; PSEUDO_LEVEL for a line that stands as a heading (bold alone, "Step 3: …"). */
  level: number;
  title: string;
  /** The heading as written, for a pseudo-heading folded back into a step's text. */
  raw: string;
  blocks: Token[];
  children: Section[];
  parent: Section | null;
}

export const PSEUDO_LEVEL = 7;

const BOLD_LINE = /^(\*\*|__)(?=\S)([^\n]*?\S)\1:?$/;
const STEP_LINE = /^(?:\*\*|__)?step[ \t]+\d+[ \t]*[:.)-]/i;

/** A paragraph that is a heading in all but name: a short bold line, or a "Step 3:" line. */
function pseudoHeading(token: Tokens.Paragraph): { title: string; rest: string } | null {
  const [first = '', ...others] = token.text.split('\n');
  const line = first.trim();
  if (others.length === 0 && line.length <= 120) {
    const bold = BOLD_LINE.exec(line);
    if (bold && !/[*_]{2}/.test(bold[2] as string)) return { title: (bold[2] as string).replace(/:$/, ''), rest: '' };
  }
  if (STEP_LINE.test(line) && line.length <= 160) {
    return {
      title: line
        .replace(/^(\*\*|__)(.*?)\1/, '$2')
        .replace(/[*_]{2}/g, '')
        .trim(),
      rest: others.join('\n').trim(),
    };
  }
  return null;
}

/** Inline heading text on one line, without the closing #s of an ATX heading. */
const headingText = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/^#+$/, '');

export function readTree(markdown: string, lexed?: Token[]): Section {
  const root: Section = { id: 0, level: 0, title: '', raw: '', blocks: [], children: [], parent: null };
  const tokens = lexed ?? new Lexer({ gfm: true }).lex(markdown);
  const stack: Section[] = [root];
  let id = 0;
  const open = (level: number, title: string, raw: string) => {
    while ((stack[stack.length - 1] as Section).level >= level) stack.pop();
    const parent = stack[stack.length - 1] as Section;
    const section: Section = { id: ++id, level, title, raw, blocks: [], children: [], parent };
    parent.children.push(section);
    stack.push(section);
  };
  for (const token of tokens) {
    if (token.type === 'heading') {
      // A heading with no words ("##" alone) heads nothing: it is left out.
      const title = headingText((token as Tokens.Heading).text);
      if (title !== '') open((token as Tokens.Heading).depth, title, token.raw.trim());
      continue;
    }
    if (token.type === 'paragraph') {
      const pseudo = pseudoHeading(token as Tokens.Paragraph);
      if (pseudo) {
        open(PSEUDO_LEVEL, pseudo.title, token.raw.trim().split('\n')[0] as string);
        if (pseudo.rest !== '')
          (stack[stack.length - 1] as Section).blocks.push({ type: 'paragraph', raw: pseudo.rest, text: pseudo.rest, tokens: [] });
        continue;
      }
    }
    if (token.type === 'space') continue;
    (stack[stack.length - 1] as Section).blocks.push(token);
  }
  return root;
}

/** Every section below `section`, in document order. */
export function descendants(section: Section): Section[] {
  return section.children.flatMap((child) => [child, ...descendants(child)]);
}

import { Lexer, type Token, type Tokens } from 'marked';

/** The task-list items (`- [ ]` / `- [x]`) of a step body, in document order, nested ones included. */
export function extractChecks(body: string): string[] {
  if (!body.includes('[')) return [];
  const checks: string[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) {
          if (item.task) checks.push(itemText(item));
          visit(item.tokens);
        }
      } else if ('tokens' in token && Array.isArray(token.tokens)) {
        visit(token.tokens);
      }
    }
  };
  // Blocks only: a check is a list item, and its box and first line are read in the block pass
  // (the inline pass would double the cost of reading a long runbook and add nothing here).
  visit(blockTokens(body));
  return checks.filter((text) => text !== '');
}

/** The item's own text: its first text block, without nested lists, folded onto one line. */
function itemText(item: Tokens.ListItem): string {
  const first = item.tokens.find((t) => t.type === 'text' || t.type === 'paragraph') as Tokens.Text | undefined;
  let text = first?.text ?? '';
  // In a loose list (items apart by blank lines) marked leaves the "[ ] " / "[x] " box at the
  // start of the paragraph text; the box is not part of the check.
  const box = first?.tokens?.[0];
  if (box?.type === 'checkbox' && text.startsWith(box.raw)) text = text.slice(box.raw.length);
  return text.replace(/\s+/g, ' ').trim();
}

/** Markdown's blocks without marked's inline pass (which a reader of blocks does not need), line endings as marked's own lex makes them. */
export function blockTokens(markdown: string): Token[] {
  return new Lexer({ gfm: true }).blockTokens(markdown.replace(/\r\n?/g, '\n'));
}

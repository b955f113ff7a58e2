import { Parser } from 'htmlparser2';

/**
 * Clean HTML as the small DOM turndown reads, built by htmlparser2.
 *
 * Turndown parses a string with domino, a whole HTML5 DOM: on a 1 MB page that parse was half of
 * turndown's time. The HTML here has already been through sanitize-html, which parses with
 * htmlparser2 and writes every element closed and nested, so htmlparser2 reads it again as the
 * same tree in a fraction of the time, and these nodes carry only what turndown and our rules
 * look at.
 *
 * Well-nested is not always what HTML5's tree construction leaves alone: a list opened inside
 * a paragraph's emphasis closes the paragraph, a link inside a link is split, a heading inside
 * a heading is closed, text loose in a table moves before it. Wherever such a rule would move
 * something, htmlTree answers null and the page goes to turndown's own parse: the Markdown is
 * the same either way, and only pages that need the repair pay for it. A test converts a corpus
 * of such corners, and generated pages, both ways and holds the Markdown equal.
 */

abstract class TreeNode {
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  parentNode: TreeElement | null = null;
  previousSibling: TreeNode | null = null;
  nextSibling: TreeNode | null = null;
  abstract get textContent(): string;
}

class TreeText extends TreeNode {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  constructor(public data: string) {
    super();
  }
  get nodeValue(): string {
    return this.data;
  }
  get textContent(): string {
    return this.data;
  }
}

class TreeElement extends TreeNode {
  readonly nodeType = 1;
  readonly nodeName: string;
  /** The tag's name as written in HTML (lower case). */
  readonly tag: string;
  firstChild: TreeNode | null = null;
  lastChild: TreeNode | null = null;
  /** The children as arrays, made when first asked for after a change (turndown removes blank text). */
  private list: TreeNode[] | null = null;
  private elements: TreeElement[] | null = null;

  constructor(
    name: string,
    private readonly attributes: Record<string, string>,
  ) {
    super();
    this.tag = name;
    this.nodeName = name.toUpperCase();
  }

  append(child: TreeNode): void {
    child.parentNode = this;
    child.previousSibling = this.lastChild;
    if (this.lastChild) this.lastChild.nextSibling = child;
    else this.firstChild = child;
    this.lastChild = child;
    this.list = this.elements = null;
  }

  removeChild(child: TreeNode): TreeNode {
    if (child.previousSibling) child.previousSibling.nextSibling = child.nextSibling;
    else this.firstChild = child.nextSibling;
    if (child.nextSibling) child.nextSibling.previousSibling = child.previousSibling;
    else this.lastChild = child.previousSibling;
    child.parentNode = child.previousSibling = child.nextSibling = null;
    this.list = this.elements = null;
    return child;
  }

  get childNodes(): readonly TreeNode[] {
    if (this.list === null) {
      this.list = [];
      for (let child = this.firstChild; child; child = child.nextSibling) this.list.push(child);
    }
    return this.list;
  }

  /** Turndown asks a numbered list for its children once per item: kept, like childNodes. */
  get children(): readonly TreeElement[] {
    this.elements ??= this.childNodes.filter((child): child is TreeElement => child instanceof TreeElement);
    return this.elements;
  }

  get lastElementChild(): TreeElement | null {
    let child = this.lastChild;
    while (child && !(child instanceof TreeElement)) child = child.previousSibling;
    return child;
  }

  get textContent(): string {
    let text = '';
    for (let child = this.firstChild; child; child = child.nextSibling) text += child.textContent;
    return text;
  }

  getAttribute(name: string): string | null {
    return Object.hasOwn(this.attributes, name) ? (this.attributes[name] as string) : null;
  }

  hasAttribute(name: string): boolean {
    return Object.hasOwn(this.attributes, name);
  }

  getElementsByTagName(name: string): TreeElement[] {
    const wanted = name.toUpperCase();
    const found: TreeElement[] = [];
    const visit = (parent: TreeElement) => {
      for (let child = parent.firstChild; child; child = child.nextSibling) {
        if (!(child instanceof TreeElement)) continue;
        if (child.nodeName === wanted) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }

  /**
   * Turndown copies what it is given so as not to change the caller's DOM; this tree is built
   * for one conversion and thrown away after it, so it is its own copy.
   */
  cloneNode(): this {
    return this;
  }
}

/** Elements that never hold content: htmlparser2 closes them itself, as a browser does. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Start tags that close an open paragraph in HTML5 ("close a p element"), of those the sanitiser keeps. */
const CLOSES_P = new Set([...HEADINGS, 'blockquote', 'hr', 'li', 'ol', 'p', 'pre', 'table', 'ul']);
/** What a list item start looks through for an open item to close: phrasing elements, and paragraphs. */
const LI_SEES_THROUGH = new Set(['a', 'b', 'code', 'del', 'em', 'i', 's', 'strong', 'p']);
/** Where a paragraph stops being "in button scope": a p outside a cell is not closed from inside it. */
const SCOPE_EDGES = new Set(['table', 'td', 'th']);
/** What a table part may hold directly; anything else is moved out of the table by HTML5. */
const TABLE_CONTENT: Record<string, ReadonlySet<string>> = {
  table: new Set(['thead', 'tbody', 'tr']),
  thead: new Set(['tr']),
  tbody: new Set(['tr']),
  tr: new Set(['td', 'th']),
};
/** Where a table part must stand; elsewhere HTML5 drops its tag or adds the parts around it. */
const TABLE_PLACE: Record<string, ReadonlySet<string>> = {
  thead: new Set(['table']),
  tbody: new Set(['table']),
  tr: new Set(['table', 'thead', 'tbody']),
  td: new Set(['tr']),
  th: new Set(['tr']),
};

/** Whether HTML5's tree construction would move or close something when `name` opens inside `parent`. */
function needsRepair(name: string, parent: TreeElement): boolean {
  const parentName = parent.tag;
  if (TABLE_CONTENT[parentName] && !TABLE_CONTENT[parentName].has(name)) return true;
  const place = TABLE_PLACE[name];
  if (place && !place.has(parentName)) return true;
  for (let open: TreeElement | null = parent; open && open.parentNode; open = open.parentNode) {
    const openName = open.tag;
    if (name === 'a' && openName === 'a') return true;
    if (HEADINGS.has(name) && HEADINGS.has(openName)) return true;
    if (CLOSES_P.has(name) && openName === 'p') return true;
    if (SCOPE_EDGES.has(openName)) break;
  }
  if (name === 'li') {
    // An item start closes an open item it finds through phrasing elements and paragraphs.
    let open: TreeElement | null = parent;
    while (open && LI_SEES_THROUGH.has(open.tag)) open = open.parentNode;
    if (open && open.tag === 'li') return true;
  }
  return false;
}

/**
 * The root element holding the page's nodes, for `turndown.turndown(root)`; null when HTML5 would
 * repair the page's structure (see above), so that turndown parses it itself.
 */
export function htmlTree(html: string): TreeElement | null {
  // HTML5 drops NUL characters in some places and replaces them in others: left to domino.
  if (html.includes('\u0000')) return null;
  const root = new TreeElement('x-turndown', {});
  let current = root;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (needsRepair(name, current)) throw REPAIR;
        const element = new TreeElement(name, attributes);
        current.append(element);
        if (!VOID.has(name)) current = element;
      },
      onclosetag(name, implied) {
        if (VOID.has(name)) return;
        // The sanitiser writes every closing tag: one htmlparser2 had to supply means an element
        // nested in its own kind (<li>a<li>b</li></li>), whose leftover end tag HTML5 reads differently.
        if (implied) throw REPAIR;
        if (current.parentNode) current = current.parentNode;
      },
      ontext(text) {
        // Text in a table outside its cells is moved before the table; blank text stays.
        if (TABLE_CONTENT[current.tag] && /[^ \t\n\f]/.test(text)) throw REPAIR;
        // A newline straight after <pre> is not part of its text (HTML's rule, which domino keeps).
        const data = current.nodeName === 'PRE' && current.firstChild === null ? text.replace(/^\n/, '') : text;
        if (data === '') return;
        const last = current.lastChild;
        // htmlparser2 may hand one text over in pieces (around an entity): a DOM holds it as one node.
        if (last instanceof TreeText) last.data += data;
        else current.append(new TreeText(data));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  try {
    // HTML5 reads every line ending as a line feed before anything else.
    parser.end(html.replace(/\r\n?/g, '\n'));
  } catch (error) {
    // The first place that needs repair ends the reading: the rest of the page goes to domino anyway.
    if (error === REPAIR) return null;
    throw error;
  }
  return root;
}

/** Thrown from the parser's callbacks at the first place HTML5 would repair. */
const REPAIR = new Error('the page needs HTML5 tree construction');

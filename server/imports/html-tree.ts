import { Parser } from 'htmlparser2';

/**
 * Clean HTML as the small DOM turndown reads, built by htmlparser2.
 *
 * Turndown parses a string with domino, a whole HTML5 DOM: on a 1 MB page that parse was half of
 * turndown's time and most of what the garbage collector had to copy. The HTML here has already
 * been through sanitize-html (which parses with htmlparser2 and writes well-nested tags), so a
 * second HTML5 tree construction has nothing left to repair: htmlparser2 reads it again in a
 * fraction of the time, and these nodes carry only what turndown and our rules look at.
 * A test converts a corpus of pages both ways and holds the Markdown equal.
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
  firstChild: TreeNode | null = null;
  lastChild: TreeNode | null = null;
  /** The children as an array, made when first asked for after a change (turndown removes blank text). */
  private list: TreeNode[] | null = null;

  constructor(
    name: string,
    private readonly attributes: Record<string, string>,
  ) {
    super();
    this.nodeName = name.toUpperCase();
  }

  append(child: TreeNode): void {
    child.parentNode = this;
    child.previousSibling = this.lastChild;
    if (this.lastChild) this.lastChild.nextSibling = child;
    else this.firstChild = child;
    this.lastChild = child;
    this.list = null;
  }

  removeChild(child: TreeNode): TreeNode {
    if (child.previousSibling) child.previousSibling.nextSibling = child.nextSibling;
    else this.firstChild = child.nextSibling;
    if (child.nextSibling) child.nextSibling.previousSibling = child.previousSibling;
    else this.lastChild = child.previousSibling;
    child.parentNode = child.previousSibling = child.nextSibling = null;
    this.list = null;
    return child;
  }

  get childNodes(): readonly TreeNode[] {
    if (this.list === null) {
      this.list = [];
      for (let child = this.firstChild; child; child = child.nextSibling) this.list.push(child);
    }
    return this.list;
  }

  get children(): TreeElement[] {
    return this.childNodes.filter((child): child is TreeElement => child instanceof TreeElement);
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

/** The root element holding the page's nodes, for `turndown.turndown(root)`. */
export function htmlTree(html: string): TreeElement {
  const root = new TreeElement('x-turndown', {});
  let current = root;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const element = new TreeElement(name, attributes);
        current.append(element);
        if (!VOID.has(name)) current = element;
      },
      onclosetag(name) {
        if (!VOID.has(name) && current.parentNode) current = current.parentNode;
      },
      ontext(text) {
        // A newline straight after <pre> is not part of its text (HTML's rule, which domino kept).
        const data = current.nodeName === 'PRE' && current.firstChild === null ? text.replace(/^\r?\n/, '') : text;
        if (data === '') return;
        const last = current.lastChild;
        // htmlparser2 may hand one text over in pieces (around an entity): a DOM holds it as one node.
        if (last instanceof TreeText) last.data += data;
        else current.append(new TreeText(data));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.end(html);
  return root;
}

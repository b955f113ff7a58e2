/**
 * Sections that describe rather than instruct: what a reader takes in before starting, not
 * a step to tick off. A heading is matched on its words, without numbering or punctuation;
 * "Purpose and scope" is reference because each part is.
 */
const REFERENCE_NAMES = new Set(
  [
    'purpose',
    'scope',
    'overview',
    'summary',
    'introduction',
    'intro',
    'background',
    'about',
    'about this document',
    'about this runbook',
    'about this checklist',
    'context',
    'impact',
    'severity',
    'description',
    'goal',
    'goals',
    'objective',
    'objectives',
    'audience',
    'who this is for',
    'when to use',
    'when to use this',
    'when to use this runbook',
    'why',
    'links',
    'useful links',
    'reference',
    'references',
    'resources',
    'related',
    'related documents',
    'related runbooks',
    'related procedures',
    'see also',
    'further reading',
    'documentation',
    'tip',
    'tips',
    'tips and tricks',
    'hints',
    'note',
    'notes',
    'troubleshooting',
    'faq',
    'faqs',
    'frequently asked questions',
    'questions',
    'glossary',
    'definitions',
    'terms',
    'revision history',
    'changelog',
    'change log',
    'version history',
    'document control',
    'document history',
    'contacts',
    'contact',
    'key contacts',
    'escalation contacts',
    'dashboards',
    'symptoms',
    'alert',
    'alert details',
    'ownership',
    'owners',
    'roles',
    'roles and responsibilities',
    'responsibilities',
    'policy',
  ].map((name) => name),
);

/** Heading words in lower case, without numbering, emphasis, emoji or closing punctuation. */
export function headingWords(title: string): string {
  return title
    .replace(/^(?:step[ \t]+\d+[ \t]*[:.)-]|\d+(?:\.\d+)*[.)]?)\s*/i, '')
    .replace(/[*_`~[\]()]/g, '')
    .replace(/[^\p{L}\p{N}&/' -]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Last words that make a heading reference when its section holds no actions: "Safety notes", "Useful links". */
const REFERENCE_TAILS = new Set([
  'notes',
  'tips',
  'links',
  'references',
  'resources',
  'contacts',
  'faq',
  'faqs',
  'overview',
  'background',
  'glossary',
  'troubleshooting',
  'definitions',
  'history',
  'purpose',
  'scope',
]);

export function hasReferenceTail(title: string): boolean {
  const words = headingWords(title).split(' ');
  return words.length > 1 && REFERENCE_TAILS.has(words[words.length - 1] as string);
}

const judged = new Map<string, boolean>();

export function isReferenceHeading(title: string): boolean {
  let known = judged.get(title);
  if (known === undefined) {
    known = referenceHeading(title);
    if (judged.size > 10_000) judged.clear();
    judged.set(title, known);
  }
  return known;
}

function referenceHeading(title: string): boolean {
  const words = headingWords(title);
  if (words === '') return false;
  if (REFERENCE_NAMES.has(words)) return true;
  const parts = words.split(/\s+(?:and|&)\s+|\s*\/\s*|,\s*/).filter((part) => part !== '');
  return parts.length > 1 && parts.every((part) => REFERENCE_NAMES.has(part));
}

/**
 * Who does the work, as documents say it: a "Role:" prefix on an item, a role sub-heading
 * ("Payroll tasks", "#### Manager"), an "Owner: X" line, or "X is responsible for". A name
 * counts when it is a role or person the business has, or when it reads as a role (ends in a
 * word such as manager, lead, team, hire, HR, IT).
 */

const ROLE_WORDS = new Set(
  [
    'manager',
    'lead',
    'leader',
    'owner',
    'team',
    'hire',
    'starter',
    'employee',
    'staff',
    'assistant',
    'va',
    'admin',
    'administrator',
    'hr',
    'it',
    'finance',
    'payroll',
    'accounting',
    'accounts',
    'bookkeeper',
    'accountant',
    'controller',
    'supervisor',
    'director',
    'officer',
    'engineer',
    'developer',
    'editor',
    'writer',
    'designer',
    'buddy',
    'mentor',
    'cashier',
    'clerk',
    'associate',
    'representative',
    'rep',
    'agent',
    'coordinator',
    'specialist',
    'analyst',
    'on-call',
    'oncall',
    'responder',
    'commander',
    'security',
    'legal',
    'ops',
    'operations',
    'support',
    'service',
    'marketing',
    'sales',
    'facilities',
    'receptionist',
    'reception',
    'ceo',
    'cfo',
    'cto',
    'coo',
    'founder',
    'keyholder',
    'holder',
    'attendant',
    'instructor',
    'guide',
    'captain',
    'crew',
    'packer',
    'picker',
    'fulfillment',
    'fulfilment',
    'warehouse',
    'host',
    'chef',
    'cook',
    'barista',
    'server',
    'technician',
    'tech',
    'sre',
    'devops',
    'qa',
    'tester',
    'reviewer',
    'approver',
    'requester',
    'contractor',
    'freelancer',
    'volunteer',
    'intern',
    'trainee',
    'newcomer',
    'person',
    'department',
    'desk',
  ].map((word) => word),
);

const SHORT_ROLES = new Set(['it', 'hr', 'va', 'qa', 'sre', 'ceo', 'cfo', 'cto', 'coo']);

/** Labels that look like "Name:" but name no one. */
const NOT_OWNERS = new Set(
  [
    'note',
    'notes',
    'tip',
    'tips',
    'warning',
    'caution',
    'important',
    'example',
    'e.g',
    'optional',
    'required',
    'time',
    'when',
    'where',
    'why',
    'how',
    'what',
    'who',
    'question',
    'answer',
    'q',
    'a',
    'subject',
    'to',
    'from',
    'cc',
    'date',
    'deadline',
    'due',
    'frequency',
    'location',
    'url',
    'link',
    'links',
    'tools',
    'tool',
    'result',
    'expected result',
    'output',
    'input',
    'status',
    'priority',
    'estimate',
    'duration',
    'goal',
    'reason',
    'before',
    'after',
    'then',
    'next',
    'first',
    'finally',
    'also',
    'ps',
    'fyi',
    'todo',
    'done',
    'yes',
    'no',
    'or',
    'and',
    'command',
    'check',
    'verify',
    'action',
    'step',
    'phase',
    'stage',
  ].map((word) => word),
);

const titleCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The business's spelling of a known name, or the name tidied: "the store manager" → "Store manager". */
export function canonicalOwner(name: string, known: readonly string[]): string {
  const tidy = name
    .replace(/[*_`]/g, '')
    .replace(/^(?:the|a|an|our|your)\s+/i, '')
    .replace(/['’]s$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  const found = known.find((k) => k.toLowerCase() === tidy.toLowerCase());
  return found ?? titleCase(tidy);
}

/** Whether a name reads as a role or person the business has or could have. */
export function readsAsOwner(name: string, known: readonly string[]): boolean {
  const tidy = canonicalOwner(name, known);
  if (known.some((k) => k.toLowerCase() === tidy.toLowerCase())) return true;
  const words = tidy.toLowerCase().split(/\s+/);
  if (words.length > 4 || tidy.length > 40 || /\d/.test(tidy)) return false;
  if (NOT_OWNERS.has(tidy.toLowerCase())) return false;
  const last = words[words.length - 1] as string;
  // "IT" and "HR" are teams; "it" and "hr" are words.
  if (SHORT_ROLES.has(last)) return tidy.split(/\s+/).pop() === last.toUpperCase();
  return ROLE_WORDS.has(last);
}

const PREFIX = /^(?:\*\*|__)?([A-Za-z][A-Za-z&/'’ .-]{0,38}?)(?::(?:\*\*|__)|(?:\*\*|__)?:)[ \t]+(\S[\s\S]*)$/;

/** "Manager: order the laptop" → Manager and the rest; null when the item has no such prefix. */
export function ownerPrefix(text: string): { name: string; rest: string } | null {
  const match = PREFIX.exec(text);
  if (!match) return null;
  const name = (match[1] as string).trim();
  if (name.split(/\s+/).length > 4 || NOT_OWNERS.has(name.toLowerCase())) return null;
  return { name, rest: match[2] as string };
}

const HEADING_ROLE =
  /^(?:for\s+(?:the\s+)?)?(.+?)(?:['’]s)?(?:\s+(?:tasks?|responsibilities|duties|checklist|to-?dos?|actions|jobs|steps|section))?$/i;

/** The owner a sub-heading names ("Payroll tasks", "Manager", "For the new hire"), or null. */
export function ownerOfHeading(title: string, known: readonly string[]): string | null {
  const words = title
    .replace(/[*_`:]/g, '')
    .replace(/\s*\((?:[^)]*)\)\s*$/, '')
    .trim();
  const match = HEADING_ROLE.exec(words);
  const name = match?.[1]?.trim();
  if (!name) return null;
  const named = name !== words || /^for\s/i.test(words);
  if (known.some((k) => k.toLowerCase() === canonicalOwner(name, known).toLowerCase())) return canonicalOwner(name, known);
  // "Payroll tasks" names Payroll; a bare "Manager" heading names the manager.
  if ((named || words.split(/\s+/).length <= 3) && readsAsOwner(name, known)) return canonicalOwner(name, known);
  return null;
}

const OWNER_LINE =
  /^(?:\*\*|__)?(?:owner|owned by|responsible|responsible person|role|who|assigned to|assignee|performed by|done by|accountable)(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?(.+?)(?:\*\*|__)?[ \t]*$/i;

/** "Owner: Bookkeeper" (or Responsible:, Role:, Who:, Assigned to:) as a line of its own. */
export function ownerLine(line: string): string | null {
  const name = OWNER_LINE.exec(line.trim())?.[1]?.trim();
  return name && name.length <= 60 && name.split(/\s+/).length <= 6 ? name : null;
}

const RESPONSIBLE = /(?:^|[.!?]\s+|\n)((?:the\s+|a\s+|our\s+)?[A-Za-z][A-Za-z&/'’ -]{0,40}?)\s+(?:is|are)\s+responsible\s+for\b/i;

/** "The shift supervisor is responsible for …" → "shift supervisor"; null without such a sentence. */
export function responsibleOwner(text: string): string | null {
  const name = RESPONSIBLE.exec(text)?.[1]?.trim();
  if (!name || name.split(/\s+/).length > 5 || /^(?:who|which|that|it|this|everyone|everybody|nobody|you|we|they|he|she)$/i.test(name))
    return null;
  return name;
}

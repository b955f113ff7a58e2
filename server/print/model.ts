import { extractChecks } from '../runbooks/format/checks';
import { formatDate } from '../views/helpers/format-date';
import { slugFromTitle } from '../runbooks/slugs';
import type { Qr } from './qr';

/**
 * One printable document, built once per request and rendered by both the print page
 * (views/print) and the PDF writer (pdf/), so the two cannot disagree. Every text in it is
 * final (dates formatted, owners worded); the renderers only lay it out.
 */
export interface PrintDocument {
  kind: 'runbook' | 'run' | 'sheet' | 'packet';
  /** What kind of paper this is, in words: "Checklist", "Run", "Assignment sheet", "Work packet". */
  kindLabel: string;
  title: string;
  /** The running header on every page: title, version, date printed. */
  header: string;
  printedAt: string;
  facts: { label: string; value: string }[];
  /** The run's fields: filled in ("Order number: 1042"), or a line to fill in by hand (value null). */
  record: PrintField[];
  /** Blank lines to fill in by hand at the top (a blank checklist: the run's name, start, who). */
  fillIn: string[];
  intro: Body | null;
  /** The online page this document stands for, with its QR code when the paper should carry one. */
  link: { url: string; qr: Qr | null } | null;
  groups: PrintGroup[];
  /** Shown instead of steps when there are none. */
  empty: string;
  /** For the download, without extension. */
  filename: string;
  /** The page this is a print of, for the screen-only bar. */
  backHref: string;
  backLabel: string;
  /** A paper read a page at a time (a person's open steps): the next page's print address, or null after the last. */
  next?: { href: string; label: string } | null;
}

/** Markdown as written (the PDF walks its tokens) and its stored, sanitised HTML (the print page). */
export interface Body {
  markdown: string;
  html: string;
}

/** Steps under a heading: one run on an assignment sheet or a packet; the only group elsewhere. */
export interface PrintGroup {
  heading: string | null;
  lines: string[];
  /** On a work packet: the introduction (purpose, warnings) of the runbook version the run started from. */
  intro: Body | null;
  link: { url: string; qr: Qr | null } | null;
  steps: PrintStep[];
}

export interface PrintCheck {
  /** The check as written (inline Markdown). */
  text: string;
  html: string;
  ticked: boolean;
  /** "Vera VA, 22 Nov 2026, 14:05" for a ticked check. */
  tickedBy: string | null;
}

export interface PrintField {
  name: string;
  value: string | null;
}

export interface PrintStep {
  position: number;
  title: string;
  optional: boolean;
  /** blank: a checklist not yet run; the others: a step of a run. */
  state: 'blank' | 'open' | 'done' | 'skipped' | 'not-needed' | 'awaiting';
  owner: string;
  due: string | null;
  overdue: boolean;
  estimate: string | null;
  /** For a finished step: "Done by Vera VA" and when. */
  finished: { by: string; at: string } | null;
  note: string | null;
  /** "Waiting since 5 Dec 2026, 14:05: the customer's address" for an open step that waits. */
  waiting: string | null;
  /** The step's newest notes, oldest of them first ("Vera VA, 5 Dec 2026, 14:05" and the note). */
  notes: { by: string; text: string }[];
  /** How many older notes are not printed ("2 older notes: see the run online"), or null. */
  olderNotes: string | null;
  /** What the step records: its fields, filled in or blank. */
  fields: PrintField[];
  /** "Approved by Otto, 5 Dec 2026", "Waits for approval by Owner", "To be approved by Owner"; null without Approval:. */
  approval: string | null;
  /** Why a step does not apply: "Not needed: Amount > 100 does not hold". */
  notNeeded: string | null;
  body: Body | null;
  checks: PrintCheck[];
  /**
   * The checks are the body's task items, in order: both renderers draw each one in place, with
   * its box, instead of listing them again under the text. False when they cannot be matched.
   */
  checksInBody: boolean;
}

/** The sanitiser's exact output for a task-list box (see server/markdown/render.ts). */
export const SANITISED_TASK_BOX = /<input type="checkbox" disabled(?: checked)? \/>/g;

/** Whether a body's task items are exactly these checks, in the Markdown and in the stored HTML alike. */
export function checksMatchBody(body: Body, checks: { text: string }[]): boolean {
  if (checks.length === 0) return false;
  const inMarkdown = safeChecks(body.markdown);
  const boxes = body.html.match(SANITISED_TASK_BOX)?.length ?? 0;
  return (
    boxes === checks.length &&
    inMarkdown !== null &&
    inMarkdown.length === checks.length &&
    inMarkdown.every((text, i) => text === checks[i]?.text)
  );
}

/** Markdown too deeply nested for the parser yields no checks rather than an error. */
function safeChecks(markdown: string): string[] | null {
  try {
    return extractChecks(markdown);
  } catch {
    return null;
  }
}

export const printedDate = (now: Date) => formatDate(now.toISOString());
export const when = (iso: string | null) => (iso ? formatDate(iso) : '');

/** "who, when" for a tick or a finished step; the person may have been removed since. */
export const byWhom = (name: string | null | undefined, iso: string | null) => [name ?? 'someone', when(iso)].filter(Boolean).join(', ');

/** A file name people can read: lowercase words and dashes, never empty. */
export const fileName = (...parts: (string | number)[]) =>
  parts
    .map((p) => slugFromTitle(String(p)))
    .filter((p) => p !== '')
    .join('-') || 'document';

import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { audit } from '../audit/repo';
import { createAccessLink, revokeAccessLink } from '../auth/links';

/**
 * Links in messages. A body holds `{link}` (the message's own page) or `{link:/path}` (a digest
 * holds several). They become addresses only when the message goes out: a teammate gets the
 * page's address; an outsourcer, who may never have signed in, gets a personal link made for
 * that one email that opens the page (its secret is never stored, so it cannot be made earlier).
 */
const PLACEHOLDER = /\{link(?::(\/[\w/#-]*))?\}/g;

export function fillLinks(body: string, linkPath: string, toUrl: (path: string) => string): string {
  return body.replace(PLACEHOLDER, (_, path: string | undefined) => toUrl(path ?? linkPath));
}

/** User text (titles, reasons) placed in a body can never become a placeholder. */
export const plain = (text: string) => text.replace(/\{link/g, '{ link');

export const pageUrl = (baseUrl: string, path: string) => `${baseUrl}${path}`;

/** What the outbox shows where an outsourcer's personal link will go. */
export const outboxUrl = (baseUrl: string, level: string) => (path: string) =>
  level === 'outsourcer' ? `[personal link to ${path}, made when the email is sent]` : pageUrl(baseUrl, path);

/**
 * The body as it is emailed; for an outsourcer, with a personal link made now (recorded in the
 * audit log and tied to the message). `undo` revokes that link if the email could not be sent.
 */
export function bodyForSending(
  db: Db,
  message: { id: number; body: string; link_path: string; person_id: number },
  person: { access_level: string },
  baseUrl: string,
): { text: string; undo: () => void } {
  if (person.access_level !== 'outsourcer') {
    return { text: fillLinks(message.body, message.link_path, (path) => pageUrl(baseUrl, path)), undo: () => {} };
  }
  const link = db.transaction(() => {
    const made = createAccessLink(db, message.person_id, null);
    sql(db, 'UPDATE access_links SET notification_id = ? WHERE id = ?').run(message.id, made.id);
    audit(db, {
      action: 'link.created',
      actorId: null,
      subjectId: message.person_id,
      address: null,
      data: { link: made.id, notification: message.id },
    });
    return made;
  })();
  const text = fillLinks(message.body, message.link_path, (path) => `${baseUrl}/l/${link.token}?to=${encodeURIComponent(path)}`);
  return { text, undo: () => revokeAccessLink(db, link.id, message.person_id) };
}

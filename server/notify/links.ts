import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { audit } from '../audit/repo';
import { linkForEmail, revokeAccessLink, type LinkSettings } from '../auth/links';

/**
 * Links in messages. A body holds `{link}` (the message's own page) or `{link:/path}` (a digest
 * holds several). They become addresses only when the message goes out: a teammate gets the
 * page's address; an outsourcer, who may never have signed in, gets their personal link (the
 * one live link they have, reused by every email; see server/auth/links.ts) opening the page.
 */
const PLACEHOLDER = /\{link(?::(\/[\w/#-]*))?\}/g;

export function fillLinks(body: string, linkPath: string, toUrl: (path: string) => string): string {
  return body.replace(PLACEHOLDER, (_, path: string | undefined) => toUrl(path ?? linkPath));
}

/** User text (titles, reasons) placed in a body can never become a placeholder. */
export const plain = (text: string) => text.replace(/\{link/g, '{ link');

export const pageUrl = (baseUrl: string, path: string) => `${baseUrl}${path}`;

/** What the outbox shows where an outsourcer's personal link will go (never the secret itself). */
export const outboxUrl = (baseUrl: string, level: string) => (path: string) =>
  level === 'outsourcer' ? `[their personal link to ${path}, filled in when the email is sent]` : pageUrl(baseUrl, path);

/**
 * The body as it is emailed; for an outsourcer, with their personal link: the live one, or one
 * made now (recorded in the audit log and tied to the message) when they have none. `undo`
 * ends a link made for this email if the email could not be sent.
 */
export function bodyForSending(
  db: Db,
  message: { id: number; body: string; link_path: string; person_id: number },
  person: { access_level: string },
  site: { baseUrl: string; links: LinkSettings },
): { text: string; undo: () => void } {
  if (person.access_level !== 'outsourcer') {
    return { text: fillLinks(message.body, message.link_path, (path) => pageUrl(site.baseUrl, path)), undo: () => {} };
  }
  const link = db.transaction(() => {
    const found = linkForEmail(db, site.links, message.person_id);
    if (found.made) {
      sql(db, 'UPDATE access_links SET notification_id = ? WHERE id = ?').run(message.id, found.id);
      audit(db, {
        action: 'link.created',
        actorId: null,
        subjectId: message.person_id,
        address: null,
        data: { link: found.id, madeBy: null, notification: message.id },
      });
    }
    return found;
  })();
  const text = fillLinks(message.body, message.link_path, (path) => `${site.baseUrl}/l/${link.token}?to=${encodeURIComponent(path)}`);
  return { text, undo: link.made ? () => revokeAccessLink(db, link.id, message.person_id) : () => {} };
}

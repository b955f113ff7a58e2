import type { Db } from '../db/open';
import { sql } from '../db/statements';
import { audit } from '../audit/repo';
import { accessLinkSecret, invitationSecret, linkForEmail, liveAccessLinkOf, revokeAccessLink, type LinkSettings } from '../auth/links';
import { resetSecret } from '../auth/resets';

/**
 * Links in messages. A body holds `{link}` (the message's own page) or `{link:/path}` (a digest
 * holds several), and an invitation or a password reset holds `{invitation:ID}` or `{reset:ID}`.
 * They become addresses when the message is read in the outbox and when it goes out, so the
 * database holds no secret: a teammate gets the page's address; an outsourcer, who may never
 * have signed in, gets their personal link (the one live link they have, reused by every email;
 * see server/auth/links.ts) opening the page; an invitation or reset, its own link, made again
 * from its salt and the server's key while it is open.
 */
const PLACEHOLDER = /\{link(?::(\/[\w/#-]*))?\}|\{(invitation|reset):(\d+)\}/g;

export type SecretKind = 'invitation' | 'reset';

export function fillLinks(
  body: string,
  linkPath: string,
  toUrl: (path: string) => string,
  secretUrl: (kind: SecretKind, id: number) => string = () => '[link]',
): string {
  return body.replace(PLACEHOLDER, (_, path: string | undefined, kind: SecretKind | undefined, id: string | undefined) =>
    kind ? secretUrl(kind, Number(id)) : toUrl(path ?? linkPath),
  );
}

/** User text (titles, reasons) placed in a body can never become a placeholder. */
export const plain = (text: string) => text.replace(/\{(link|invitation|reset)/g, '{ $1');

export const pageUrl = (baseUrl: string, path: string) => `${baseUrl}${path}`;

export interface Site {
  baseUrl: string;
  links: LinkSettings;
}

/** An invitation's or a reset's working address while it is open; else what became of it. */
export const secretUrl = (db: Db, site: Site) => (kind: SecretKind, id: number) => {
  if (kind === 'invitation') {
    const token = invitationSecret(db, site.links.key, id);
    return token ? `${site.baseUrl}/invite/${token}` : '(this invitation was used, replaced by a newer one, or has expired)';
  }
  const token = resetSecret(db, site.links.key, id);
  return token ? `${site.baseUrl}/reset-password/${token}` : '(this link was used, replaced by a newer one, or has expired)';
};

const personalUrl = (site: Site, token: string) => (path: string) => `${site.baseUrl}/l/${token}?to=${encodeURIComponent(path)}`;

/** The person's live personal link, or one made now for message `messageId` (recorded in the audit log and tied to it). */
function personalLink(db: Db, site: Site, personId: number, messageId: number) {
  return db.transaction(() => {
    const found = linkForEmail(db, site.links, personId);
    if (found.made) {
      sql(db, 'UPDATE access_links SET notification_id = ? WHERE id = ?').run(messageId, found.id);
      audit(db, {
        action: 'link.created',
        actorId: null,
        subjectId: personId,
        address: null,
        data: { link: found.id, madeBy: null, notification: messageId },
      });
    }
    return found;
  })();
}

/**
 * The body as owners read it in the outbox: with working links, so that a message can be
 * forwarded by hand when no mail server is set up. An outsourcer's message still to go out
 * (waiting, kept for a digest, failed) carries their live personal link, made now when they
 * have none (as sending would); one that went out, the live link if there is one.
 */
export function bodyForOutbox(
  db: Db,
  message: { id: number; body: string; link_path: string; person_id: number; status: string },
  person: { access_level: string },
  site: Site,
): string {
  const secrets = secretUrl(db, site);
  if (person.access_level !== 'outsourcer')
    return fillLinks(message.body, message.link_path, (path) => pageUrl(site.baseUrl, path), secrets);
  let token: string | null;
  if (message.status === 'sent' || message.status === 'digested') {
    const live = liveAccessLinkOf(db, message.person_id);
    token = live ? accessLinkSecret(site.links, live) : null;
  } else {
    token = personalLink(db, site, message.person_id, message.id).token;
  }
  const toUrl = token ? personalUrl(site, token) : () => '(their personal link has ended: make a new one on their page)';
  return fillLinks(message.body, message.link_path, toUrl, secrets);
}

/**
 * The body as it is emailed; for an outsourcer, with their personal link: the live one, or one
 * made now (recorded in the audit log and tied to the message) when they have none. `undo`
 * ends a link made for this email if the email could not be sent.
 */
export function bodyForSending(
  db: Db,
  message: { id: number; body: string; link_path: string; person_id: number },
  person: { access_level: string },
  site: Site,
): { text: string; undo: () => void } {
  const secrets = secretUrl(db, site);
  if (person.access_level !== 'outsourcer') {
    return { text: fillLinks(message.body, message.link_path, (path) => pageUrl(site.baseUrl, path), secrets), undo: () => {} };
  }
  const link = personalLink(db, site, message.person_id, message.id);
  const text = fillLinks(message.body, message.link_path, personalUrl(site, link.token), secrets);
  return { text, undo: link.made ? () => revokeAccessLink(db, link.id, message.person_id) : () => {} };
}

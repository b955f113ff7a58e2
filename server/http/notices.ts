/** Messages after a change (POST, then redirect, then GET): a fixed set, never text from the URL. */
const NOTICES = {
  added: 'Added.',
  saved: 'Saved.',
  level: 'Access level changed.',
  deactivated: 'Deactivated: their sessions, API tokens and links have ended. Their open steps show as gaps.',
  reactivated: 'Reactivated. A password they set still works; links and API tokens that ended stay ended.',
  'link-revoked': 'Link revoked: anyone using it is signed out.',
  'calendar-stopped': 'Calendar link stopped: calendars using it no longer get updates.',
  'role-created': 'Role created. Add the people who fill it.',
  'member-added': 'Added to the role.',
  primary: 'Primary changed; the previous primary is now the first backup.',
  removed: 'Removed from the role.',
  'away-planned': 'Absence saved. While they are away, new steps of their roles go to the next backup.',
  'away-removed': 'Absence removed.',
  'handed-off': 'Handed off. Both people have been told.',
  offboarded: 'Offboarded: their steps are now here, and their access has ended.',
  'notify-saved': 'Email choice saved.',
  'webhook-added': 'Webhook added. Events from now on are sent to it; its deliveries show below.',
  'webhook-deleted': 'Webhook deleted, with its deliveries.',
  'delivery-retried': 'The delivery will be sent again within a few seconds.',
  'password-changed': 'Password changed. Your other sessions, personal links and API tokens have ended.',
  'signed-out-everywhere': 'Signed out everywhere: their sessions, personal links, API tokens and calendar address have ended.',
} as const;
export type Notice = keyof typeof NOTICES;

export const noticeFor = (value: unknown): string | undefined =>
  typeof value === 'string' && Object.hasOwn(NOTICES, value) ? NOTICES[value as Notice] : undefined;

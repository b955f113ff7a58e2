/**
 * Every error code the server sends, with its HTTP status(es) and what it means for a client.
 * AppError takes only these (the type checker refuses any other), and the README's table of
 * error codes is generated from this list (`npm run docs`; a test compares them), so the codes
 * clients may rely on and the documented ones cannot drift apart. A new code is a new row here.
 */
export const ERROR_CODES = {
  // The request itself
  'invalid-input': { status: [400], meaning: 'A field is missing or not valid; `field` names it and `message` says why' },
  'invalid-json': { status: [400], meaning: 'The body is not valid JSON' },
  'invalid-url': { status: [400], meaning: 'The address is not validly percent-encoded' },
  'invalid-request': { status: [400], meaning: 'The request could not be read' },
  'invalid-limit': { status: [400], meaning: 'A list’s `limit` is not a whole number from 1 to 200' },
  'invalid-cursor': {
    status: [400],
    meaning: 'A list’s `cursor` was not made by this server for this list and these filters (or it was changed)',
  },
  'request-aborted': { status: [400], meaning: 'The client stopped sending the body' },
  'body-too-large': { status: [413], meaning: 'The body is over the limit (JSON 100 kB, Markdown 512 kB, forms 1 MB)' },
  'unsupported-media-type': { status: [415], meaning: 'A runbook was not sent as Markdown (`Content-Type: text/markdown`)' },
  'unsupported-encoding': { status: [415], meaning: 'The body’s encoding or character set is not supported' },
  'confirm-required': { status: [400], meaning: 'A form needs its confirmation box ticked' },
  // Signing in and access
  'sign-in-required': { status: [401], meaning: 'No session and no token: sign in, or send `Authorization: Bearer <token>`' },
  'invalid-token': {
    status: [401],
    meaning: 'The Authorization header is malformed, or its token is unknown, revoked or its person inactive',
  },
  'sign-in-failed': { status: [401], meaning: 'Wrong email or password (which one is never said)' },
  'too-many-attempts': {
    status: [429],
    meaning:
      'Too many failed sign-ins, or requests for a new password, for this account or address; the `Retry-After` header says how many seconds to wait',
  },
  forbidden: { status: [403], meaning: 'Signed in, but the access level (or an API token, for token management) does not allow this' },
  'csrf-invalid': { status: [403], meaning: 'A browser session’s form or request lacked its CSRF token, or it was stale' },
  'setup-required': { status: [503], meaning: 'The server has no owner yet: every address answers this until the set-up link is used' },
  'link-expired': { status: [404], meaning: 'An invitation, personal link or password reset link expired, was used, or was revoked' },
  'weak-password': { status: [422], meaning: 'The password is too short, too long or too common' },
  'wrong-password': { status: [422], meaning: 'Changing a password needs the current one, and the one given is not it' },
  'already-has-account': { status: [409], meaning: 'Only an owner can invite again someone who already has a password' },
  'last-owner': { status: [409], meaning: 'The last active owner cannot be demoted or deactivated' },
  // Things that are not there
  'not-found': { status: [404], meaning: 'No such address or id, or one the caller may not see (the two answer alike)' },
  // Runbooks
  'invalid-slug': {
    status: [400, 422],
    meaning: 'A runbook address must be lowercase letters, digits and dashes (and not taken, when creating)',
  },
  'invalid-runbook': { status: [422], meaning: 'The Markdown has mistakes; `field` is `path:line` and `problems` lists each' },
  'invalid-search': { status: [400], meaning: 'The library search could not be understood; plain words always work' },
  'runbook-archived': { status: [409], meaning: 'Runs cannot start from an archived runbook' },
  'edit-conflict': { status: [409], meaning: 'Someone saved a newer version while the editor was open; the text typed is kept' },
  // Runs and steps
  'step-already-complete': { status: [409], meaning: 'Someone completed the step first; the body says who and when' },
  'step-skipped': { status: [409], meaning: 'The step was skipped; the body says who and when (reopen it first)' },
  'step-open': { status: [409], meaning: 'The step is open already (nothing to reopen)' },
  'step-required': { status: [422], meaning: 'Only optional steps can be skipped' },
  'checks-open': { status: [422], meaning: 'The step still has unticked checks; `openChecks` lists them' },
  'check-already-ticked': { status: [409], meaning: 'Someone ticked the check first; the body says who and when' },
  'check-not-ticked': { status: [409], meaning: 'The check is not ticked (nothing to untick)' },
  'run-complete': { status: [409], meaning: 'The run is complete and no longer changes' },
  'already-assigned': { status: [409], meaning: 'The step is assigned to that person already' },
  'step-not-needed': { status: [409], meaning: 'The step’s When: condition does not hold for this run, so it is not worked' },
  'step-awaiting-approval': {
    status: [409],
    meaning: 'The step was completed and waits for its Approval:; the body says who completed it',
  },
  'not-awaiting-approval': { status: [409], meaning: 'The step is not waiting for approval (nothing to approve or send back)' },
  'own-step': { status: [403], meaning: 'Whoever completed a step cannot approve it; someone else in the approving role must' },
  'step-not-waiting': { status: [409], meaning: 'The step is not waiting on anything (nothing to lift)' },
  'step-not-open': { status: [409], meaning: 'A step’s field can be changed only while the step is open' },
  // Run fields
  'unknown-field': { status: [422], meaning: 'The run (or its runbook) has no field of that name; `field` names it' },
  'invalid-field': {
    status: [422],
    meaning: 'A field’s value is not of its type (a number, an amount, a date, one of its choices…); `field` names it',
  },
  'field-required': { status: [422], meaning: 'A required field is empty; `field` names it' },
  'fields-missing': { status: [422], meaning: 'The step cannot be completed until the fields it fills are filled; `fields` lists them' },
  // People, roles, absences, hand-offs
  'email-taken': { status: [409], meaning: 'Another person has that email' },
  'role-exists': { status: [409], meaning: 'A role with that name exists' },
  'already-member': { status: [409], meaning: 'The person is in that role already' },
  'unknown-person': { status: [422], meaning: 'The person named in the body does not exist' },
  'unknown-role': { status: [422], meaning: 'The role named in the body does not exist' },
  'inactive-person': { status: [422], meaning: 'The person named is deactivated and cannot take steps' },
  'same-person': { status: [422], meaning: 'A hand-off needs someone other than the person handing off' },
  'person-away': { status: [422], meaning: 'The person is away (until `awayUntil`); choose someone who is here' },
  'bad-period': { status: [422], meaning: 'An absence ends before it starts, or in the past' },
  'away-overlap': { status: [409], meaning: 'The absence overlaps one already planned' },
  'handoff-changed': {
    status: [409],
    meaning:
      'The open steps changed since the preview; nothing moved (with `expect`: `steps` is the new list; with `since`: preview again)',
  },
  'nothing-to-hand-off': { status: [409], meaning: 'The person has no open steps (in that role) to hand off' },
  'period-too-long': { status: [422], meaning: 'A step-away simulation covers at most 366 days' },
  // Importing documents
  'document-too-large': { status: [413], meaning: 'The document to import is over the upload limit (2 MB)' },
  'empty-document': { status: [400, 422], meaning: 'The document to import has no text' },
  'unreadable-document': { status: [422], meaning: 'The document is not what its type says (a broken Word file, a binary)' },
  'not-a-directory': { status: [400], meaning: 'The command line was given a folder that does not exist (the CLI only)' },
  'changed-in-app': {
    status: [409],
    meaning: 'The runbook was changed in the app since the last import (`version` is that change); nothing was imported unless forced',
  },
  // Webhooks
  'webhook-url-invalid': { status: [422], meaning: 'A webhook `url` is not a web address, not https://, or holds a user name or password' },
  'webhook-url-unresolved': { status: [422], meaning: 'A webhook `url`’s host name does not resolve to an address' },
  'webhook-url-private': {
    status: [422],
    meaning: 'A webhook `url` resolves to a loopback, private or link-local address (allowed only with WEBHOOKS_ALLOW_PRIVATE=true)',
  },
  'too-many-webhooks': { status: [409], meaning: 'The workspace has the most webhooks it may have (50); delete one first' },
  // The server
  'not-saved': { status: [500], meaning: 'The change could not be written to the database; nothing changed, try again' },
  internal: { status: [500], meaning: 'A fault on the server (it is logged); nothing was changed' },
} as const satisfies Record<string, { status: readonly number[]; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

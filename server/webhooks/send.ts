import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Db } from '../db/open';
import { isPrivateAddress, PrivateAddressError, publicLookup } from './address';
import { dueDeliveries, holdDelivery, recordAttempt } from './repo';
import { SIGNATURE_HEADER, signature } from './sign';

/** Minutes to wait after each failed attempt; after the last, the delivery has failed. */
export const BACKOFF_MINUTES = [1, 5, 30, 120, 360, 720] as const;
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;
/** How long a receiver has to answer. */
export const SEND_TIMEOUT_MS = 10_000;
/** How much of an answer is kept to show the owner. */
const ANSWER_CHARS = 500;
/** Deliveries sent at once per sweep. */
const BATCH = 20;

export interface SendOptions {
  allowPrivate: boolean;
  now?: () => Date;
}

interface Answer {
  status: number | null;
  text: string;
}

/**
 * Sends every delivery whose time has come, each signed afresh (`t` is the send time, so a
 * retry passes a receiver's replay window). A 2xx answer delivers it; anything else (another
 * status, a timeout, a refused connection, an address that became private) is kept as the
 * last answer and tried again after BACKOFF_MINUTES, until MAX_ATTEMPTS. Redirects are not
 * followed. Returns how many were delivered and how many failed for good.
 */
export async function sendDueDeliveries(db: Db, options: SendOptions): Promise<{ delivered: number; failed: number; retrying: number }> {
  const now = options.now ?? (() => new Date());
  const due = dueDeliveries(db, now(), BATCH);
  // Held while in flight: a sweep that starts meanwhile does not send them again.
  const held = new Date(now().getTime() + SEND_TIMEOUT_MS * 3);
  for (const delivery of due) holdDelivery(db, delivery.id, held);
  const tally = { delivered: 0, failed: 0, retrying: 0 };
  await Promise.all(
    due.map(async (delivery) => {
      const answer = await post(delivery.url, delivery.secret, delivery.body, options.allowPrivate, now());
      const at = now();
      const ok = answer.status !== null && answer.status >= 200 && answer.status < 300;
      const attempts = delivery.attempts + 1;
      const wait = BACKOFF_MINUTES[attempts - 1];
      const status = ok ? 'delivered' : wait === undefined ? 'failed' : 'pending';
      recordAttempt(db, delivery.id, {
        status,
        at,
        httpStatus: answer.status,
        answer: answer.text,
        nextAt: status === 'pending' ? new Date(at.getTime() + (wait as number) * 60_000) : null,
      });
      tally[status === 'pending' ? 'retrying' : status] += 1;
    }),
  );
  return tally;
}

/** One signed POST; never throws: every failure becomes the answer shown to the owner. */
function post(target: string, secret: string, body: string, allowPrivate: boolean, at: Date): Promise<Answer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return resolve({ status: null, text: 'The address is not a URL' });
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // An address written as digits is connected to without a lookup: checked here instead.
    if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
      return resolve({ status: null, text: `Not sent: ${host} is a private, loopback or link-local address` });
    }
    if (!allowPrivate && url.protocol !== 'https:') return resolve({ status: null, text: 'Not sent: only https:// addresses are allowed' });
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Runbooks-Webhooks/1',
          [SIGNATURE_HEADER]: signature(secret, body, at),
        },
        timeout: SEND_TIMEOUT_MS,
        ...(allowPrivate ? {} : { lookup: publicLookup }),
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < ANSWER_CHARS) text += chunk;
        });
        const finish = () => resolve({ status: response.statusCode ?? null, text: text.slice(0, ANSWER_CHARS) });
        response.on('end', finish);
        response.on('error', finish);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`No answer within ${SEND_TIMEOUT_MS / 1000} seconds`)));
    request.on('error', (error) => {
      const text = error instanceof PrivateAddressError ? `Not sent: ${error.message}` : `Could not connect: ${error.message}`;
      resolve({ status: null, text: text.slice(0, ANSWER_CHARS) });
    });
    request.end(body);
  });
}

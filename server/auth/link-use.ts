import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/open';
import { audit } from '../audit/repo';

/**
 * Every change made through a personal link is written to the audit log, naming the link and
 * who made it: a link travels by email and chat, so what was done with it must be traceable.
 * Recorded as the answer is sent, and only for a change that was made (a status below 400),
 * inside the same batch as the change (server/db/group-commit.ts holds the answer until then).
 */
export function auditLinkUse(db: Db): RequestHandler {
  return (req, res, next) => {
    const link = req.actor?.link;
    if (!link || req.method === 'GET' || req.method === 'HEAD') return next();
    const actor = req.actor as NonNullable<typeof req.actor>;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode < 400) {
        audit(db, {
          action: 'link.used',
          actorId: actor.id,
          subjectId: actor.id,
          address: req.ip ?? null,
          data: { link: link.id, madeBy: link.createdBy, request: `${req.method} ${req.originalUrl.split('?')[0]}` },
        });
      }
      return end(...args);
    }) as Response['end'];
    next();
  };
}

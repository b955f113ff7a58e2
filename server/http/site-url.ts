import type { Request } from 'express';

/** The address people open: PUBLIC_URL if set, else what this request was sent to. */
export function siteUrl(req: Request, publicUrl: string | null): string {
  return publicUrl ?? `${req.protocol}://${req.get('host')}`;
}

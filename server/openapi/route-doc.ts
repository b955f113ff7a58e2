import type { z } from 'zod';

/** One route of the JSON API as the OpenAPI document describes it (the lists are routes-*.ts). */
export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Express declares it (`/api/runs/:id`). */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it, in the words of the access table. */
  access: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A body that is not JSON: its media type. */
  bodyType?: string;
  status?: number;
  answer?: z.ZodType;
  /** An answer that is not JSON: its media type. */
  answerType?: string;
  paged?: boolean;
}

/** Who may call a route, in the words of the access table. */
export const OWNERS = 'owners';
export const MANAGERS = 'owners and editors';
export const TEAM = 'owners, editors and members';
export const ANYONE = 'anyone signed in (each sees what their level allows)';
export const STEP = 'whoever may work the step (the assignee, owners and editors)';

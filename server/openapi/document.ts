import { z } from 'zod';
import { ROUTES, type RouteDoc } from './routes';
import { errorAnswer } from './responses';

/** Path parameters that are whole numbers; any other (a runbook's slug) is text. */
const NUMBERED = new Set(['id', 'position', 'index', 'number', 'personId', 'awayId', 'linkId', 'deliveryId']);

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12, as OpenAPI 3.1 takes it: what a client sends (`input`) or gets (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // Transforms (trimming, numbers read from a query string) are checked by the server; the
  // description says what may be sent.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function operation(route: RouteDoc): Json {
  const parameters: Json[] = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: NUMBERED.has(name as string) ? { type: 'integer', minimum: 1 } : { type: 'string' },
  }));
  if (route.query) {
    const query = jsonSchema(route.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  if (route.paged) {
    parameters.push(
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' }, description: 'from the previous page’s `next`' },
    );
  }
  const status = String(route.status ?? 200);
  const success: Json =
    status === '204'
      ? { description: 'Done; no body' }
      : {
          description: 'Success',
          content: route.answerType
            ? { [route.answerType]: { schema: { type: 'string' } } }
            : { 'application/json': { schema: route.answer ? jsonSchema(route.answer, 'output') : { type: 'object' } } },
        };
  return {
    tags: [route.tag],
    summary: route.summary,
    description: `Who may: ${route.access}.${route.paged ? ' Paged: follow `next` (also in the Link header).' : ''}`,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } }
      : route.bodyType
        ? { requestBody: { required: true, content: { [route.bodyType]: { schema: { type: 'string' } } } } }
        : {}),
    responses: {
      [status]: success,
      default: {
        description: 'An error: its `code` is one of the README’s error codes',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
    ...(route.path === '/healthz' ? { security: [] } : {}),
  };
}

/** The OpenAPI 3.1 description of the JSON API, made from ROUTES (built once: it never changes while the server runs). */
export function openApiDocument(baseUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const at = openApiPath(route.path);
    paths[at] = { ...(paths[at] ?? {}), [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Runbook manager API',
      version: '1',
      description:
        'JSON in and out. Sign in with `Authorization: Bearer <token>` (make a token on the Account page), or a browser session with its X-CSRF-Token. Errors answer `{ "error": { "code", "message", "field"? } }`.',
    },
    servers: [{ url: baseUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(errorAnswer, 'output') },
    },
  };
}

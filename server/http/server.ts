import http from 'node:http';
import type { Express } from 'express';

/**
 * The HTTP server for an Express app, with requests and responses made with Express's own
 * prototypes from the start.
 *
 * Express gives each request and response its prototypes (app.request, app.response) by
 * Object.setPrototypeOf, on every request. Changing a live object's prototype makes V8 drop
 * what it had learnt about that object's shape, so everything Node's HTTP code and every
 * middleware then does with it runs on slow paths: measured here, a plain Express hello-world
 * took 165 µs of CPU a request with the swap and 46 µs without. Built with those prototypes already,
 * the swap is a no-op (setting the prototype an object already has changes nothing), and
 * nothing else changes: the same app, the same middleware, the same objects.
 */
export function createServer(app: Express): http.Server {
  // Should a later Node make its constructors classes (they cannot be applied to an object),
  // serve the plain way: correct, only slower. Reflect.construct would work for both, but
  // measured here it lost the whole gain (completions went back from 5,600/s to 2,900/s).
  if (!isPlainFunction(http.IncomingMessage) || !isPlainFunction(http.ServerResponse)) return http.createServer(app);
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
    app,
  );
}

const isPlainFunction = (constructor: unknown) =>
  typeof constructor === 'function' && !/^class\b/.test(Function.prototype.toString.call(constructor));

import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Response } from 'express';
import { registerHelpers } from './helpers';

export const VIEWS_DIR = path.join(__dirname, '..', '..', 'views');

export interface Views {
  /** Renders `views/<view>.hbs` inside a layout and sends it. */
  render(res: Response, view: string, data?: Record<string, unknown>, options?: { status?: number; layout?: string }): void;
  /** Renders `views/<view>.hbs` alone, to a string (a fragment to cache or to send to a script). */
  fragment(view: string, data: Record<string, unknown>): string;
  /** Sends an already rendered body inside the layout. */
  send(res: Response, body: string, data?: Record<string, unknown>, options?: { status?: number; layout?: string }): void;
  /** An already rendered body inside the layout, as a string (a whole page to cache). */
  wrap(res: Response, body: string, data?: Record<string, unknown>, layout?: string): string;
}

const listTemplates = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
        .map((e) => path.join(e.parentPath, e.name))
    : [];

/**
 * Compiles every template once at start (a template error stops the start, not a request),
 * with its own Handlebars instance, strict about missing helpers and HTML-escaping by default.
 */
export function createViews(root = VIEWS_DIR): Views {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  const compile = (file: string) => {
    // hbs.compile() would wait for the first render to compile (and fail there); precompiling
    // here runs the whole compiler now, so a broken template stops the start with its name.
    try {
      const spec = hbs.precompile(fs.readFileSync(file, 'utf8'), { strict: false, knownHelpersOnly: false });
      return hbs.template(new Function(`return ${spec}`)());
    } catch (error) {
      throw new Error(`Template ${path.relative(root, file)}: ${(error as Error).message}`, { cause: error });
    }
  };
  for (const file of listTemplates(path.join(root, 'partials'))) {
    hbs.registerPartial(
      path
        .relative(path.join(root, 'partials'), file)
        .replace(/\.hbs$/, '')
        .split(path.sep)
        .join('/'),
      compile(file),
    );
  }
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of listTemplates(root)) {
    const name = path
      .relative(root, file)
      .replace(/\.hbs$/, '')
      .split(path.sep)
      .join('/');
    if (!name.startsWith('partials/')) templates.set(name, compile(file));
  }
  const template = (name: string) => {
    const found = templates.get(name);
    if (!found) throw new Error(`No template views/${name}.hbs`);
    return found;
  };

  const wrap: Views['wrap'] = (res, body, data = {}, layout = 'main') => template(`layouts/${layout}`)({ ...res.locals, ...data, body });
  const send: Views['send'] = (res, body, data = {}, options = {}) => {
    res
      .status(options.status ?? res.statusCode ?? 200)
      .type('html')
      .send(wrap(res, body, data, options.layout));
  };
  return {
    render(res, view, data = {}, options = {}) {
      send(res, template(view)({ ...res.locals, ...data }), data, options);
    },
    fragment: (view, data) => template(view)(data),
    send,
    wrap,
  };
}

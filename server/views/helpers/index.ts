import type Handlebars from 'handlebars';
import { eq } from './eq';
import { formatDate } from './format-date';
import { minutes } from './minutes';
import { plural } from './plural';
import { json } from './json';
import { highlight } from './highlight';
import { or } from './or';
import { concat } from './concat';
import { tally } from './tally';
import { includes } from './includes';

/** Every helper the templates may use, registered by name. One helper per file. */
export function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', eq);
  hbs.registerHelper('formatDate', formatDate);
  hbs.registerHelper('minutes', minutes);
  hbs.registerHelper('plural', plural);
  hbs.registerHelper('json', json);
  hbs.registerHelper('highlight', highlight);
  hbs.registerHelper('or', or);
  hbs.registerHelper('concat', concat);
  hbs.registerHelper('tally', tally);
  hbs.registerHelper('includes', includes);
}

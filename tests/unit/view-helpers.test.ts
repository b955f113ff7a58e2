import Handlebars from 'handlebars';
import { eq } from '../../server/views/helpers/eq';
import { formatDate } from '../../server/views/helpers/format-date';
import { highlight } from '../../server/views/helpers/highlight';
import { json } from '../../server/views/helpers/json';
import { minutes } from '../../server/views/helpers/minutes';
import { plural } from '../../server/views/helpers/plural';
import { or } from '../../server/views/helpers/or';
import { concat } from '../../server/views/helpers/concat';
import { includes } from '../../server/views/helpers/includes';
import { registerHelpers } from '../../server/views/helpers';

describe('eq', () => {
  test('is true only for strictly equal values', () => {
    expect(eq('open', 'open')).toBe(true);
    expect(eq(3, 3)).toBe(true);
    expect(eq(3, '3')).toBe(false);
    expect(eq(undefined, null)).toBe(false);
  });
});

describe('formatDate', () => {
  test('writes a timestamp as day, month, year and time', () => {
    expect(formatDate('2026-03-05T09:07:00')).toMatch(/^5 Mar 2026, 09:07$/);
  });
  test('writes the date alone when asked', () => {
    expect(formatDate('2026-03-05T09:07:00', 'date')).toBe('5 Mar 2026');
  });
  test('writes a calendar day as that day, whatever the time zone', () => {
    expect(formatDate('2026-12-24')).toBe('24 Dec 2026');
  });
  test('writes nothing for no date or a date that does not parse', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('soon')).toBe('');
  });
});

describe('or', () => {
  test('gives the first value that is set, skipping empty ones', () => {
    const options = {};
    expect(or('', undefined, 'default', options)).toBe('default');
    expect(or('typed', 'default', options)).toBe('typed');
    expect(or(null, options)).toBe('');
  });
});

describe('minutes', () => {
  test.each([
    [5, '5 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [125, '2 h 5 min'],
  ])('says %p minutes as %p', (value, said) => {
    expect(minutes(value)).toBe(said);
  });
  test('says nothing for no estimate', () => {
    expect(minutes(null)).toBe('');
    expect(minutes(0)).toBe('');
    expect(minutes(Number.NaN)).toBe('');
  });
});

describe('plural', () => {
  test('adds an s except for one', () => {
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(0, 'step')).toBe('0 steps');
    expect(plural(3, 'check')).toBe('3 checks');
  });
  test('counts anything that is not a number as zero', () => {
    expect(plural(undefined, 'step')).toBe('0 steps');
  });
});

describe('json', () => {
  test('gives JSON that cannot close the attribute it is written into', () => {
    const html = String(json({ title: '"><script>alert(1)</script>' }));
    expect(html).not.toContain('"');
    expect(html).not.toContain('<');
    const attribute = html
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=')
      .replace(/&#x60;/g, '`');
    expect(JSON.parse(attribute)).toEqual({ title: '"><script>alert(1)</script>' });
  });
});

describe('highlight', () => {
  test('escapes the text first, then turns the markers into <mark>', () => {
    expect(String(highlight('Use the \u0002postal\u0003 <b>scale</b>'))).toBe('Use the <mark>postal</mark> &lt;b&gt;scale&lt;/b&gt;');
  });
  test('closes a mark left open and drops a stray closing marker', () => {
    expect(String(highlight('a \u0003b \u0002c'))).toBe('a b <mark>c</mark>');
  });
  test('gives nothing for something that is not text', () => {
    expect(String(highlight(undefined))).toBe('');
  });
});

test('every helper file is registered by its name', () => {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  expect(Object.keys(hbs.helpers)).toEqual(expect.arrayContaining(['eq', 'formatDate', 'highlight', 'json', 'minutes', 'plural']));
  expect(hbs.compile('{{plural n "run"}} · {{minutes m}}')({ n: 2, m: 75 })).toBe('2 runs · 1 h 15 min');
});

describe('concat', () => {
  test('joins its parts, leaving out the options Handlebars passes last', () => {
    expect(concat('field-', 3, '-', 0, { hash: {} })).toBe('field-3-0');
    expect(concat('a', undefined, null, 'b', {})).toBe('ab');
  });
});

describe('includes', () => {
  test('finds a value in one sent string or in several', () => {
    expect(includes('3', 3)).toBe(true);
    expect(includes(['1', '3'], 3)).toBe(true);
    expect(includes(['1', '2'], 3)).toBe(false);
    expect(includes(undefined, 3)).toBe(false);
  });
});

import { ByteCache } from '../../server/db/byte-cache';

describe('a cache bounded by bytes', () => {
  test('never holds more than its budget: the least recently used entries go first', () => {
    const cache = new ByteCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recently used
    cache.set('c', 'C', 40);
    expect({ a: cache.get('a'), b: cache.get('b'), c: cache.get('c'), bytes: cache.bytes }).toEqual({
      a: 'A',
      b: undefined,
      c: 'C',
      bytes: 80,
    });
  });

  test('keeps nothing larger than the whole budget, and replacing an entry counts only its new size', () => {
    const cache = new ByteCache<string>(100);
    cache.set('a', 'A', 60);
    cache.set('huge', 'H', 101);
    expect({ huge: cache.get('huge'), a: cache.get('a'), bytes: cache.bytes }).toEqual({ huge: undefined, a: 'A', bytes: 60 });
    cache.set('a', 'A2', 10);
    expect({ a: cache.get('a'), bytes: cache.bytes, size: cache.size }).toEqual({ a: 'A2', bytes: 10, size: 1 });
  });

  test('holds no more entries than its limit, and empties', () => {
    const cache = new ByteCache<number>(1000, 2);
    for (let i = 0; i < 5; i++) cache.set(String(i), i, 1);
    expect({ size: cache.size, kept: [cache.get('3'), cache.get('4')] }).toEqual({ size: 2, kept: [3, 4] });
    cache.clear();
    expect({ size: cache.size, bytes: cache.bytes }).toEqual({ size: 0, bytes: 0 });
  });
});

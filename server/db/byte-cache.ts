/**
 * A cache bounded by the bytes it holds, not by its number of entries: a run page of a
 * 40-step run is a hundred times a tick's answer, so a count says nothing of memory. The least
 * recently used entries go first once `budget` is passed; an entry larger than the whole
 * budget is not kept at all.
 */
export class ByteCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private held = 0;

  constructor(
    readonly budget: number,
    /** Also at most this many entries (each costs its key and bookkeeping besides its bytes). */
    readonly maxEntries = Infinity,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Re-inserted, so that the map's order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.budget) return;
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.budget && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  /** The bytes held now. */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** What a string costs to keep: V8 stores it at one or two bytes a character; count two. */
export const stringBytes = (text: string) => 2 * text.length;

/** Bookkeeping per entry (its key, the entry object, the map's slot), counted with its bytes. */
export const ENTRY_OVERHEAD = 200;

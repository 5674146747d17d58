/**
 * A list of (key, seq) pairs kept sorted, for range look-ups on time fields (lastupdated, created, requested).
 * Insert and remove are a binary search plus one splice, cheap for the 50,000–100,000 rows the sandbox holds.
 */
export interface IndexEntry {
  key: number;
  seq: number;
}

function less(a: IndexEntry, key: number, seq: number): boolean {
  return a.key < key || (a.key === key && a.seq < seq);
}

export class SortedIndex {
  private readonly entries: IndexEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  private lowerBound(key: number, seq: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (less(this.entries[mid]!, key, seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Replaces the contents with these entries, sorted once (bulk load). */
  load(entries: IndexEntry[]): void {
    this.entries.length = 0;
    for (const e of entries) this.entries.push(e);
    this.entries.sort((a, b) => a.key - b.key || a.seq - b.seq);
  }

  insert(key: number, seq: number): void {
    const last = this.entries[this.entries.length - 1];
    if (!last || less(last, key, seq)) this.entries.push({ key, seq });
    else this.entries.splice(this.lowerBound(key, seq), 0, { key, seq });
  }

  remove(key: number, seq: number): void {
    const i = this.lowerBound(key, seq);
    const e = this.entries[i];
    if (e && e.key === key && e.seq === seq) this.entries.splice(i, 1);
  }

  move(oldKey: number, newKey: number, seq: number): void {
    if (oldKey === newKey) return;
    this.remove(oldKey, seq);
    this.insert(newKey, seq);
  }

  /** seqs with from <= key < to, in key order. */
  range(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(from, -Infinity); i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.key >= to) break;
      out.push(e.seq);
    }
    return out;
  }
}

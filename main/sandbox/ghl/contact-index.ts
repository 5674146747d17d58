/**
 * An in-memory index of one location's contacts, in the shape search reads them: arrays kept sorted by
 * (dateUpdated, id) and (dateAdded, id), and maps by email / phone / businessId. A page of a sorted scan
 * is a binary search plus a slice — no pass over all contacts per page.
 */

/** One contact as the index holds it. `item` is the search-result shape (without searchAfter), frozen. */
export interface IndexDoc {
  id: string;
  /** dateUpdated, epoch ms */
  updated: number;
  /** dateAdded, epoch ms */
  added: number;
  /** Lower-case primary email first, then additional emails. */
  emails: string[];
  phones: string[];
  businessId?: string;
  item: Readonly<Record<string, unknown>>;
}

export type SortField = 'dateUpdated' | 'dateAdded';
type KeyField = 'email' | 'phone' | 'businessId';

export function sortValue(doc: IndexDoc, field: SortField): number {
  return field === 'dateUpdated' ? doc.updated : doc.added;
}

/** Ascending order on (value, id). */
export function compareKey(av: number, aid: string, bv: number, bid: string): number {
  if (av !== bv) return av < bv ? -1 : 1;
  return aid < bid ? -1 : aid > bid ? 1 : 0;
}

export class ContactIndex {
  readonly docs = new Map<string, IndexDoc>();
  /** Bumped on every change; lets callers cache counts. */
  version = 0;
  private readonly sorted: Record<SortField, IndexDoc[]> = { dateUpdated: [], dateAdded: [] };
  private readonly keys: Record<KeyField, Map<string, Set<string>>> = { email: new Map(), phone: new Map(), businessId: new Map() };

  get size(): number {
    return this.docs.size;
  }

  /** Bulk load (seeding): one sort instead of n insertions. */
  load(docs: IndexDoc[]): void {
    for (const doc of docs) {
      this.docs.set(doc.id, doc);
      this.addKeys(doc);
    }
    for (const field of ['dateUpdated', 'dateAdded'] as const) {
      this.sorted[field] = [...this.docs.values()].sort((a, b) => compareKey(sortValue(a, field), a.id, sortValue(b, field), b.id));
    }
    this.version++;
  }

  put(doc: IndexDoc): void {
    this.remove(doc.id);
    this.docs.set(doc.id, doc);
    this.addKeys(doc);
    for (const field of ['dateUpdated', 'dateAdded'] as const) {
      const arr = this.sorted[field];
      arr.splice(this.lowerBound(field, sortValue(doc, field), doc.id), 0, doc);
    }
    this.version++;
  }

  remove(id: string): boolean {
    const old = this.docs.get(id);
    if (!old) return false;
    this.docs.delete(id);
    this.removeKeys(old);
    for (const field of ['dateUpdated', 'dateAdded'] as const) {
      const arr = this.sorted[field];
      const i = this.lowerBound(field, sortValue(old, field), old.id);
      if (arr[i]?.id === id) arr.splice(i, 1);
    }
    this.version++;
    return true;
  }

  /** The docs in ascending (field, id) order. Read-only view: do not mutate. */
  sortedBy(field: SortField): readonly IndexDoc[] {
    return this.sorted[field];
  }

  /** First position whose (value, id) is >= the given key. */
  lowerBound(field: SortField, value: number, id: string): number {
    const arr = this.sorted[field];
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = arr[mid] as IndexDoc;
      if (compareKey(sortValue(d, field), d.id, value, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose (value, id) is > the given key. */
  upperBound(field: SortField, value: number, id: string): number {
    const i = this.lowerBound(field, value, id);
    const d = this.sorted[field][i];
    return d && d.id === id && sortValue(d, field) === value ? i + 1 : i;
  }

  /** Docs whose email / phone / businessId equals `key` (emails lower-case). */
  lookup(field: KeyField, key: string): IndexDoc[] {
    const ids = this.keys[field].get(key);
    if (!ids) return [];
    const out: IndexDoc[] = [];
    for (const id of ids) {
      const d = this.docs.get(id);
      if (d) out.push(d);
    }
    return out;
  }

  private keyValues(doc: IndexDoc): Array<[KeyField, string]> {
    const out: Array<[KeyField, string]> = [];
    for (const e of doc.emails) out.push(['email', e]);
    for (const p of doc.phones) out.push(['phone', p]);
    if (doc.businessId) out.push(['businessId', doc.businessId]);
    return out;
  }

  private addKeys(doc: IndexDoc): void {
    for (const [field, key] of this.keyValues(doc)) {
      let set = this.keys[field].get(key);
      if (!set) this.keys[field].set(key, (set = new Set()));
      set.add(doc.id);
    }
  }

  private removeKeys(doc: IndexDoc): void {
    for (const [field, key] of this.keyValues(doc)) {
      const set = this.keys[field].get(key);
      if (!set) continue;
      set.delete(doc.id);
      if (set.size === 0) this.keys[field].delete(key);
    }
  }
}

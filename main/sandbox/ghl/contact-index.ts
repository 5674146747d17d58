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
  /** Cache: the search item's JSON incl. searchAfter, per sort field (filled by search on first use). */
  json?: Partial<Record<SortField, string>>;
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
  /** key → one id, or a Set when several contacts share it (most keys are unique: no Set per key). */
  private readonly keys: Record<KeyField, Map<string, string | Set<string>>> = {
    email: new Map(),
    phone: new Map(),
    businessId: new Map(),
  };

  get size(): number {
    return this.docs.size;
  }

  /** Bulk load (seeding): one sort instead of n insertions. */
  load(docs: IndexDoc[]): void {
    for (const doc of docs) {
      this.docs.set(doc.id, doc);
      this.addKeys(doc);
    }
    const byId = (a: IndexDoc, b: IndexDoc) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    this.sorted.dateUpdated = [...this.docs.values()].sort((a, b) => a.updated - b.updated || byId(a, b));
    this.sorted.dateAdded = [...this.docs.values()].sort((a, b) => a.added - b.added || byId(a, b));
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
    const hit = this.keys[field].get(key);
    if (hit === undefined) return [];
    const out: IndexDoc[] = [];
    for (const id of typeof hit === 'string' ? [hit] : hit) {
      const d = this.docs.get(id);
      if (d) out.push(d);
    }
    return out;
  }

  private addKey(field: KeyField, key: string, id: string): void {
    const map = this.keys[field];
    const hit = map.get(key);
    if (hit === undefined) map.set(key, id);
    else if (typeof hit === 'string') {
      if (hit !== id) map.set(key, new Set([hit, id]));
    } else hit.add(id);
  }

  private removeKey(field: KeyField, key: string, id: string): void {
    const map = this.keys[field];
    const hit = map.get(key);
    if (hit === undefined) return;
    if (typeof hit === 'string') {
      if (hit === id) map.delete(key);
      return;
    }
    hit.delete(id);
    if (hit.size === 1) map.set(key, hit.values().next().value as string);
  }

  private addKeys(doc: IndexDoc): void {
    for (const e of doc.emails) this.addKey('email', e, doc.id);
    for (const p of doc.phones) this.addKey('phone', p, doc.id);
    if (doc.businessId) this.addKey('businessId', doc.businessId, doc.id);
  }

  private removeKeys(doc: IndexDoc): void {
    for (const e of doc.emails) this.removeKey('email', e, doc.id);
    for (const p of doc.phones) this.removeKey('phone', p, doc.id);
    if (doc.businessId) this.removeKey('businessId', doc.businessId, doc.id);
  }
}

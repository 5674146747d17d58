/**
 * An in-memory EntitySide for engine unit tests: a tiny "remote system" with a change feed (a version counter),
 * optional lossy storage (e.g. truncation), and failure injection. It stands in for the port, not for any of our
 * HTTP clients; the integration tests run the real adapters against the sandboxes.
 */
import type { EntityKind, SystemId } from '../../preload/contract.js';
import type {
  CreateItem,
  CreateOutcomeUnknown,
  EntitySide,
  FetchResult,
  Fields,
  RemoveItem,
  SideRecord,
  UpdateItem,
  WriteResult,
} from '../../main/sync/engine/types.js';

export interface MemoryRecord {
  id: string;
  parentId?: string;
  fields: Fields;
  version: number;
  deleted?: boolean;
}

export class MemorySide implements EntitySide {
  readonly records = new Map<string, MemoryRecord>();
  private clock = 0;
  private nextId = 1;
  calls = { fetchChanged: 0, fetchAll: 0, getMany: 0, create: 0, update: 0, remove: 0, findCreated: 0 };
  /** How this "system" stores a value (e.g. truncation); identity by default. */
  store: (field: string, v: string | null) => string | null = (_f, v) => v;
  /** Fail writes for these ids / subjects. */
  failIds = new Set<string>();
  canCreate = true;
  /** How this "system"'s adapter normalizes a match key (the real adapters: lower-case email, E.164 phone). */
  matchKey: (field: 'email' | 'phone', v: string | null) => string | null = (_f, v) => v;

  constructor(
    readonly system: SystemId,
    readonly entity: EntityKind = 'contact',
    private readonly idPrefix: string = system,
  ) {}

  private toSide(r: MemoryRecord): SideRecord {
    const f = r.fields;
    return {
      id: r.id,
      parentId: r.parentId,
      fields: { ...f },
      label: [f.firstName, f.lastName].filter(Boolean).join(' ') || (f.title ?? r.id) || r.id,
      email: this.matchKey('email', f.email ?? null),
      phone: this.matchKey('phone', f.phone ?? null),
    };
  }

  /** A person edits the record in this system's UI. */
  edit(id: string, changes: Fields): void {
    const r = this.records.get(id);
    if (!r || r.deleted) throw new Error(`no record ${id}`);
    for (const [k, v] of Object.entries(changes)) r.fields[k] = this.store(k, v);
    r.version = ++this.clock;
  }

  add(fields: Fields, parentId?: string): string {
    const id = `${this.idPrefix}-${this.nextId++}`;
    const stored: Fields = {};
    for (const [k, v] of Object.entries(fields)) stored[k] = this.store(k, v);
    this.records.set(id, { id, parentId, fields: stored, version: ++this.clock });
    return id;
  }

  del(id: string): void {
    const r = this.records.get(id);
    if (r) {
      r.deleted = true;
      r.version = ++this.clock;
    }
  }

  live(): MemoryRecord[] {
    return [...this.records.values()].filter((r) => !r.deleted);
  }

  async fetchChanged(cursor: string | undefined): Promise<FetchResult> {
    this.calls.fetchChanged++;
    const since = Number(cursor ?? 0);
    return {
      records: this.live()
        .filter((r) => r.version > since)
        .map((r) => this.toSide(r)),
      rejected: [],
      complete: false,
      cursor: String(this.clock),
    };
  }

  async fetchAll(): Promise<FetchResult> {
    this.calls.fetchAll++;
    return {
      records: this.live().map((r) => this.toSide(r)),
      rejected: [],
      complete: true,
      cursor: String(this.clock),
    };
  }

  async getMany(ids: string[]): Promise<Map<string, SideRecord | null>> {
    this.calls.getMany++;
    return new Map(
      ids.map((id) => {
        const r = this.records.get(id);
        return [id, r && !r.deleted ? this.toSide(r) : null];
      }),
    );
  }

  async create(items: CreateItem[]): Promise<WriteResult[]> {
    this.calls.create++;
    return items.map((it) => {
      if (this.failIds.has(it.subject)) return { ok: false, error: new Error('refused') };
      const id = this.add(it.fields, it.parentId);
      return { ok: true, record: this.toSide(this.records.get(id)!) };
    });
  }

  async update(items: UpdateItem[]): Promise<WriteResult[]> {
    this.calls.update++;
    return items.map((it) => {
      const r = this.records.get(it.id);
      if (!r || r.deleted || this.failIds.has(it.id)) return { ok: false, error: new Error('not found or refused') };
      for (const [k, v] of Object.entries(it.changes)) r.fields[k] = this.store(k, v);
      r.version = ++this.clock;
      return { ok: true, record: this.toSide(r) };
    });
  }

  async remove(items: RemoveItem[]): Promise<WriteResult[]> {
    this.calls.remove++;
    return items.map((it) => {
      const r = this.records.get(it.id);
      if (!r) return { ok: false, error: new Error('not found') };
      const side = this.toSide(r);
      this.del(it.id);
      return { ok: true, record: side };
    });
  }

  async findCreated(item: CreateItem): Promise<SideRecord | CreateOutcomeUnknown | undefined> {
    this.calls.findCreated++;
    const email = item.fields.email;
    const hit = this.live().find(
      (r) =>
        (email && r.fields.email === email) ||
        (item.fields.title && r.fields.title === item.fields.title && r.parentId === item.parentId),
    );
    return hit ? this.toSide(hit) : undefined;
  }
}

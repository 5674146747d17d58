/**
 * The sandbox's in-memory "database": one table per record kind, each indexed by id and by insertion order
 * (seq = position), plus sorted indexes on the time fields that `where` ranges use. `version` moves on every
 * change so query results can be cached between pages.
 */
import { SortedIndex } from './sorted-index.js';
import { IdMaker } from './ids.js';
import type {
  BusinessUnit,
  ClientNoteRecord,
  ClientRecord,
  ContactRecord,
  LastUpdateRow,
  LastUpdateZone,
  TaskNoteRecord,
  TaskRecord,
  TaskType,
} from './types.js';

export class Table<R extends { seq: number }> {
  readonly rows: R[] = [];
  private readonly byIdMap = new Map<string, R>();
  readonly indexes = new Map<string, { index: SortedIndex; key: (r: R) => number }>();

  constructor(
    private readonly idOf: (r: R) => string,
    indexes: Record<string, (r: R) => number> = {},
  ) {
    for (const [name, key] of Object.entries(indexes)) this.indexes.set(name, { index: new SortedIndex(), key });
  }

  get size(): number {
    return this.rows.length;
  }

  get(id: string): R | undefined {
    return this.byIdMap.get(id);
  }

  /** Adds the row; its seq is set to its position. */
  add(row: R): R {
    row.seq = this.rows.length;
    this.rows.push(row);
    this.byIdMap.set(this.idOf(row), row);
    for (const { index, key } of this.indexes.values()) index.insert(key(row), row.seq);
    return row;
  }

  /** Adds many rows and builds the sorted indexes once (world loading). */
  addAll(rows: R[]): void {
    for (const row of rows) {
      row.seq = this.rows.length;
      this.rows.push(row);
      this.byIdMap.set(this.idOf(row), row);
    }
    for (const { index, key } of this.indexes.values()) index.load(this.rows.map((r) => ({ key: key(r), seq: r.seq })));
  }

  /** Changes a row in place, keeping the sorted indexes right. */
  update(row: R, mutate: (r: R) => void): void {
    const before = [...this.indexes.values()].map(({ key }) => key(row));
    mutate(row);
    let i = 0;
    for (const { index, key } of this.indexes.values()) index.move(before[i++]!, key(row), row.seq);
  }

  index(name: string): SortedIndex | undefined {
    return this.indexes.get(name)?.index;
  }
}

export class ArofloDb {
  /** Moves on every change (query caches key on it). */
  version = 0;
  readonly ids: IdMaker;
  nextJobNumber = 1001;

  readonly businessUnits: BusinessUnit[] = [];
  readonly taskTypes: TaskType[] = [];

  readonly clients = new Table<ClientRecord>((r) => r.clientid, {
    lastupdate: (r) => r.lastupdateMs,
    created: (r) => r.createdMs,
  });
  readonly contacts = new Table<ContactRecord>((r) => r.userid, { created: (r) => r.createdMs });
  readonly tasks = new Table<TaskRecord>((r) => r.taskid, {
    lastupdated: (r) => r.lastupdatedMs,
    requested: (r) => r.requestedMs,
    created: (r) => r.createdMs,
  });
  readonly taskNotes = new Table<TaskNoteRecord>((r) => r.noteid);
  readonly clientNotes = new Table<ClientNoteRecord>((r) => r.noteid, { created: (r) => r.postedMs });
  readonly lastupdate = new Table<LastUpdateRow>((r) => `${r.zonename}:${r.zoneid}`, {
    lastupdate: (r) => r.lastupdateMs,
  });

  /** lower-cased, trimmed client name → clientid (duplicate check, error 209). */
  readonly clientNames = new Map<string, string>();
  /** clientid → client note ids. */
  readonly clientNoteIds = new Map<string, string[]>();

  constructor(readonly seed: number) {
    this.ids = new IdMaker(seed);
  }

  static nameKey(name: string): string {
    return name.trim().toLowerCase();
  }

  businessUnit(orgid: string): BusinessUnit | undefined {
    return this.businessUnits.find((b) => b.orgid === orgid);
  }

  taskType(tasktypeid: string): TaskType | undefined {
    return this.taskTypes.find((t) => t.tasktypeid === tasktypeid);
  }

  /** Record that a record changed at `ms` in the lastupdate feed (one row per record, moved forward). */
  feed(zonename: LastUpdateZone, zoneid: string, ms: number): void {
    const ref = zonename === 'clients' ? 'clientid' : zonename === 'tasks' ? 'taskid' : 'userid';
    const row = this.lastupdate.get(`${zonename}:${zoneid}`);
    if (row) this.lastupdate.update(row, (r) => (r.lastupdateMs = Math.max(r.lastupdateMs, ms)));
    else this.lastupdate.add({ seq: 0, zoneid, zonename, zoneidreference: ref, lastupdateMs: ms, isdeleted: 0 });
    this.version++;
  }
}

/**
 * Numbered schema steps. Each runs in a transaction and moves PRAGMA user_version to its number.
 * Never edit a step that has shipped: add a new one.
 */
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Data moves that SQL alone cannot express, run after `sql` in the same transaction. */
  up?: (db: Db) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'first schema: links, base snapshots, cursors, conflicts, runs, audit, outbox, quarantine, activity, logs, mirror, meta',
    sql: `
      -- The ID map: one row per linked pair of records.
      CREATE TABLE links (
        id            INTEGER PRIMARY KEY,
        pair          TEXT NOT NULL,               -- 'ghl-aroflo' | 'ghl-aimfox'
        entity        TEXT NOT NULL,               -- contact | task | note | business | label | rule_task
        ghl_id        TEXT,                        -- id in GHL (null until created there)
        other_id      TEXT,                        -- id in AroFlo / Aimfox (null until created there)
        ghl_parent    TEXT,                        -- e.g. the GHL contact of a task or note
        other_parent  TEXT,                        -- e.g. the AroFlo client of a contact, the task of a task note
        other_kind    TEXT,                        -- AroFlo: 'client' | 'contact' | 'tasknote' | 'clientnote'
        label         TEXT NOT NULL DEFAULT '',    -- what people call it (a name, a task title)
        state         TEXT NOT NULL DEFAULT 'active', -- active | unlinked | deleted | quarantined
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX links_ghl ON links(pair, entity, ghl_id) WHERE ghl_id IS NOT NULL AND state != 'unlinked';
      CREATE UNIQUE INDEX links_other ON links(pair, entity, other_id) WHERE other_id IS NOT NULL AND state != 'unlinked';
      CREATE INDEX links_ghl_parent ON links(pair, ghl_parent);
      CREATE INDEX links_other_parent ON links(pair, other_parent);

      -- The last-synced value of every mapped field, per side (what each side held when we last agreed).
      CREATE TABLE base_snapshots (
        link_id     INTEGER PRIMARY KEY REFERENCES links(id) ON DELETE CASCADE,
        ghl         TEXT NOT NULL,                 -- JSON: field -> normalized value, as GHL holds it
        other       TEXT NOT NULL,                 -- JSON: field -> normalized value, as the other side holds it
        run_id      TEXT,
        synced_at   INTEGER NOT NULL
      );

      -- Change-feed positions per API.
      CREATE TABLE cursors (
        system      TEXT NOT NULL,
        name        TEXT NOT NULL,
        value       TEXT NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (system, name)
      );

      -- Conflicts and possible duplicates waiting for a person.
      CREATE TABLE conflicts (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,                -- conflict | duplicate
        pair         TEXT NOT NULL,
        entity       TEXT NOT NULL,
        system       TEXT NOT NULL,                -- the non-GHL system involved
        link_id      INTEGER REFERENCES links(id) ON DELETE SET NULL,
        subject      TEXT NOT NULL,                -- stable key: one open item per subject
        label        TEXT NOT NULL,
        diffs        TEXT NOT NULL DEFAULT '[]',   -- JSON FieldDiff[] (base, ghl, other) — the losing value is kept here
        candidates   TEXT,                         -- JSON DuplicateCandidate[]
        status       TEXT NOT NULL DEFAULT 'open', -- open | resolved | dismissed
        resolution   TEXT,                         -- JSON of what the person chose
        run_id       TEXT,
        created_at   INTEGER NOT NULL,
        resolved_at  INTEGER
      );
      CREATE UNIQUE INDEX conflicts_open_subject ON conflicts(subject) WHERE status = 'open';
      CREATE INDEX conflicts_status ON conflicts(status, created_at);

      -- Sync runs.
      CREATE TABLE runs (
        id           TEXT PRIMARY KEY,
        trigger      TEXT NOT NULL,
        dry_run      INTEGER NOT NULL,
        status       TEXT NOT NULL,
        started_at   INTEGER NOT NULL,
        finished_at  INTEGER,
        summary      TEXT,                         -- JSON RunSummary counts
        message      TEXT,
        plan         TEXT                          -- JSON plan (previews, guard stops)
      );
      CREATE INDEX runs_started ON runs(started_at);

      -- Every write we made, field by field: the basis of the audit export and of undo.
      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        run_id      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        system      TEXT NOT NULL,                 -- where we wrote
        entity      TEXT NOT NULL,
        record_id   TEXT,
        link_id     INTEGER,
        action      TEXT NOT NULL,                 -- create | update | delete | archive | link | unlink
        field       TEXT,
        before      TEXT,
        after       TEXT,
        undone_by   TEXT
      );
      CREATE INDEX audit_run ON audit(run_id);

      -- Intent log: a write is recorded before it is sent and confirmed after, so a crash never makes a twin.
      CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        run_id      TEXT NOT NULL,
        pair        TEXT NOT NULL,
        entity      TEXT NOT NULL,
        system      TEXT NOT NULL,                 -- target system
        action      TEXT NOT NULL,                 -- create | update | delete | archive
        link_id     INTEGER,
        subject     TEXT NOT NULL,                 -- what it is about (stable key)
        payload     TEXT NOT NULL,                 -- JSON of the intended write + how to find the result again
        state       TEXT NOT NULL,                 -- pending | confirmed | failed | abandoned
        result_id   TEXT,
        error       TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX outbox_state ON outbox(state);

      -- Records that failed validation or were refused, shown to the user, retried when they change.
      CREATE TABLE quarantine (
        id          INTEGER PRIMARY KEY,
        system      TEXT NOT NULL,
        entity      TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        reason      TEXT NOT NULL,
        raw         TEXT,
        run_id      TEXT,
        at          INTEGER NOT NULL,
        UNIQUE(system, entity, record_id)
      );

      -- The unified activity timeline (sync events, appointments read from GHL, runs).
      CREATE TABLE activity (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        system      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        action      TEXT NOT NULL,
        summary     TEXT NOT NULL,
        run_id      TEXT,
        ref         TEXT,                          -- de-duplication key for things read from a feed
        UNIQUE(ref)
      );
      CREATE INDEX activity_at ON activity(at);

      -- Application log (redacted), for the Logs screen and diagnostics.
      CREATE TABLE logs (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        level     TEXT NOT NULL,
        message   TEXT NOT NULL,
        context   TEXT
      );
      CREATE INDEX logs_at ON logs(at);

      -- What each side held when we last read it (per pair, entity and system): first-link matching on
      -- incremental runs, and the "current" value of a side that did not report a change.
      CREATE TABLE mirror (
        scope      TEXT NOT NULL,                  -- '<pair>:<entity>:<system>'
        id         TEXT NOT NULL,
        parent_id  TEXT,
        kind       TEXT,
        label      TEXT NOT NULL,
        fields     TEXT NOT NULL,
        email      TEXT,
        phone      TEXT,
        alt_key    TEXT,
        seen_at    INTEGER NOT NULL,
        PRIMARY KEY (scope, id)
      );
      CREATE INDEX mirror_email ON mirror(scope, email) WHERE email IS NOT NULL;
      CREATE INDEX mirror_phone ON mirror(scope, phone) WHERE phone IS NOT NULL;
      CREATE INDEX mirror_alt ON mirror(scope, alt_key) WHERE alt_key IS NOT NULL;

      -- Small key/value state: mapping fingerprints, approvals.
      CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'feed state in real tables: feed_echo, feed_reread, feed_counter, keep_apart, rule_state, rule_seen (moved out of meta and baseline links)',
    sql: `
      -- Records a run wrote, with the change stamp (ms) the system gave them: the next run reads that stamp as our own echo.
      CREATE TABLE feed_echo (
        system     TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        stamp      INTEGER NOT NULL,
        run_id     TEXT NOT NULL,
        PRIMARY KEY (system, record_id)
      );
      -- Parents (HighLevel contacts) whose children a pair wrote: the next run re-reads their tasks/notes.
      CREATE TABLE feed_reread (
        seq        INTEGER PRIMARY KEY,
        system     TEXT NOT NULL,
        parent_id  TEXT NOT NULL,
        pair       TEXT NOT NULL DEFAULT '',       -- '' = any pair (entries from level 1)
        kind       TEXT NOT NULL DEFAULT '',       -- 'task' | 'note' | '' = any
        run_id     TEXT NOT NULL,
        UNIQUE (system, parent_id, pair, kind)
      );
      -- Counters kept between runs and processes: runs_since_full.
      CREATE TABLE feed_counter (
        name   TEXT PRIMARY KEY,
        value  INTEGER NOT NULL
      );
      -- Records a person said are different: never offered as a match again.
      CREATE TABLE keep_apart (
        pair    TEXT NOT NULL,
        entity  TEXT NOT NULL,
        a_id    TEXT NOT NULL,                     -- the HighLevel record
        b_id    TEXT NOT NULL,                     -- the other system's record
        PRIMARY KEY (pair, entity, a_id, b_id)
      );
      -- A rule's baseline: when it was first used, and what was there then (never turned into tasks).
      CREATE TABLE rule_state (
        rule         TEXT PRIMARY KEY,
        baseline_at  TEXT NOT NULL
      );
      CREATE TABLE rule_seen (
        rule      TEXT NOT NULL,
        other_id  TEXT NOT NULL,
        PRIMARY KEY (rule, other_id)
      );
    `,
    up: moveFeedStateOutOfMeta,
  },
  {
    version: 3,
    name: 'the daily budget ledger (calls per API per budget-day) and the rolling re-read positions',
    sql: `
      -- Requests each API answered per budget-day (its own reset: main/sync/budget/declared.ts), from every process on
      -- the profile: the app, serve mode and each CLI command add what they spent.
      CREATE TABLE budget_ledger (
        api           TEXT NOT NULL,
        day           TEXT NOT NULL,
        calls         INTEGER NOT NULL DEFAULT 0,
        run_calls     INTEGER NOT NULL DEFAULT 0,   -- of calls, those sync runs made
        reread_calls  INTEGER NOT NULL DEFAULT 0,   -- of those, the re-reads' (full runs and slices)
        runs          INTEGER NOT NULL DEFAULT 0,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (api, day)
      );
      -- Where each entity's rolling re-read stands: the last link id re-checked, and when the current lap began.
      CREATE TABLE reread_position (
        name            TEXT PRIMARY KEY,
        after_id        INTEGER NOT NULL DEFAULT 0,
        lap_started_at  INTEGER NOT NULL,
        last_lap_ms     INTEGER,
        last_at         INTEGER,
        updated_at      INTEGER NOT NULL
      );
    `,
  },
];

/** Level 1 kept feed state as JSON under `meta` keys and the rule's baseline as retired links: move them to their tables. */
function moveFeedStateOutOfMeta(db: Db): void {
  const meta = (key: string) =>
    (db.prepare(`select value from meta where key = ?`).get(key) as { value: string } | undefined)?.value;
  const json = <T>(key: string, fallback: T): T => {
    try {
      return (JSON.parse(meta(key) ?? 'null') as T | null) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const echo = db.prepare(
    `insert or ignore into feed_echo(system, record_id, stamp, run_id) values ('ghl', ?, ?, 'level-1')`,
  );
  for (const [id, ms] of Object.entries(json<Record<string, unknown>>('ghl:written-contacts', {})))
    if (typeof ms === 'number') echo.run(id, ms);
  const reread = db.prepare(
    `insert or ignore into feed_reread(system, parent_id, pair, kind, run_id) values ('ghl', ?, ?, ?, 'level-1')`,
  );
  for (const s of json<unknown[]>('ghl:touched-contacts', [])) {
    if (typeof s !== 'string') continue;
    // "pair|kind|contactId", or just the contact id.
    const [pair, kind, id] = s.split('|');
    if (id && pair && (kind === 'task' || kind === 'note')) reread.run(id, pair, kind);
    else reread.run(s, '', '');
  }
  // `apart:<pair>:<entity>:<a>|<b>`: split at the third ':', then at the first '|' (AroFlo ids hold ':' but never '|').
  const apart = db.prepare(`insert or ignore into keep_apart(pair, entity, a_id, b_id) values (?, ?, ?, ?)`);
  for (const { key } of db.prepare(`select key from meta where key like 'apart:%'`).all() as Array<{ key: string }>) {
    const m = /^apart:([^:]+):([^:]+):([^|]*)\|(.*)$/.exec(key);
    if (m) apart.run(m[1], m[2], m[3], m[4]);
  }
  const baseline = meta('rule:note-to-task:baseline');
  if (baseline) db.prepare(`insert into rule_state(rule, baseline_at) values ('rule_task', ?)`).run(baseline);
  db.prepare(
    `insert or ignore into rule_seen(rule, other_id) select 'rule_task', other_id from links where entity = 'rule_task' and other_kind = 'baseline' and other_id is not null`,
  ).run();
  db.prepare(`delete from links where entity = 'rule_task' and other_kind = 'baseline'`).run();
  db.prepare(
    `delete from meta where key in ('ghl:written-contacts', 'ghl:touched-contacts', 'rule:note-to-task:baseline') or key like 'apart:%'`,
  ).run();
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

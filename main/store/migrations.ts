/**
 * Numbered schema steps. Each runs in a transaction and moves PRAGMA user_version to its number.
 * Never edit a step that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
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
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

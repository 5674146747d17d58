/**
 * The profile's store on SQLite (better-sqlite3): one repository per kind of data, each in its own file here.
 */
import type { Db } from '../db.js';
import type { Store } from '../repositories.js';
import { sqliteActivity } from './activity.js';
import { sqliteApart } from './apart.js';
import { sqliteAudit } from './audit.js';
import { sqliteBases } from './bases.js';
import { sqliteBudget } from './budget.js';
import { sqliteCommit } from './commit.js';
import { sqliteConflicts } from './conflicts.js';
import { sqliteFeeds } from './feeds.js';
import { sqliteLinks } from './links.js';
import { sqliteLogs } from './logs.js';
import { sqliteMeta } from './meta.js';
import { sqliteMirror } from './mirror.js';
import { sqliteOutbox } from './outbox.js';
import { sqliteQuarantine } from './quarantine.js';
import { sqliteRules } from './rules.js';
import { sqliteRuns } from './runs.js';
import { sqliteStats } from './stats.js';

export function openSqliteStore(db: Db, now: () => number = Date.now): Store {
  const ctx = { db, now };
  const parts = {
    links: sqliteLinks(ctx),
    bases: sqliteBases(ctx),
    outbox: sqliteOutbox(ctx),
    conflicts: sqliteConflicts(ctx),
    audit: sqliteAudit(ctx),
    runs: sqliteRuns(ctx),
    mirror: sqliteMirror(ctx),
    feeds: sqliteFeeds(ctx),
    rules: sqliteRules(ctx),
    apart: sqliteApart(ctx),
    activity: sqliteActivity(ctx),
    quarantine: sqliteQuarantine(ctx),
    logs: sqliteLogs(ctx),
    stats: sqliteStats(ctx),
    meta: sqliteMeta(ctx),
    budget: sqliteBudget(ctx),
  };
  return { ...parts, commit: sqliteCommit(ctx, parts) };
}

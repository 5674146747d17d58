/**
 * Scenarios 1–3 on one seeded world: a fresh profile wired to the sandboxes (in a child process, with the real
 * rate limits time-scaled by one factor for all), then
 *   preview (the dry run a new user must review) → initial full sync → a settling cycle (what the initial sync
 *   carries across pairs, e.g. AroFlo notes that reached HighLevel and now go on to Aimfox) → an idle cycle →
 *   1 % of records edited on each side → an incremental cycle.
 * Each cycle's calls (sandbox stats) are set against the minimum the data allows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createService, type Service } from '../../main/service/index.js';
import { wireToSandboxes } from '../../main/cli/demo.js';
import { throwawayVaultKey, type Sandboxes } from '../../main/sandbox/index.js';
import { DEFAULT_BATCH } from '../../main/connectors/aroflo/writer.js';
import { Admin, APIS, type Api } from './admin.js';
import { startRemoteSandboxes, type ChildHello } from './sandbox-child.js';
import { measure, measureRun, type RunFigures } from './measure-run.js';
import { totals, writeTerms, type AuditRow, type Term } from './minimum.js';
import {
  freshReadTerms,
  fullReadTerms,
  idleReadTerms,
  incrementalReadTerms,
  previewReadTerms,
  settleReadTerms,
  type FeedBacklog,
} from './read-terms.js';
import { parseFeedCursor } from '../../main/sync/sides/aroflo.js';
import { auditRows, countData, type DataCounts } from './world-data.js';
import { editOnePercent, type EditCounts } from './edits.js';

export const AIMFOX_BULK = 100;

export interface Cycle {
  figures: RunFigures;
  terms: Term[];
  minimum: Record<Api, number>;
}

export interface WorldReport {
  contacts: number;
  seed: number;
  scale: number;
  setupMs: number;
  before: DataCounts;
  afterInitial: DataCounts;
  preview: Cycle;
  initial: Cycle;
  settle: Cycle;
  idle: Cycle;
  edits: EditCounts;
  incremental: Cycle;
  arofloDailyUsed: number;
  arofloDailyLimit: number;
  /** Entities synced on each system (one change-feed cursor each): the idle target's "one call per entity". */
  entities: Record<Api, number>;
  /** Warnings and errors the service logged (what a person would see on the Logs screen), first few. */
  problems: string[];
}

/** wireToSandboxes reads only base URLs and credentials: the child's hello carries both. */
const asBoxes = (h: ChildHello): Sandboxes =>
  ({
    ghl: { baseUrl: h.ghl.baseUrl, credentials: h.ghl.credentials },
    aroflo: { baseUrl: h.aroflo.baseUrl, credentials: h.aroflo.credentials },
    aimfox: { baseUrl: h.aimfox.baseUrl, credentials: h.aimfox.credentials },
  }) as unknown as Sandboxes;

const activityTerm = (contactsRead: number): Term[] =>
  contactsRead
    ? [
        {
          api: 'ghl',
          what: 'activity feed: appointments of recently changed contacts (not sync)',
          calls: Math.min(20, contactsRead),
          formula: `min(20, ${contactsRead})`,
        },
      ]
    : [];

const cycle = (figures: RunFigures, terms: Term[]): Cycle => ({ figures, terms, minimum: totals(terms) });

export async function runWorld(opts: {
  contacts: number;
  seed: number;
  scale: number;
  latencyMs: number;
  log: (s: string) => void;
}): Promise<WorldReport> {
  const { contacts, seed, scale, log } = opts;
  const t0 = performance.now();
  const remote = await startRemoteSandboxes({ seed, contacts, scale, latencyMs: opts.latencyMs / scale });
  const admin = new Admin(remote.hello);
  const profileDir = mkdtempSync(join(tmpdir(), 'ghlb-bench-'));
  const svc = await createService({ profileDir, env: { GHL_BRIDGE_VAULT_KEY: throwawayVaultKey() } });
  try {
    await wireToSandboxes(svc, asBoxes(remote.hello), { rateScale: scale });
    const setupMs = performance.now() - t0;
    const before = await countData(admin, remote.hello.ghl.credentials.linkedinFieldId);
    const batch = { aroflo: DEFAULT_BATCH.batchSize, aimfoxBulk: AIMFOX_BULK };
    log(
      `  ${contacts} people: sandboxes up in ${(setupMs / 1000).toFixed(1)} s (GHL ${before.ghlContacts} contacts, AroFlo ${before.arofloClients} clients / ${before.arofloContacts} contacts / ${before.arofloTasks} tasks, Aimfox ${before.aimfoxLeads} leads)`,
    );

    const preview = await measure(svc, admin, scale, 'preview', async () => {
      for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) await svc.api.previewMapping({ pair });
      return undefined;
    });
    log(`  preview (dry run, both pairs): ${fmtRun(preview)}`);
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) await svc.api.setSyncEnabled({ pair, enabled: true });

    const initial = await measureRun(svc, admin, scale, 'initial', { full: true });
    const initialRows = auditRows(svc.db, initial.summary!.id);
    log(`  initial sync: ${fmtRun(initial)}`);
    const afterInitial = await countData(admin, remote.hello.ghl.credentials.linkedinFieldId);
    const carried = crossPairNoteContacts(svc);
    const noteClients = new Map(
      (await admin.call<Array<{ noteid: string; clientid: string }>>('aroflo', 'GET', '/clientnotes')).map((n) => [
        n.noteid,
        n.clientid,
      ]),
    );

    // Each later cycle starts as the app's timer would, at least a minute after the last (in real time: AroFlo's
    // change feed stamps whole seconds, so rows newer than a few seconds are read again by design).
    await timerGap();
    const settleFeed = await feedBacklog(admin, svc);
    const settle = await measureRun(svc, admin, scale, 'settle', { full: false });
    log(`  settling cycle: ${fmtRun(settle)}`);
    await timerGap();
    const idleFeed = await feedBacklog(admin, svc);
    const idle = await measureRun(svc, admin, scale, 'idle', { full: false });
    log(`  idle cycle: ${fmtRun(idle)}`);

    await timerGap();
    const edits = await editOnePercent(admin, svc.sync.store);
    const incFeed = await feedBacklog(admin, svc);
    const incremental = await measureRun(svc, admin, scale, 'incremental', { full: false });
    const incRows = auditRows(svc.db, incremental.summary!.id);
    log(
      `  incremental cycle (${edits.ghlContacts + edits.ghlTags + edits.ghlTasks} edits in HighLevel, ${edits.arofloPeople + edits.arofloTasks} in AroFlo): ${fmtRun(incremental)}`,
    );
    const end = await countData(admin, remote.hello.ghl.credentials.linkedinFieldId);

    const seen = { ghlContacts: new Set(edits.ghlContactsTouched), arofloClients: new Set(edits.arofloClientsTouched) };
    return {
      contacts,
      seed,
      scale,
      setupMs,
      before,
      afterInitial,
      preview: cycle(preview, previewReadTerms(before)),
      initial: cycle(initial, [
        ...fullReadTerms(before),
        ...writeTerms(initialRows, batch, new Set(before.aimfoxLabels)),
        ...activityTerm(before.ghlContacts),
      ]),
      settle: cycle(settle, [
        ...settleReadTerms({
          crossPairNoteContacts: carried,
          ...arofloWritten(initialRows, noteClients),
          feed: settleFeed,
        }),
        ...writeTerms(auditRows(svc.db, settle.summary!.id), batch, new Set(afterInitial.aimfoxLabels)),
      ]),
      idle: cycle(idle, [...idleReadTerms(idleFeed), ...writeTerms(auditRows(svc.db, idle.summary!.id), batch)]),
      edits,
      incremental: cycle(incremental, [
        ...incrementalReadTerms(edits, incFeed),
        ...freshReadTerms(incRows, seen),
        ...writeTerms(incRows, batch, new Set(afterInitial.aimfoxLabels)),
        ...activityTerm(edits.ghlContactsTouched.length),
      ]),
      arofloDailyUsed: end.arofloDailyUsed,
      arofloDailyLimit: end.arofloDailyLimit,
      entities: Object.fromEntries(
        APIS.map((a) => [
          a,
          (svc.db.prepare(`select count(*) n from cursors where system = ?`).get(a) as { n: number }).n,
        ]),
      ) as Record<Api, number>,
      problems: (
        svc.db
          .prepare(`select level, message from logs where level in ('warn', 'error') order by id limit 12`)
          .all() as Array<{ level: string; message: string }>
      ).map((l) => `${l.level}: ${l.message}`),
    };
  } finally {
    await svc.close();
    await remote.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

export function fmtRun(r: RunFigures): string {
  const calls = APIS.map(
    (a) => `${a} ${r.calls[a].requests}${r.calls[a].rateLimited ? ` (${r.calls[a].rateLimited}×429)` : ''}`,
  ).join(', ');
  const s = r.summary;
  const done = s
    ? ` — ${s.status}, created ${JSON.stringify(s.created)}, updated ${JSON.stringify(s.updated)}, conflicts ${s.conflicts}, errors ${s.errors}`
    : '';
  return `${(r.ms / 1000).toFixed(1)} s (rate limits allow ${(r.boundMs / 1000).toFixed(1)} s), CPU ${(r.cpuMs / 1000).toFixed(1)} s; calls ${calls}${done}`;
}

/** Lead contacts whose notes the AroFlo pair wrote in the initial sync: their notes go on to Aimfox next cycle. */
function crossPairNoteContacts(svc: Service): number {
  const leads = new Set(svc.sync.store.links.active('ghl-aimfox', 'lead').map((l) => l.ghl_id));
  const touched = svc.sync.store.feeds.rereads('ghl');
  return new Set(
    touched
      .filter((t) => t.pair === 'ghl-aroflo' && t.kind === 'note')
      .map((t) => t.parentId)
      .filter((id) => leads.has(id)),
  ).size;
}

/** The app's timer runs a minute apart at the least; in real time this is what AroFlo's feed needs to settle. */
const TIMER_GAP_MS = 7_000;
const timerGap = () => new Promise((r) => setTimeout(r, TIMER_GAP_MS));

/** What AroFlo's feeds hold after the bridge's cursors (see FeedBacklog), counted through the sandbox's admin. */
async function feedBacklog(admin: Admin, svc: Service): Promise<FeedBacklog> {
  // A zone's feed is read once per run, from the most advanced cursor of the entities that read it.
  const since = (...names: string[]) => {
    const at = names
      .map((n) => parseFeedCursor(svc.sync.store.feeds.cursor('aroflo', n)).since)
      .filter((s): s is string => !!s)
      .map((s) => Date.parse(s));
    return at.length ? Math.max(...at) : undefined;
  };
  const rows = async (zone: string, at: number | undefined) =>
    at === undefined
      ? 0
      : new Set(
          (
            await admin.call<Array<{ zoneid: string }>>(
              'aroflo',
              'GET',
              `/lastupdate?zonename=${zone}&sinceMs=${at - 1_000}`,
            )
          ).map((r) => r.zoneid),
        ).size;
  const noteSince = since('ghl-aroflo:note');
  const notes =
    noteSince === undefined ? [] : await admin.call<Array<{ postedMs: number }>>('aroflo', 'GET', '/clientnotes');
  // The bridge asks for notes created after the day before its cursor (AroFlo keeps their creation date).
  const from = noteSince === undefined ? 0 : noteSince - 86_400_000;
  const open = await admin.call<{ tasks: Array<{ completed: boolean }> }>('ghl', 'GET', '/tasks');
  const calendars = await admin.call<{ calendars: unknown[] }>('ghl', 'GET', '/calendars');
  return {
    ghlOpenTasks: open.tasks.filter((t) => !t.completed).length,
    ghlCompletedTasks: open.tasks.filter((t) => t.completed).length,
    ghlCalendars: calendars.calendars.length,
    clientRows: await rows('clients', since('ghl-aroflo:business', 'ghl-aroflo:contact')),
    taskRows: await rows('tasks', since('ghl-aroflo:task', 'ghl-aroflo:note')),
    clientNotes: notes.filter((n) => n.postedMs > from).length,
  };
}

/**
 * Distinct AroFlo clients and jobs a cycle wrote (they come back through the lastupdate feed). A client note moves its
 * client in the feed (the sandbox's documented default, by analogy with task notes — FACTS §7.4, §11).
 */
function arofloWritten(
  rows: AuditRow[],
  noteClients: Map<string, string>,
): { arofloClientsWritten: number; arofloTasksWritten: number } {
  const a = rows.filter((r) => r.system === 'aroflo' && r.action !== 'link' && r.action !== 'unlink');
  const clients = new Set<string>();
  const tasks = new Set<string>();
  for (const r of a) {
    const id = r.record_id ?? '';
    if (id.startsWith('client:') || id.startsWith('contact:')) clients.add(id.split(':')[1]!);
    else if (r.entity === 'task') tasks.add(id);
    else if (id.startsWith('tasknote:')) tasks.add(id.split(':')[1]!);
    else if (id.startsWith('clientnote:') && noteClients.has(id.slice('clientnote:'.length)))
      clients.add(noteClients.get(id.slice('clientnote:'.length))!);
  }
  return { arofloClientsWritten: clients.size, arofloTasksWritten: tasks.size };
}

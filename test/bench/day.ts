/**
 * "A day at 10,000 people" (issue 15): a time-compressed day of syncs at the default interval (5 minutes → 288 syncs),
 * each started the way the app's timer starts it (the service chooses full or incremental, as in the app), with a
 * day's changes spread over the intervals, made through each system's own UI (the sandboxes' admin):
 *   2 % of the linked people edited (half in each system), 5 % of the linked tasks (completed / reopened in either
 *   system, retitled in HighLevel), new notes in both systems, HighLevel notes edited with no other change, and a few
 *   deletes on each side.
 * After each sync every change not yet seen on the other side is checked there, so each change's delay is known in
 * sync intervals (a change made during the interval before sync i and seen after sync j took j − i + 1 intervals).
 * Printed: calls per day against each API's daily budget, p50/p95 delay per entity and direction, the time to find
 * each delete, 429s. When the day runs at fewer people than 10,000, HighLevel's per-sync costs are also scaled to
 * 10,000 with the formula printed (AroFlo's are not: run it at 10,000, about an hour on 2 shared cores with the tail).
 *
 * The tail (`tail` syncs, default the re-read window: 288 at 5 min / 24 h) runs after the day with no new changes, so
 * every change made during the day has its whole window to be found: a change made at the day's last sync is inside
 * its 24 h until the tail ends. Calls per day are counted over the day's syncs only; the tail's calls are printed
 * apart (a quiet day's cost). A change still not found when the tail ends is reported as not found, never dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createService, type Service } from '../../main/service/index.js';
import { wireToSandboxes } from '../../main/cli/demo.js';
import { throwawayVaultKey, type Sandboxes } from '../../main/sandbox/index.js';
import type { LinkRow } from '../../main/store/repositories.js';
import { Admin, APIS, statsDiff, type Api, type StatsSnap } from './admin.js';
import { startRemoteSandboxes, type ChildHello } from './sandbox-child.js';
import { budgetDay } from '../../main/sync/budget/declared.js';

/** The daily budgets (main/connectors/ghl/README.md "Rate limits", main/connectors/aroflo/README.md). */
export const DAILY_BUDGET = { ghl: 200_000, aroflo: 2_000 } as const;
/** The issue's targets: the share of each budget a day may use. */
export const DAILY_TARGET = { ghl: 0.25, aroflo: 0.5 } as const;

export interface DayChange {
  kind: string;
  /** The sync before which it was made (0-based). */
  madeBefore: number;
  /** The sync after which the other side showed it, counted on from the day's first (the tail's syncs follow the
   * day's: `syncs + k`); undefined: not found by the end of the run (day + tail). */
  seenAfter?: number;
}

/** A run of syncs' calls: per API, and AroFlo's per endpoint (what its daily budget counts is all but lastupdate). */
export interface CallTally {
  syncs: number;
  calls: Record<Api, number>;
  arofloCounted: number;
  /** AroFlo's single-id reads (its secondary 20,000 a day). */
  arofloSecondary: number;
  arofloByEndpoint: Record<string, number>;
  ghlByEndpoint: Record<string, number>;
  rateLimited: number;
  /** Calls per sync, split by the run mode the service chose. */
  perSync: { full: Record<Api, number[]>; incremental: Record<Api, number[]> };
  fullRuns: number;
  failedRuns: number;
}

export interface DayReport {
  contacts: number;
  syncs: number;
  intervalMin: number;
  scale: number;
  ms: number;
  /** The syncs after the day with no new changes (every change's window ends within them). */
  tail: CallTally;
  tailMs: number;
  fullRuns: number;
  /** Syncs that failed (their message is among `problems`). */
  failedRuns: number;
  /** The rolling re-read's window (settings), hours. */
  windowHours: number;
  calls: Record<Api, number>;
  /** AroFlo calls that count against its daily budget (its lastupdate feed is free). */
  arofloCounted: number;
  /** AroFlo's single-id reads, against its secondary 20,000 a day. */
  arofloSecondary: number;
  /** The day's AroFlo requests per endpoint (method and path, as the sandbox counts them). */
  arofloByEndpoint: Record<string, number>;
  /** The day's HighLevel requests per endpoint. */
  ghlByEndpoint: Record<string, number>;
  rateLimited: number;
  /** Calls per sync, split by the run mode the service chose. */
  perSync: { full: Record<Api, number[]>; incremental: Record<Api, number[]> };
  changes: DayChange[];
  problems: string[];
}

const e = encodeURIComponent;
const asBoxes = (h: ChildHello): Sandboxes =>
  ({
    ghl: { baseUrl: h.ghl.baseUrl, credentials: h.ghl.credentials },
    aroflo: { baseUrl: h.aroflo.baseUrl, credentials: h.aroflo.credentials },
    aimfox: { baseUrl: h.aimfox.baseUrl, credentials: h.aimfox.credentials },
  }) as unknown as Sandboxes;

/** A change made now, and how to tell the other system shows it. */
interface Pending {
  change: DayChange;
  seen: () => Promise<boolean>;
}

/** A seeded shuffle (the same day for the same seed). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function runDay(opts: {
  contacts: number;
  seed: number;
  scale: number;
  latencyMs: number;
  syncs: number;
  /** Syncs after the day with no new changes (default: the re-read window in syncs, 288 at 5 min / 24 h). */
  tail?: number;
  intervalMin: number;
  log: (s: string) => void;
}): Promise<DayReport> {
  const { contacts, seed, scale, log } = opts;
  const t0 = performance.now();
  const remote = await startRemoteSandboxes({ seed, contacts, scale, latencyMs: opts.latencyMs / scale });
  const admin = new Admin(remote.hello);
  const profileDir = mkdtempSync(join(tmpdir(), 'ghlb-day-'));
  // The service's clock and the sandboxes' run 5 minutes ahead for each sync of the day (the budget planner and the
  // rolling re-read size their slices by the time since the last one; AroFlo refuses requests signed at another time).
  let offset = 0;
  const svc = await createService({
    profileDir,
    env: { GHL_BRIDGE_VAULT_KEY: throwawayVaultKey() },
    now: () => Date.now() + offset,
  });
  try {
    await wireToSandboxes(svc, asBoxes(remote.hello), { rateScale: scale });
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) await svc.api.previewMapping({ pair });
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) await svc.api.setSyncEnabled({ pair, enabled: true });
    // The morning: the profile already in sync (an initial sync and the cycle that settles it are not the day).
    await svc.sync.execute({ trigger: 'timer', dryRun: false, full: true });
    await svc.sync.execute({ trigger: 'timer', dryRun: false, full: false });
    // The day is an ordinary one, not the install day: it starts at an AroFlo budget-day reset (00:00 Melbourne) after
    // the install's UTC day has ended, after a sync there. (On the install day, every sync also lists again the
    // thousands of client notes the initial sync wrote — AroFlo filters them by their UTC creation date only — until
    // that date is behind the listing's.)
    const utcMidnight = Math.ceil((Date.now() + offset + 1) / 86_400_000) * 86_400_000;
    const reset = budgetDay('aroflo', utcMidnight).resetsAt;
    const skip = reset - (Date.now() + offset) + 1_000;
    offset += skip;
    await remote.advance(skip);
    // As if the profile had synced all along: the rolling re-read goes on from where it stood, a sync ago, rather than
    // catching up the skipped hours in one slice.
    const syncAgo = Date.now() + offset - opts.intervalMin * 60_000;
    for (const { name } of svc.db.prepare('select name from reread_position').all() as Array<{ name: string }>) {
      const p = svc.sync.store.budget.position(name);
      if (p)
        svc.sync.store.budget.setPosition(name, {
          ...p,
          lastAt: syncAgo,
          lapStartedAt: syncAgo - ((p.lastAt ?? p.lapStartedAt) - p.lapStartedAt),
        });
    }
    await svc.sync.execute({ trigger: 'timer', dryRun: false, full: false });
    log(
      `  ${contacts} people: in sync after ${((performance.now() - t0) / 1000).toFixed(0)} s; the day starts at AroFlo's budget-day reset (${new Date(reset).toISOString()})`,
    );

    const plan = await planDay(svc, admin, opts.syncs, seed);
    const pending: Pending[] = [];
    const changes: DayChange[] = [];

    /** Syncs `from` … `from + count − 1` (the day's numbering goes on through the tail), each as the app's timer
     * starts it, the planned changes made before it; every change not yet found is checked after each. */
    const runSyncs = async (from: number, count: number, label: (i: number) => string): Promise<CallTally> => {
      const perSync: CallTally['perSync'] = {
        full: { ghl: [], aroflo: [], aimfox: [] },
        incremental: { ghl: [], aroflo: [], aimfox: [] },
      };
      const start = await admin.stats();
      let fullRuns = 0;
      let failedRuns = 0;
      for (let i = from; i < from + count; i++) {
        for (const make of plan.get(i) ?? []) {
          const p = await make(i);
          if (!p) continue;
          pending.push(p);
          changes.push(p.change);
        }
        // AroFlo's feed stamps whole seconds: the app's timer is minutes apart, so give it that second.
        await new Promise((r) => setTimeout(r, 1_050));
        offset += opts.intervalMin * 60_000;
        await remote.advance(opts.intervalMin * 60_000);
        const before = await admin.stats();
        const r = await svc.sync.execute({ trigger: 'timer', dryRun: false });
        const d = statsDiff(before, await admin.stats());
        // A full re-read that wrote sets the profile's count of syncs since the last one to 1 (main/store/README.md).
        const full = r.summary.status !== 'failed' && svc.sync.store.feeds.counter('runs_since_full') === 1;
        if (full) fullRuns++;
        if (r.summary.status === 'failed') failedRuns++;
        for (const a of APIS) perSync[full ? 'full' : 'incremental'][a].push(d[a].requests);
        for (let k = pending.length - 1; k >= 0; k--) {
          if (await pending[k]!.seen()) {
            pending[k]!.change.seenAfter = i;
            pending.splice(k, 1);
          }
        }
        const done = i - from + 1;
        if (done % 24 === 0) {
          const so = statsDiff(start, await admin.stats());
          log(
            `  ${label(done)}: ${done} syncs (${fullRuns} full, ${failedRuns} failed), ${changes.length} changes made, ${pending.length} not yet seen on the other side; so far HighLevel ${so.ghl.requests}, AroFlo ${countedOf(so.aroflo)} counted (${so.aroflo.requests} in all), 429s ${APIS.reduce((x, a) => x + so[a].rateLimited, 0)} (${((performance.now() - t0) / 60_000).toFixed(1)} min since start)`,
          );
        }
      }
      const total = statsDiff(start, await admin.stats());
      return {
        syncs: count,
        calls: { ghl: total.ghl.requests, aroflo: total.aroflo.requests, aimfox: total.aimfox.requests },
        arofloCounted: countedOf(total.aroflo),
        arofloSecondary: total.aroflo.secondary ?? 0,
        arofloByEndpoint: total.aroflo.byEndpoint,
        ghlByEndpoint: total.ghl.byEndpoint,
        rateLimited: APIS.reduce((x, a) => x + (total[a] as StatsSnap).rateLimited, 0),
        perSync,
        fullRuns,
        failedRuns,
      };
    };

    const hour = (done: number) => `${String((done * opts.intervalMin) / 60).padStart(2)} h`;
    const dayT0 = performance.now();
    const day = await runSyncs(0, opts.syncs, hour);
    const ms = performance.now() - dayT0;
    // The day's figures as soon as it ends (the tail can take as long again).
    log(
      `  the day: HighLevel ${day.calls.ghl}, AroFlo ${day.arofloCounted} counted (${day.calls.aroflo} in all), Aimfox ${day.calls.aimfox}, 429s ${day.rateLimited}, failed ${day.failedRuns}, in ${(ms / 60_000).toFixed(1)} min; AroFlo per sync by endpoint: ${endpointsPerSync(day.arofloByEndpoint, day.syncs)}; HighLevel: ${endpointsPerSync(day.ghlByEndpoint, day.syncs)}`,
    );
    for (const k of [...new Set(changes.map((c) => c.kind))].sort()) {
      const ds = changes.filter((c) => c.kind === k).map(delay);
      log(`    ${k}: ${ds.map((x) => (x === undefined ? '…' : String(x))).join(' ')}`);
    }
    const windowHours = (await svc.api.getSettings()).budget?.rereadWindowHours ?? 24;
    const tailT0 = performance.now();
    const tailSyncs = opts.tail ?? Math.ceil((windowHours * 60) / opts.intervalMin);
    const tail = await runSyncs(opts.syncs, tailSyncs, (done) => `tail ${hour(done)}`);
    return {
      contacts,
      syncs: opts.syncs,
      intervalMin: opts.intervalMin,
      scale,
      ms,
      tail,
      tailMs: performance.now() - tailT0,
      fullRuns: day.fullRuns,
      failedRuns: day.failedRuns,
      windowHours,
      calls: day.calls,
      arofloCounted: day.arofloCounted,
      arofloSecondary: day.arofloSecondary,
      arofloByEndpoint: day.arofloByEndpoint,
      ghlByEndpoint: day.ghlByEndpoint,
      rateLimited: day.rateLimited,
      perSync: day.perSync,
      changes,
      problems: (
        svc.db
          .prepare(`select level, message from logs where level in ('warn', 'error') order by id limit 8`)
          .all() as Array<{ level: string; message: string }>
      ).map((l) => `${l.level}: ${l.message}`),
    };
  } finally {
    await svc.close();
    await remote.close();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

type Make = (sync: number) => Promise<Pending | undefined>;

/** The day's changes, spread evenly over the syncs (a map from the sync index to what is made before it). */
async function planDay(svc: Service, admin: Admin, syncs: number, seed: number): Promise<Map<number, Make[]>> {
  const store = svc.sync.store;
  const people = shuffled(
    store.links.active('ghl-aroflo', 'contact').filter((l) => l.ghl_id && l.other_id),
    seed,
  );
  const tasks = shuffled(
    store.links.active('ghl-aroflo', 'task').filter((l) => l.ghl_id?.includes('/') && l.other_id),
    seed + 1,
  );
  const notes = shuffled(
    store.links.active('ghl-aroflo', 'note').filter((l) => l.ghl_id?.includes('/') && l.other_id),
    seed + 2,
  );
  const n = (share: number, of: number) => Math.max(1, Math.round(share * of));
  const take = <T>(xs: T[], k: number): T[] => xs.splice(0, Math.min(k, xs.length));
  const makes: Make[] = [];

  // 2 % of the people: half edited in each system (a surname).
  const pEdits = n(0.02, people.length);
  for (const l of take(people, Math.ceil(pEdits / 2))) makes.push(ghlPersonEdit(admin, l));
  for (const l of take(people, Math.floor(pEdits / 2))) makes.push(arofloPersonEdit(admin, l));
  // 5 % of the tasks: completed or reopened in either system, retitled in HighLevel.
  const tEdits = n(0.05, tasks.length);
  for (const l of take(tasks, Math.round(tEdits * 0.4))) makes.push(ghlTaskToggle(admin, l));
  for (const l of take(tasks, Math.round(tEdits * 0.2))) makes.push(ghlTaskRetitle(admin, l));
  for (const l of take(tasks, Math.round(tEdits * 0.4))) makes.push(arofloTaskToggle(admin, l));
  // New notes on 1 % of the people in each system; HighLevel notes edited with no other change.
  for (const l of take(people, n(0.01, people.length))) makes.push(ghlNewNote(admin, svc, l));
  for (const l of take(people, n(0.01, people.length)).filter((x) => x.other_id!.startsWith('client:')))
    makes.push(arofloNewNote(admin, svc, l));
  for (const l of take(notes, 3)) makes.push(ghlNoteEdit(admin, l));
  // A few deletes on each side.
  for (const l of take(tasks, 2)) makes.push(ghlTaskDelete(admin, svc, l));
  for (const l of take(people, 1)) makes.push(ghlContactDelete(admin, svc, l));
  // Two residential clients archived in AroFlo (a business's contact is not a client of its own).
  for (let k = 0, n = 0; k < people.length && n < 2;)
    if (people[k]!.other_id!.startsWith('client:')) {
      makes.push(arofloClientArchive(admin, svc, people.splice(k, 1)[0]!));
      n++;
    } else k++;

  const order = shuffled(makes, seed + 3);
  const plan = new Map<number, Make[]>();
  order.forEach((m, k) => {
    const at = Math.floor((k * syncs) / order.length);
    plan.set(at, [...(plan.get(at) ?? []), m]);
  });
  return plan;
}

const change = (kind: string, madeBefore: number): DayChange => ({ kind, madeBefore });

/** AroFlo's person behind a contact link: a client (residential) or a contact of a business client. */
async function arofloSurname(admin: Admin, otherId: string): Promise<string> {
  const [kind, a, b] = otherId.split(':') as [string, string, string | undefined];
  if (kind === 'client') return (await admin.call<{ surname: string }>('aroflo', 'GET', `/clients/${e(a)}`)).surname;
  return (await admin.call<{ surname: string }>('aroflo', 'GET', `/contacts/${e(b!)}`)).surname;
}

function ghlPersonEdit(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const want = `Day${i}`;
    await admin.call('ghl', 'PUT', `/contacts/${e(l.ghl_id!)}`, { lastName: want });
    return {
      change: change('contact, HighLevel → AroFlo', i),
      seen: async () => (await arofloSurname(admin, l.other_id!)) === want,
    };
  };
}

function arofloPersonEdit(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const want = `Aro${i}`;
    const [kind, a, b] = l.other_id!.split(':') as [string, string, string | undefined];
    if (kind === 'client') await admin.call('aroflo', 'PATCH', `/clients/${e(a)}`, { surname: want });
    else await admin.call('aroflo', 'PATCH', `/contacts/${e(b!)}`, { surname: want });
    return {
      change: change('contact, AroFlo → HighLevel', i),
      seen: async () =>
        (await admin.call<{ contact: { lastName?: string } }>('ghl', 'GET', `/contacts/${e(l.ghl_id!)}`)).contact
          .lastName === want,
    };
  };
}

const taskPath = (ghlId: string) => {
  const [cid, tid] = ghlId.split('/') as [string, string];
  return `/contacts/${e(cid)}/tasks/${e(tid)}`;
};

function ghlTaskToggle(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const { task } = await admin.call<{ task: { completed: boolean } }>('ghl', 'GET', taskPath(l.ghl_id!));
    const want = !task.completed;
    await admin.call('ghl', 'POST', `${taskPath(l.ghl_id!)}/complete`, { completed: want });
    return {
      change: change(`task ${want ? 'completed' : 'reopened'}, HighLevel → AroFlo`, i),
      seen: async () =>
        ((await admin.call<{ status: string }>('aroflo', 'GET', `/tasks/${e(l.other_id!)}`)).status === 'Completed') ===
        want,
    };
  };
}

function ghlTaskRetitle(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const want = `Revisit ${i}`;
    await admin.call('ghl', 'PUT', taskPath(l.ghl_id!), { title: want });
    // AroFlo cannot rename a job through its API: the new title arrives as a note on the job.
    return {
      change: change('task retitled, HighLevel → AroFlo', i),
      seen: async () =>
        (await admin.call<Array<{ content: string }>>('aroflo', 'GET', `/tasks/${e(l.other_id!)}/notes`)).some((x) =>
          x.content.includes(want),
        ),
    };
  };
}

function arofloTaskToggle(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const t = await admin.call<{ status: string }>('aroflo', 'GET', `/tasks/${e(l.other_id!)}`);
    const want = t.status !== 'Completed';
    await admin.call('aroflo', 'POST', `/tasks/${e(l.other_id!)}/status`, {
      status: want ? 'Completed' : 'In Progress',
    });
    return {
      change: change(`task ${want ? 'completed' : 'reopened'}, AroFlo → HighLevel`, i),
      seen: async () =>
        (await admin.call<{ task: { completed: boolean } }>('ghl', 'GET', taskPath(l.ghl_id!))).task.completed === want,
    };
  };
}

function ghlNewNote(admin: Admin, svc: Service, l: LinkRow): Make {
  return async (i) => {
    const { note } = await admin.call<{ note: { id: string } }>('ghl', 'POST', `/contacts/${e(l.ghl_id!)}/notes`, {
      body: `Called on day ${i}`,
    });
    return {
      change: change('new note on an unchanged contact, HighLevel → AroFlo', i),
      seen: async () => !!svc.sync.store.links.byGhl('ghl-aroflo', 'note', `${l.ghl_id!}/${note.id}`),
    };
  };
}

function arofloNewNote(admin: Admin, svc: Service, l: LinkRow): Make {
  return async (i) => {
    const clientId = l.other_id!.split(':')[1]!;
    const made = await admin.call<{ noteid: string }>('aroflo', 'POST', `/clients/${e(clientId)}/notes`, {
      content: `Site note ${i}`,
    });
    return {
      change: change('new note, AroFlo → HighLevel', i),
      seen: async () => !!svc.sync.store.links.byOther('ghl-aroflo', 'note', `clientnote:${made.noteid}`),
    };
  };
}

function ghlNoteEdit(admin: Admin, l: LinkRow): Make {
  return async (i) => {
    const [cid, nid] = l.ghl_id!.split('/') as [string, string];
    const want = `Edited in HighLevel on day ${i}`;
    await admin.call('ghl', 'PUT', `/contacts/${e(cid)}/notes/${e(nid)}`, { body: want });
    const noteId = l.other_id!.split(':').pop()!;
    return {
      change: change('note edited with no other change, HighLevel → AroFlo', i),
      seen: async () =>
        (await admin.call<Array<{ noteid: string; content: string }>>('aroflo', 'GET', '/clientnotes')).some(
          (x) => x.noteid === noteId && x.content.includes(want),
        ),
    };
  };
}

const retired = (svc: Service, l: LinkRow) => svc.sync.store.links.byId(l.id)?.state !== 'active';

function ghlTaskDelete(admin: Admin, svc: Service, l: LinkRow): Make {
  return async (i) => {
    await admin.call('ghl', 'DELETE', taskPath(l.ghl_id!));
    return { change: change('delete: task deleted in HighLevel', i), seen: async () => retired(svc, l) };
  };
}

function ghlContactDelete(admin: Admin, svc: Service, l: LinkRow): Make {
  return async (i) => {
    await admin.call('ghl', 'DELETE', `/contacts/${e(l.ghl_id!)}`);
    return { change: change('delete: contact deleted in HighLevel', i), seen: async () => retired(svc, l) };
  };
}

function arofloClientArchive(admin: Admin, svc: Service, l: LinkRow): Make {
  return async (i) => {
    await admin.call('aroflo', 'POST', `/clients/${e(l.other_id!.split(':')[1]!)}/archive`);
    return { change: change('delete: client archived in AroFlo', i), seen: async () => retired(svc, l) };
  };
}

// ---------------------------------------------------------------- report

const fmt = (x: number) => x.toLocaleString('en');
const pct = (xs: number[], p: number): number | undefined => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avg = (xs: number[]) => (xs.length ? sum(xs) / xs.length : 0);

/** AroFlo requests that count against its daily budget (all but its free lastupdate feed). */
/** What AroFlo counts against its 2,000 a day, as the sandbox accounts it (not lastupdate, not single-id reads). */
const countedOf = (s: StatsSnap): number =>
  s.counted ??
  Object.entries(s.byEndpoint)
    .filter(([k]) => !/lastupdate/i.test(k))
    .reduce((x, [, v]) => x + v, 0);

/** A change's time to be found, in sync intervals (undefined: not found by the end of the run). */
const delay = (c: DayChange): number | undefined =>
  c.seenAfter === undefined ? undefined : c.seenAfter - c.madeBefore + 1;

/** AroFlo's requests per endpoint, per sync, largest first: "GET /clients 1.02, GET lastupdate 2.00 (free)". */
const endpointsPerSync = (by: Record<string, number>, syncs: number): string =>
  Object.entries(by)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${(v / Math.max(1, syncs)).toFixed(2)}${/lastupdate/i.test(k) ? ' (free)' : ''}`)
    .join(', ') || 'none';

export function dayBlock(d: DayReport): string[] {
  const L: string[] = [];
  const target = 10_000;
  const runEnd = d.syncs + d.tail.syncs;
  const h = (intervals: number) => `${((intervals * d.intervalMin) / 60).toFixed(1)} h`;
  L.push(
    `== A day at ${fmt(d.contacts)} people${d.contacts === target ? '' : ` (run at this scale; per-sync costs scaled to ${fmt(target)} below)`}: ${d.syncs} syncs at ${d.intervalMin} min (${((d.syncs * d.intervalMin) / 60).toFixed(0)} h compressed into ${(d.ms / 60_000).toFixed(1)} min), ${d.fullRuns} of them full re-reads; then a tail of ${d.tail.syncs} syncs with no new changes (${h(d.tail.syncs)} in ${(d.tailMs / 60_000).toFixed(1)} min)`,
  );
  // A shorter run (--day-syncs) is stretched to a day: its calls × 24 h / the hours it covered.
  const hours = (d.syncs * d.intervalMin) / 60;
  const perDay = 24 / hours;
  const share = (used: number, api: 'ghl' | 'aroflo', per = perDay, over = hours) =>
    `${fmt(Math.round(used * per))} of ${fmt(DAILY_BUDGET[api])} (${((100 * used * per) / DAILY_BUDGET[api]).toFixed(1)} %; target ≤ ${DAILY_TARGET[api] * 100} %)${per === 1 ? '' : ` — ${fmt(used)} in ${over.toFixed(0)} h × ${per.toFixed(1)}`}`;
  L.push(`  HighLevel calls/day (the day's ${d.syncs} syncs only): ${share(d.calls.ghl, 'ghl')}`);
  L.push(`    HighLevel per sync over the day, by endpoint: ${endpointsPerSync(d.ghlByEndpoint, d.syncs)}`);
  L.push(
    `  AroFlo calls/day (lastupdate free; single-id reads count against the secondary 20,000): ${share(d.arofloCounted, 'aroflo')}; single-id reads ${fmt(Math.round(d.arofloSecondary * perDay))} of 20,000 (${((100 * d.arofloSecondary * perDay) / 20_000).toFixed(1)} %); all requests ${fmt(d.calls.aroflo)}`,
  );
  L.push(`    AroFlo per sync over the day, by endpoint: ${endpointsPerSync(d.arofloByEndpoint, d.syncs)}`);
  L.push(
    `  Aimfox calls in the day: ${fmt(d.calls.aimfox)}; 429s received: ${d.rateLimited} (target 0); syncs failed: ${d.failedRuns}`,
  );
  if (d.tail.syncs) {
    const t = d.tail;
    const tHours = (t.syncs * d.intervalMin) / 60;
    L.push(
      `  the tail, a quiet day's cost (${t.syncs} syncs, no new changes, ${t.fullRuns} full): HighLevel ${share(t.calls.ghl, 'ghl', 24 / tHours, tHours)}; AroFlo counted ${share(t.arofloCounted, 'aroflo', 24 / tHours, tHours)}, single-id reads ${fmt(t.arofloSecondary)}, all requests ${fmt(t.calls.aroflo)}; Aimfox ${fmt(t.calls.aimfox)}; 429s ${t.rateLimited}; syncs failed ${t.failedRuns}`,
    );
    L.push(`    AroFlo per quiet sync, by endpoint: ${endpointsPerSync(t.arofloByEndpoint, t.syncs)}`);
    L.push(`    HighLevel per quiet sync, by endpoint: ${endpointsPerSync(t.ghlByEndpoint, t.syncs)}`);
  }
  L.push(
    `  edit → other side, in sync intervals (minutes); a change not found by the end of the run (${runEnd} syncs) counts as never:`,
  );
  const kinds = [...new Set(d.changes.map((c) => c.kind))].sort();
  for (const k of kinds) {
    const cs = d.changes.filter((c) => c.kind === k);
    const lat = cs.map((c) => delay(c) ?? Infinity);
    const missed = cs.filter((c) => c.seenAfter === undefined);
    const m = (x: number | undefined) =>
      x === undefined ? '—' : x === Infinity ? 'not found' : `${x} (${x * d.intervalMin} min)`;
    const isDelete = k.startsWith('delete');
    const found = (c: DayChange) => {
      const x = delay(c);
      return x === undefined
        ? `not found (made ${runEnd - c.madeBefore} intervals = ${h(runEnd - c.madeBefore)} before the run ended)`
        : `${x} intervals (${h(x)})`;
    };
    L.push(
      `    ${k.padEnd(58)} n=${String(cs.length).padStart(3)}  ${isDelete ? `found after ${cs.map(found).join(', ') || '—'}` : `p50 ${m(pct(lat, 50))}, p95 ${m(pct(lat, 95))}, worst ${m(pct(lat, 100))}`}${missed.length && !isDelete ? `; ${missed.length} not found by the end of the run (made ${missed.map((c) => runEnd - c.madeBefore).join(', ')} intervals before it)` : ''}`,
    );
  }
  // The verdicts: every change of a kind found within a bound, the worst printed; one not found is a "no".
  const verdict = (what: string, cs: DayChange[], bound: number, boundText: string) => {
    const ds = cs.map(delay);
    const lost = ds.filter((x) => x === undefined).length;
    const worst = Math.max(0, ...ds.map((x) => x ?? 0));
    const ok = cs.length > 0 && lost === 0 && worst <= bound;
    return `  ${what} found within ${boundText}: ${ok ? 'yes' : 'no'} (${cs.length ? `worst ${h(worst)} = ${worst} intervals${lost ? `; ${lost} of ${cs.length} not found by the end of the run` : ''}` : 'none made'})`;
  };
  const day24 = (24 * 60) / d.intervalMin;
  L.push(
    verdict(
      'every delete',
      d.changes.filter((c) => c.kind.startsWith('delete')),
      day24,
      '24 h',
    ),
  );
  const window = (d.windowHours * 60) / d.intervalMin;
  L.push(
    verdict(
      'every HighLevel note edited with no other change (no feed exists for it; found when the rolling re-read reaches its contact)',
      d.changes.filter((c) => c.kind.startsWith('note edited with no other change')),
      window,
      `the re-read window, ${d.windowHours} h = ${window} intervals`,
    ),
  );
  // A new HighLevel note on a contact the feed does not report has no feed either: the same bound.
  L.push(
    verdict(
      'every new HighLevel note on an unchanged contact (found the same way)',
      d.changes.filter((c) => c.kind.startsWith('new note on an unchanged contact')),
      window,
      `the re-read window, ${d.windowHours} h`,
    ),
  );
  // Scaled to 10,000 people, per day (288 syncs at 5 min, the full re-reads as often as in this run):
  //  - HighLevel: every read term grows with the people (contact pages, task search pages, one note list per contact
  //    on a full read; open-task pages on every incremental one) and the day's changes are shares of them, so a sync's
  //    calls × 10,000 / N (the constant terms — the location, one feed page — make it an upper bound);
  if (d.contacts !== target) {
    const f = target / d.contacts;
    const daySyncs = (24 * 60) / d.intervalMin;
    const fulls = d.fullRuns * (daySyncs / d.syncs);
    const incs = daySyncs - fulls;
    const gFull = avg(d.perSync.full.ghl);
    const gInc = avg(d.perSync.incremental.ghl);
    const g = (fulls * gFull + incs * gInc) * f;
    L.push(
      `  scaled to ${fmt(target)} (HighLevel): (${fulls.toFixed(0)} full × ${gFull.toFixed(1)} + ${incs.toFixed(0)} incremental × ${gInc.toFixed(1)}) × ${fmt(target)} / ${fmt(d.contacts)} ≈ ${fmt(Math.round(g))} calls/day = ${((100 * g) / DAILY_BUDGET.ghl).toFixed(1)} % of ${fmt(DAILY_BUDGET.ghl)}`,
    );
    // AroFlo is not scaled: a sync's calls are per zone that changed in its interval (the changed records by id, the
    // fresh read before overwriting, the write, the read back), whatever the number of records in it. At 1,000 people
    // most intervals carry no AroFlo change, at 10,000 nearly all do, so the calls grow with the people but not in
    // proportion (an earlier formula here said ≈ 930 a day at 10,000; the day run at 10,000 measured 1,644).
    L.push(
      `  AroFlo at ${fmt(target)}: not scaled (its calls follow the zones that changed in each interval, not the people) — run --day-contacts=${target}`,
    );
  }
  if (d.problems.length) L.push('  logged:', ...d.problems.map((p) => `    ${p.slice(0, 160)}`));
  return L;
}

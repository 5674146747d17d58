/**
 * The in-process admin: a person in the AroFlo web app. Every edit goes through the same rules as the API
 * (ops.ts) with actor 'web', so it moves lastupdated times and feed rows, sets postable = true on clients and
 * linkprocessed = false on tasks. Returns copies, never live records.
 */
import type { FaultController } from '../faults.js';
import type { AuthState } from './auth.js';
import type { Core } from './core.js';
import type { RateLimiter } from './limits.js';
import { LIMITS } from './limits.js';
import { WriteError, type ClientFields } from './ops.js';
import type { StatsCounter } from './stats.js';
import {
  ArofloAdminError,
  type ArofloAdmin,
  type ArofloCredentials,
  type ClientInput,
  type ClientPatch,
  type ContactInput,
  type NoteInput,
  type TaskInput,
  type TaskPatch,
} from './types.js';

export interface AdminDeps {
  core: Core;
  auth: AuthState;
  limiter: RateLimiter;
  stats: StatsCounter;
  faults: FaultController;
  credentials: () => ArofloCredentials;
  regenerateSecret: () => string;
  reset: () => void;
}

const copy = <T>(x: T): T => structuredClone(x);

function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WriteError)
      throw new ArofloAdminError(e.code === '209' ? 409 : e.code === '203' ? 404 : 400, `${e.message}: ${e.detail}`);
    throw e;
  }
}

function clientFields(input: ClientPatch): ClientFields {
  const { externalid, ...rest } = input;
  const f: ClientFields = { ...rest };
  if (externalid !== undefined) f.link = { externalid };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ClientFields;
}

export function createAdmin(d: AdminDeps): ArofloAdmin {
  const db = () => d.core.db;
  const ops = () => d.core.ops;
  const need = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new ArofloAdminError(404, `${what} was not found`);
    return x;
  };
  const client = (id: string) => need(db().clients.get(id), `client ${id}`);
  const contact = (id: string) => need(db().contacts.get(id), `contact ${id}`);
  const task = (id: string) => need(db().tasks.get(id), `task ${id}`);

  return {
    listClients: (opts) => copy(db().clients.rows.filter((c) => opts?.includeArchived !== false || !c.archived)),
    getClient: (id) => copy(db().clients.get(id)),
    createClient: (input: ClientInput) => translate(() => copy(ops().insertClient(clientFields(input), 'web'))),
    updateClient: (id, patch) => translate(() => copy(ops().updateClient(client(id), clientFields(patch), 'web'))),
    archiveClient: (id) => translate(() => copy(ops().updateClient(client(id), { archived: true }, 'web'))),

    listContacts: (opts) =>
      copy(
        (opts?.clientid
          ? client(opts.clientid).contactIds.map((id) => db().contacts.get(id)!)
          : db().contacts.rows
        ).filter((u) => opts?.includeArchived !== false || !u.archived),
      ),
    getContact: (id) => copy(db().contacts.get(id)),
    createContact: (clientid, input: ContactInput) =>
      translate(() => copy(ops().insertContact(client(clientid), input, 'web'))),
    updateContact: (id, patch) => translate(() => copy(ops().updateContact(contact(id), patch, 'web'))),
    archiveContact: (id) => translate(() => copy(ops().updateContact(contact(id), { archived: true }, 'web'))),

    listTasks: (opts) => copy(db().tasks.rows.filter((t) => !opts?.clientid || t.clientid === opts.clientid)),
    getTask: (id) => copy(db().tasks.get(id)),
    createTask: (input: TaskInput) => translate(() => copy(ops().insertTask(input, 'web'))),
    updateTask: (id, patch: TaskPatch) => translate(() => copy(ops().updateTask(task(id), patch, 'web'))),
    setTaskStatus: (id, status) => translate(() => copy(ops().updateTask(task(id), { status }, 'web'))),

    listTaskNotes: (taskid) => copy(task(taskid).noteIds.map((id) => db().taskNotes.get(id)!)),
    addTaskNote: (taskid, input: NoteInput) => translate(() => copy(ops().insertTaskNote(task(taskid), input, 'web'))),
    updateTaskNote: (noteid, patch) =>
      translate(() =>
        copy(ops().updateTaskNote(need(db().taskNotes.get(noteid), `task note ${noteid}`), patch, 'web')),
      ),

    listClientNotes: (opts) =>
      copy(
        opts?.clientid
          ? (db().clientNoteIds.get(client(opts.clientid).clientid) ?? []).map((id) => db().clientNotes.get(id)!)
          : db().clientNotes.rows,
      ),
    addClientNote: (clientid, input) =>
      translate(() => copy(ops().insertClientNote(client(clientid), { filter: 'Internal Only', ...input }, 'web'))),
    updateClientNote: (noteid, patch) =>
      translate(() =>
        copy(ops().updateClientNote(need(db().clientNotes.get(noteid), `client note ${noteid}`), patch, 'web')),
      ),

    lastUpdates: (opts) =>
      copy(
        db()
          .lastupdate.rows.filter(
            (r) =>
              (!opts?.zonename || r.zonename === opts.zonename) &&
              (opts?.sinceMs === undefined || r.lastupdateMs > opts.sinceMs),
          )
          .sort((a, b) => a.lastupdateMs - b.lastupdateMs || a.seq - b.seq),
      ),

    setFaults: (spec) => d.faults.set(spec),
    stats: () => d.stats.snapshot(),
    usage: () => {
      const u = d.limiter.used(d.auth.orgEncoded);
      return {
        dailyUsed: u.daily,
        dailyLimit: LIMITS.daily,
        secondaryUsed: u.secondary,
        secondaryLimit: LIMITS.secondaryDaily,
      };
    },
    resetStats: () => d.stats.reset(),
    reset: () => d.reset(),

    regenerateSecret: () => d.regenerateSecret(),
    setApiAccess: (enabled) => {
      d.auth.apiAccess = enabled;
    },
    setSecretSaved: (saved) => {
      d.auth.secretSaved = saved;
    },
    credentials: () => d.credentials(),
  };
}

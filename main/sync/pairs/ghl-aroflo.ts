/**
 * HighLevel ⇄ AroFlo: businesses, then people (contacts), their tasks (jobs) and notes, and the notes-to-tasks rule.
 * The people model (residential client vs a contact under a business client) is in sides/aroflo.ts.
 */
import type { EntityKind } from '../../domain/index.js';
import type { EntitySide, SideRecord } from '../engine/types.js';
import type { EntityConfig } from '../engine/planner.js';
import type { WiredEntity } from '../engine/run.js';
import { entityConfig, entityMapping, fieldLabels } from '../engine/mapping.js';
import {
  ArofloRun,
  arofloBusinessSide,
  arofloContactSide,
  arofloNoteSide,
  arofloTaskSide,
  type ArofloDefaults,
} from '../sides/aroflo.js';
import { ghlBusinessSide, ghlContactSide, ghlNoteSide, ghlTaskSide } from '../sides/ghl.js';
import { RULE_ENTITY, ruleGhlTaskSide, ruleNoteSide, ruleTaskIds } from '../rules/note-to-task.js';
import { appointmentEntity, appointmentNoteIds, unionOf, withoutAppointmentNotes } from '../rules/appointment-notes.js';
import type { RunContext } from '../context.js';
import { RunEnv, runTransformEnv } from '../sides/env.js';
import { MappedFields } from '../sides/mapped.js';
import type { PairDeclaration } from './types.js';
import type { TaskKnowledge } from '../sides/ghl-tasks.js';
import { mirrorScope } from '../../store/repositories.js';
import { CLIENT_NOTES_EVERY_WHEN_LOW } from '../budget/index.js';

const PAIR = 'ghl-aroflo' as const;

const STATUS_CODES: Record<string, 'notstarted' | 'inprogress' | 'pending'> = {
  'not started': 'notstarted',
  'in progress': 'inprogress',
  pending: 'pending',
};

/** A HighLevel side whose confirmed writes are handed to later pairs of the run. */
function handingOver(side: EntitySide, give: (rec: SideRecord) => void): EntitySide {
  const keep = async (p: Promise<Awaited<ReturnType<EntitySide['create']>>>) => {
    const results = await p;
    for (const r of results) if (r.ok && !r.skipped) give(r.record);
    return results;
  };
  return { ...side, create: (items) => keep(side.create(items)), update: (items) => keep(side.update(items)) };
}

export const ghlAroflo: PairDeclaration = {
  pair: PAIR,
  readsAfter: [],
  entities(mapping, ctx: RunContext): WiredEntity[] {
    const ghlScope = { businessIds: mapping.filters.ghlBusinessIds, tags: mapping.filters.ghlTags };
    const wired = (
      entity: EntityKind,
      w: Omit<WiredEntity['wiring'], 'pair' | 'entity'>,
      config: EntityConfig,
      labels: Record<string, string> = {},
    ): WiredEntity => ({
      wiring: { pair: PAIR, entity, ...w },
      config,
      fieldLabels: labels,
      cursorName: `${PAIR}:${entity}`,
    });
    const out: WiredEntity[] = [];
    const g = ctx.ghl;
    const ar = new ArofloRun(
      ctx.clients.arofloClient(),
      { businessUnits: mapping.filters.arofloBusinessUnits },
      ctx.now,
    );
    ar.notesDue = () => clientNotesDue(ctx);
    for (const l of ctx.store.links.active(PAIR, 'contact'))
      if (l.other_id?.startsWith('client:')) ar.linkedPeople.add(l.other_id.slice('client:'.length));
      else if (l.other_id?.startsWith('contact:')) ar.linkedBusinesses.add(l.other_id.split(':')[1]!);
    const taskMap = entityMapping(mapping, 'task');
    const falseStatus =
      taskMap?.fields.find((f) => f.key === 'completed')?.valueMap?.false?.toLowerCase() ?? 'not started';
    const defaults: ArofloDefaults = {
      businessUnitId: mapping.defaults.arofloBusinessUnitId,
      taskTypeId: mapping.defaults.arofloTaskTypeId,
      openStatus: STATUS_CODES[falseStatus] ?? 'notstarted',
    };
    const today = () => new Date(ctx.now()).toISOString().slice(0, 10);
    // Tasks and notes are read for the contacts this pair's contact read returned (plus those the last run wrote
    // children of); with contact sync off, for whatever contacts the run read.
    const childIds = (kind: 'task' | 'note') => () => g.childScope(contactsOf(ctx), ghlScope, g.carriedFor(PAIR, kind));
    // The business's country and time zone, and the custom field definitions: read once per run, when first needed.
    const env = new RunEnv(() => runTransformEnv(mapping, ctx.location));
    const contacts = entityMapping(mapping, 'contact');
    if (contacts?.enabled) {
      // Businesses first: a person of a business lives under the business's AroFlo client.
      out.push(
        wired(
          'business',
          { ghl: ghlBusinessSide(g, ghlScope), other: arofloBusinessSide(ar, defaults), matchable: true },
          {
            fields: [],
            deletePolicy: 'unlink',
            createTo: { other: entityConfig(contacts).createTo.other, ghl: false },
          },
        ),
      );
      // Fields as the mapping declares them (main/sync/sides/README.md, "Fields from the mapping").
      const gView = new MappedFields(PAIR, 'ghl', contacts, env);
      const oView = new MappedFields(PAIR, 'other', contacts, env);
      const ghlContacts = handingOver(
        ctx.contactReads.track(PAIR, ghlContactSide(g, ghlScope, 'contact', env, gView)),
        (r) => ctx.handoff.contact(PAIR, r.id),
      );
      out.push(
        wired(
          'contact',
          {
            ghl: ghlContacts,
            other: arofloContactSide(ar, defaults, ctx.logger, env, oView),
            matchable: true,
            parentEntity: 'business',
            parentOptional: true,
            parentCarried: { ghl: true },
          },
          entityConfig(contacts),
          fieldLabels(contacts),
        ),
      );
    }
    // A HighLevel task the rule made stays out of task sync for good, also once its AroFlo note is gone. Read when
    // the run plans (after it recovered what a crash interrupted), so a rule task created just before a crash is
    // already known as one.
    if (taskMap?.enabled) {
      const ruleTasks = ruleTaskIds(ctx.store);
      const [gv, ov] = [new MappedFields(PAIR, 'ghl', taskMap, env), new MappedFields(PAIR, 'other', taskMap, env)];
      out.push(
        wired(
          'task',
          {
            ghl: ghlTaskSide(g, ghlScope, childIds('task'), PAIR, env, gv, taskKnowledge(ctx)),
            other: arofloTaskSide(ar, defaults, today, env, ov),
            matchable: false,
            parentEntity: 'contact',
            exclude: { ghl: ruleTasks },
          },
          entityConfig(taskMap),
          fieldLabels(taskMap),
        ),
      );
    }
    // Notes that appointments made (rules/appointment-notes.ts) are not a person's notes: note sync and the rule leave them.
    const apptNotes = appointmentNoteIds(ctx.store, PAIR);
    const notes = entityMapping(mapping, 'note');
    if (notes?.enabled) {
      const [gv, ov] = [new MappedFields(PAIR, 'ghl', notes, env), new MappedFields(PAIR, 'other', notes, env)];
      const ghlNotes = handingOver(ghlNoteSide(g, ghlScope, childIds('note'), PAIR, env, gv), (r) =>
        ctx.handoff.note(PAIR, r),
      );
      out.push(
        wired(
          'note',
          {
            ghl: ghlNotes,
            other: withoutAppointmentNotes(arofloNoteSide(ar, ctx.logger, undefined, env, ov)),
            matchable: false,
            parentEntity: 'contact',
            exclude: { other: apptNotes },
          },
          entityConfig(notes),
          fieldLabels(notes),
        ),
      );
    }
    if (mapping.appointmentNotes?.enabled && contacts?.enabled)
      // The appointments of the contacts this pair's contact read returned, as its tasks and notes.
      out.push(
        appointmentEntity(ctx, PAIR, 'contact', arofloNoteSide(ar, ctx.logger), env, () =>
          g.childScope(contactsOf(ctx), ghlScope),
        ),
      );
    if (mapping.noteToTask?.enabled) {
      const rule = mapping.noteToTask;
      // Notes that note sync made from HighLevel notes are ours, not new AroFlo notes.
      // (A person's AroFlo note that note sync carried to HighLevel and the rule already turned into a task stays the rule's.)
      const ruled = new Set(ctx.store.links.active(PAIR, RULE_ENTITY).map((l) => l.other_id));
      const synced = new Set(
        ctx.store.links
          .active(PAIR, 'note')
          .map((l) => l.other_id)
          .filter((x): x is string => !!x && !ruled.has(x)),
      );
      out.push({
        wiring: {
          pair: PAIR,
          entity: RULE_ENTITY,
          ghl: ruleGhlTaskSide(ctx, rule),
          other: ruleNoteSide(withoutAppointmentNotes(arofloNoteSide(ar, ctx.logger)), ctx, rule),
          matchable: false,
          parentEntity: 'contact',
          exclude: { other: unionOf(synced, apptNotes) },
        },
        config: { fields: [], deletePolicy: 'unlink', createTo: { ghl: true, other: false } },
        fieldLabels: {},
        cursorName: `${PAIR}:rule-note-to-task`,
      });
    }
    return out;
  },
};

/** What the profile knows of this pair's HighLevel tasks: the task side's search reads use it (sides/ghl-tasks.ts). */
function taskKnowledge(ctx: RunContext): TaskKnowledge {
  const scope = mirrorScope(PAIR, 'task', 'ghl');
  return {
    linkedTasks: () =>
      ctx.store.links
        .active(PAIR, 'task')
        .map((l) => l.ghl_id)
        .filter((x): x is string => !!x),
    lastRead: (ids) => new Map([...ctx.store.mirror.get(scope, ids)].map(([id, r]) => [id, r.fields])),
    linkedContacts: () =>
      new Set(
        ctx.store.links
          .active(PAIR, 'contact')
          .map((l) => l.ghl_id)
          .filter((x): x is string => !!x),
      ),
    warn: (m) => ctx.logger.warn(m),
  };
}

function contactsOf(ctx: RunContext) {
  const ids = ctx.contactReads.of(PAIR);
  if (!ids) return ctx.ghl.contactsRead();
  return ids.map((id) => ctx.ghl.contact(id)).filter((c) => !!c);
}

/** Syncs since AroFlo's client notes were last listed (the profile's `meta`, shared by the app, serve mode and the CLI). */
const NOTES_SKIPPED = 'aroflo:clientnotes:skipped';

/**
 * Whether this sync lists AroFlo's client notes: every sync, but only every CLIENT_NOTES_EVERY_WHEN_LOW-th while
 * AroFlo's share runs low (main/sync/budget/declared.ts). A preview always lists them (it shows the whole plan).
 */
function clientNotesDue(ctx: RunContext): boolean {
  if (ctx.dryRun) return true;
  const skipped = Number(ctx.store.meta.get(NOTES_SKIPPED) ?? 0) || 0;
  if (!ctx.tight.has('aroflo') || skipped + 1 >= CLIENT_NOTES_EVERY_WHEN_LOW) {
    if (skipped) ctx.store.meta.set(NOTES_SKIPPED, '0');
    return true;
  }
  ctx.store.meta.set(NOTES_SKIPPED, String(skipped + 1));
  return false;
}

/**
 * HighLevel → Aimfox: contacts with a LinkedIn URL are leads (their tags are the lead's labels), and their notes are
 * the lead's notes. This pair reads HighLevel after HighLevel ⇄ AroFlo wrote into it: an AroFlo note copied into
 * HighLevel, or an AroFlo edit of a lead's contact, reaches Aimfox in the same run (main/sync/README.md, "Hops").
 */
import type { EntityKind } from '../../domain/index.js';
import type { SideRecord } from '../engine/types.js';
import type { EntityConfig } from '../engine/planner.js';
import type { WiredEntity } from '../engine/run.js';
import { entityConfig, entityMapping, fieldLabels } from '../engine/mapping.js';
import { aimfoxLeadSide, aimfoxNoteSide } from '../sides/aimfox.js';
import { ghlLeadContactSide, ghlNoteSide, inScope, leadRecord } from '../sides/ghl.js';
import { writtenContacts, type RunContext } from '../context.js';
import { RunEnv, runTransformEnv } from '../sides/env.js';
import { MappedFields } from '../sides/mapped.js';
import type { PairDeclaration } from './types.js';
import { appointmentEntity, appointmentNoteIds, withoutAppointmentNotes } from '../rules/appointment-notes.js';

const PAIR = 'ghl-aimfox' as const;

export const ghlAimfox: PairDeclaration = {
  pair: PAIR,
  readsAfter: [
    { pair: 'ghl-aroflo', entity: 'contact', into: 'lead' },
    { pair: 'ghl-aroflo', entity: 'note', into: 'note' },
  ],
  entities(mapping, ctx: RunContext): WiredEntity[] {
    const ghlScope = { businessIds: mapping.filters.ghlBusinessIds, tags: mapping.filters.ghlTags };
    const wired = (
      entity: EntityKind,
      w: Omit<WiredEntity['wiring'], 'pair' | 'entity'>,
      config: EntityConfig,
      labels: Record<string, string>,
      hop?: WiredEntity['hop'],
    ): WiredEntity => ({
      wiring: { pair: PAIR, entity, ...w },
      config,
      fieldLabels: labels,
      cursorName: `${PAIR}:${entity}`,
      ...(hop ? { hop } : {}),
    });
    const out: WiredEntity[] = [];
    const g = ctx.ghl;
    // The business's country and time zone, and the custom field definitions: read once per run, when first needed.
    const env = new RunEnv(() => runTransformEnv(mapping, ctx.location));
    const af = ctx.clients.aimfoxClient();
    const leads = entityMapping(mapping, 'lead');
    const linkedinFieldId = mapping.defaults.linkedinFieldId;
    if (leads?.enabled) {
      const cfg = entityConfig(leads, PAIR);
      out.push(
        wired(
          'lead',
          {
            ghl: ctx.contactReads.track(
              PAIR,
              ghlLeadContactSide(g, ghlScope, linkedinFieldId, env, new MappedFields(PAIR, 'ghl', leads, env)),
            ),
            other: aimfoxLeadSide(
              af,
              {
                campaignId: mapping.defaults.aimfoxCampaignId,
                listChanges:
                  cfg.createTo.ghl || leads.fields.some((f) => f.direction === 'both' || f.direction === 'to_ghl'),
              },
              env,
              new MappedFields(PAIR, 'other', leads, env),
            ),
            matchable: true,
          },
          cfg,
          fieldLabels(leads),
          {
            // HighLevel contacts HighLevel ⇄ AroFlo changed in this run, as HighLevel answered those writes.
            take: () =>
              writtenContacts(ctx, ctx.handoff.contactsBy('ghl-aroflo'))
                .filter((c) => inScope(c, ghlScope))
                .map((c) => leadRecord(c, linkedinFieldId))
                .filter((r): r is SideRecord => !!r),
            done: () => undefined,
          },
        ),
      );
    }
    const notes = entityMapping(mapping, 'note');
    if (notes?.enabled && leads?.enabled) {
      const back = notes.fields.some((f) => f.direction === 'both' || f.direction === 'to_ghl');
      const isLead = (id: string) => !!ctx.store.links.byGhl(PAIR, 'lead', id);
      // The notes of the contacts this pair's lead read returned, and of linked leads whose notes the last run wrote.
      const leadContacts = () => {
        const ids = new Set(ctx.contactReads.of(PAIR) ?? []);
        for (const id of g.carriedFor(PAIR, 'note')) if (isLead(id)) ids.add(id);
        return [...ids];
      };
      const linkedLeads = () =>
        ctx.store.links
          .active(PAIR, 'lead')
          .map((l) => l.other_id)
          .filter((x): x is string => !!x);
      out.push(
        wired(
          'note',
          {
            ghl: ghlNoteSide(g, ghlScope, leadContacts, PAIR, env, new MappedFields(PAIR, 'ghl', notes, env)),
            other: withoutAppointmentNotes(
              aimfoxNoteSide(
                af,
                { leadIds: linkedLeads, listChanges: back },
                env,
                new MappedFields(PAIR, 'other', notes, env),
              ),
            ),
            matchable: false,
            parentEntity: 'lead',
            // Notes that appointments made (rules/appointment-notes.ts) never go back to HighLevel as notes.
            exclude: { other: appointmentNoteIds(ctx.store, PAIR) },
          },
          entityConfig(notes),
          fieldLabels(notes),
          {
            // HighLevel notes HighLevel ⇄ AroFlo wrote in this run, on contacts that are leads.
            take: () => ctx.handoff.notesBy('ghl-aroflo').filter((r) => !!r.parentId && isLead(r.parentId)),
            // Those contacts need no re-read next run for this pair: the hop carried their notes.
            done: () => g.forget('ghl-aroflo', 'note'),
          },
        ),
      );
    }
    if (mapping.appointmentNotes?.enabled && leads?.enabled)
      // The appointments of the contacts this pair's lead read returned, as its notes.
      out.push(
        appointmentEntity(
          ctx,
          PAIR,
          'lead',
          aimfoxNoteSide(af, { leadIds: () => [], listChanges: false }, env),
          env,
          () => ctx.contactReads.of(PAIR) ?? [],
        ),
      );
    return out;
  },
};

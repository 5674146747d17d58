/**
 * Issue 15 item 2: the rolling re-read. After a full sync, each sync re-checks a slice of the records, sized so every
 * record is re-checked within the re-read window (main/sync/README.md, "Daily budget and the rolling re-read"): a
 * HighLevel note edited with no other change (no change feed reports it) and a delete are found within the window's
 * syncs. Real service, sandboxes over HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

/** Window 4 h at one sync an hour: every record is re-checked within 4 syncs. */
const SYNCS_PER_WINDOW = 4;
const ENTITIES = ['business', 'contact', 'task', 'note']
  .map((e) => `ghl-aroflo:${e}`)
  .concat('ghl-aimfox:lead', 'ghl-aimfox:note');

describe('rolling re-read', () => {
  it('N syncs re-check every record within the window: note edits with no feed, and deletes, are all found', async () => {
    bed = await startBed({ contacts: 40 });
    // A slice is due in proportion to the time since the entity's last one: before each sync, one sync interval (an
    // hour) passes for the re-read (the profile's positions say when each slice was read; the sandboxes and AroFlo's
    // request signing keep real time).
    const run = async () => {
      const store = bed!.svc.sync.store;
      for (const name of ENTITIES) {
        const p = store.budget.position(name);
        if (p?.lastAt !== undefined) store.budget.setPosition(name, { ...p, lastAt: p.lastAt - 60 * 60_000 });
      }
      return bed!.run();
    };
    await bed.svc.api.saveSettings({
      settings: { syncIntervalMinutes: 60, budget: { rereadWindowHours: SYNCS_PER_WINDOW } },
    });
    await bed.run({ full: true });
    const store = bed.svc.sync.store;
    const ghl = bed.boxes.ghl.admin;
    const aroflo = bed.boxes.aroflo.admin;
    const noteLinks = store.links.active('ghl-aroflo', 'note').filter((l) => l.other_id?.startsWith('clientnote:'));
    expect(noteLinks.length, 'the seed links client notes').toBeGreaterThan(4);
    // Every linked HighLevel note edited in HighLevel, its contact untouched: no change feed reports it.
    const edited = noteLinks.slice(1).map((l, i) => {
      const [contactId, noteId] = l.ghl_id!.split('/') as [string, string];
      ghl.updateNote(contactId, noteId, { body: `Edited in HighLevel ${i}` });
      return { link: l, body: `Edited in HighLevel ${i}` };
    });
    // And one note deleted in HighLevel (its AroFlo note is unlinked: the notes' delete policy).
    const gone = noteLinks[0]!;
    ghl.deleteNote(...(gone.ghl_id!.split('/') as [string, string]));
    // And one linked contact deleted in HighLevel.
    const contactLink = store.links
      .active('ghl-aroflo', 'contact')
      .find((l) => !noteLinks.some((n) => n.ghl_parent === l.ghl_id))!;
    ghl.deleteContact(contactLink.ghl_id!);

    const arofloBody = (otherId: string) =>
      aroflo.listClientNotes().find((n) => `clientnote:${n.noteid}` === otherId)?.content;
    const carried = () => edited.filter((e) => arofloBody(e.link.other_id!) === e.body).length;

    const first = await run();
    expect(first.summary.status, first.summary.message).toBe('ok');
    const afterOne = carried();
    expect(afterOne, 'one sync re-checks a slice, not everything').toBeLessThan(edited.length);
    for (let i = 1; i < SYNCS_PER_WINDOW; i++) expect((await run()).summary.status).toBe('ok');
    expect(carried(), 'every edit found within the window').toBe(edited.length);
    expect(store.links.byId(gone.id)?.state, 'the HighLevel note delete found').not.toBe('active');
    expect(store.links.byId(contactLink.id)?.state, 'the HighLevel contact delete found').not.toBe('active');
    // The lap wrapped: the positions start again.
    expect(store.budget.position('ghl-aroflo:contact')?.lastLapMs).toBeDefined();
  }, 120_000);
});

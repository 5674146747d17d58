/**
 * Rich-text notes end to end over real HTTP (main/sandbox/ghl/README.md "Notes and rich text"): a note written in
 * HighLevel's editor carries markup in `body` beside the plain `bodyText`. The bridge carries the plain text to
 * AroFlo and Aimfox and never markup; it never flattens a formatted HighLevel note whose text did not change on
 * the other side, and writes plain text to it only when the other side changed the text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../support/harness.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const MARKUP = /<\/?[a-z][^>]*>|&(#\d+|[a-z]+);/i;

/** The AroFlo client note linked to a GHL note (pair ghl-aroflo, id "clientnote:<id>"). */
function linkedClientNote(b: Bed, contactId: string, noteId: string) {
  const link = b.svc.sync.store.links.byGhl('ghl-aroflo', 'note', `${contactId}/${noteId}`);
  expect(link, `GHL note ${noteId} is linked to AroFlo`).toBeTruthy();
  const [kind, id] = link!.other_id!.split(':');
  expect(kind).toBe('clientnote');
  return b.boxes.aroflo.admin.listClientNotes().find((n) => n.noteid === id)!;
}

const formattedNotes = (b: Bed) =>
  b.boxes.ghl.admin
    .listContacts()
    .flatMap((c) => b.boxes.ghl.admin.listNotes(c.id).map((n) => ({ ...n, contactId: c.id })))
    .filter((n) => n.body !== n.bodyText);

describe('rich-text HighLevel notes', () => {
  it('carry their plain text to AroFlo and Aimfox, keep their markup in HighLevel, and are flattened only by a text change elsewhere', async () => {
    bed = await startBed({ contacts: 40 });
    const ghl = bed.boxes.ghl.admin;
    const seeded = formattedNotes(bed);
    expect(seeded.length, 'the GHL sandbox seeds formatted notes').toBeGreaterThan(1);

    // A note as HighLevel's editor stores it: a list, entities, a non-breaking space.
    const contact = ghl.listContacts().find((c) => c.email && ghl.listNotes(c.id).length === 0)!;
    const written = ghl.createNote(contact.id, {
      body: '<ul><li><strong>Replace</strong> the hot&#8211;water unit</li><li>Quote:&nbsp;$1,200 &amp; GST</li></ul>',
      bodyText: 'Replace the hot–water unit\nQuote: $1,200 & GST',
    });

    const r1 = await bed.run({ full: true });
    expect(r1.summary.errors).toBe(0);
    await bed.run(); // what crossed to GHL reaches Aimfox on the next run

    // AroFlo got the plain text, never the markup.
    const aroNote = linkedClientNote(bed, contact.id, written.id);
    expect(aroNote.content.replace(/\s+/g, ' ')).toBe('Replace the hot–water unit Quote: $1,200 & GST');
    expect(aroNote.content).not.toMatch(MARKUP);
    for (const n of seeded) {
      const linked = linkedClientNote(bed, n.contactId, n.id);
      expect(linked.content.replace(/\s+/g, ' ').trim()).toBe(n.bodyText.replace(/\s+/g, ' ').trim());
    }
    // Aimfox got plain text too (the GHL notes of contacts with a LinkedIn URL).
    const aimfoxNotes = bed.boxes.aimfox.admin.listLeads().flatMap((l) => (l.notes ?? []) as Array<{ text: string }>);
    const seededTexts = new Set(seeded.map((n) => n.bodyText));
    expect(
      aimfoxNotes.some((n) => seededTexts.has(n.text)),
      'a formatted GHL note reached Aimfox',
    ).toBe(true);
    for (const n of aimfoxNotes) expect(n.text).not.toMatch(MARKUP);

    // Nothing changed elsewhere: every formatted HighLevel note keeps its markup.
    await bed.run();
    await bed.run({ full: true });
    expect(ghl.getNote(contact.id, written.id)!.body).toBe(written.body);
    for (const n of seeded) expect(ghl.getNote(n.contactId, n.id)!.body).toBe(n.body);

    // The text changed in AroFlo: the HighLevel note takes the new plain text (its markup goes with the old text).
    bed.boxes.aroflo.admin.updateClientNote(aroNote.noteid, { content: 'Quote accepted, book for Monday' });
    await bed.run();
    const after = ghl.getNote(contact.id, written.id)!;
    expect(after.body).toBe('Quote accepted, book for Monday');
    expect(after.bodyText).toBe('Quote accepted, book for Monday');

    // The text changed in HighLevel's editor: AroFlo gets the new plain text, HighLevel keeps its new markup.
    const edited = seeded[0]!;
    ghl.updateNote(edited.contactId, edited.id, {
      body: '<p><em>Call before</em> 8&nbsp;am</p>',
      bodyText: 'Call before 8 am',
    });
    // A note edit does not bump its contact (no change feed for notes): a full read finds it.
    await bed.run({ full: true });
    expect(linkedClientNote(bed, edited.contactId, edited.id).content).toBe('Call before 8 am');
    await bed.run();
    expect(ghl.getNote(edited.contactId, edited.id)!.body).toBe('<p><em>Call before</em> 8&nbsp;am</p>');
  }, 120_000);

  it('a plain note with "&" and "<…>" typed in AroFlo reaches HighLevel as typed, and stays settled', async () => {
    bed = await startBed({ contacts: 30 });
    await bed.run({ full: true });
    const contactLink = bed.boxes.ghl.admin
      .listContacts()
      .map((c) => bed!.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id))
      .find((l) => l?.other_id?.startsWith('client:'));
    expect(contactLink, 'a HighLevel contact linked to its own AroFlo client').toBeTruthy();
    const clientId = contactLink!.other_id!.split(':')[1]!;
    const ghlId = contactLink!.ghl_id!;
    const typed = 'R&D visit <urgent> — gate code 4821\nBring the 2<3 ladder';
    const note = bed.boxes.aroflo.admin.addClientNote(clientId, { content: typed });
    await bed.run();
    const ghlNote = bed.boxes.ghl.admin.listNotes(ghlId).find((n) => n.bodyText.startsWith('R&D visit'));
    expect(ghlNote, 'the AroFlo note reached HighLevel').toBeTruthy();
    expect(ghlNote!.bodyText).toBe(typed);
    // Two more syncs change nothing: the AroFlo note keeps every character, nothing is written back.
    await bed.run();
    await bed.run({ full: true });
    expect(bed.boxes.aroflo.admin.listClientNotes().find((n) => n.noteid === note.noteid)!.content).toBe(typed);
    expect(bed.boxes.ghl.admin.getNote(ghlId, ghlNote!.id)!.bodyText).toBe(typed);
  }, 120_000);
});

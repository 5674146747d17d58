import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientInsert } from '../../main/connectors/aroflo/index.js';
import { clientFor, sandbox, type Sandbox } from './aroflo-helpers.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox({ contacts: 80, seed: 23 });
});
afterAll(() => sb?.close());

describe('AroFlo batched writes against the sandbox', () => {
  it('inserts many clients with contacts in ONE call; the duplicate client name alone is marked failed', async () => {
    const c = clientFor(sb);
    const existing = sb.admin.listClients()[0]!.clientname;
    const inputs: ClientInsert[] = Array.from({ length: 30 }, (_, i) => ({
      name: `Batch Client ${i} Ångström`,
      firstName: `First${i}`,
      surname: `Søren ${i}`,
      email: `batch${i}@example.com`,
      contacts:
        i % 3 === 0
          ? [
              { givenNames: `Zoë ${i}`, surname: 'Müller', email: `zoe${i}@example.com` },
              { givenNames: `Bob ${i}`, surname: "O'Brien" },
            ]
          : undefined,
    }));
    inputs.splice(17, 0, { name: existing, firstName: 'Dup', surname: 'Licate' });
    sb.resetStats();
    const out = await c.insertClients(inputs);
    expect(sb.stats().byEndpoint['POST clients']).toBe(1);
    expect(out.map((o) => o.index)).toEqual(inputs.map((_, i) => i));
    const failed = out.filter((o) => o.status !== 'ok');
    expect(failed.map((o) => o.index)).toEqual([17]);
    expect(failed[0]!.status).toBe('failed');
    expect(failed[0]!.error!.kind).toBe('rejected');
    expect(failed[0]!.error!.message).toContain(`client "${existing}"`);
    expect(failed[0]!.error!.message).toMatch(/Client already exists/);
    // Every other input got the id AroFlo gave it, and the record behind that id is the one we sent.
    for (const o of out.filter((x) => x.status === 'ok')) {
      const rec = sb.admin.getClient(o.id!);
      expect(rec?.clientname).toBe(inputs[o.index]!.name);
      const wanted = inputs[o.index]!.contacts ?? [];
      expect(o.contacts?.length ?? 0).toBe(wanted.length);
      o.contacts?.forEach((k, j) => {
        expect(k.status).toBe('ok');
        const contact = sb.admin.getContact(k.id!);
        expect(contact?.clientid).toBe(o.id);
        expect(contact?.givennames).toBe(wanted[j]!.givenNames);
      });
    }
  });

  it('updates clients with nested contact insert, update and archive, many per call', async () => {
    const c = clientFor(sb);
    const [a, b] = await c.insertClients([
      {
        name: 'Upd One',
        firstName: 'U',
        surname: 'One',
        contacts: [
          { givenNames: 'Keep', surname: 'Me' },
          { givenNames: 'Gone', surname: 'Soon' },
        ],
      },
      { name: 'Upd Two', firstName: 'U', surname: 'Two' },
    ]);
    sb.resetStats();
    const out = await c.updateClients([
      {
        id: a!.id!,
        email: 'one@example.com',
        contacts: [
          { id: a!.contacts![0]!.id!, mobile: '0412 345 678' },
          { id: a!.contacts![1]!.id!, archived: true },
          { givenNames: 'New', surname: 'Person', email: 'new@example.com' },
        ],
      },
      { id: b!.id!, phone: '(03) 9000 1234', externalId: 'ghl:contact-42' },
    ]);
    expect(sb.stats().byEndpoint['POST clients']).toBe(1);
    expect(out.map((o) => o.status)).toEqual(['ok', 'ok']);
    expect(out[0]!.contacts!.map((k) => k.status)).toEqual(['ok', 'ok', 'ok']);
    const created = sb.admin.getContact(out[0]!.contacts![2]!.id!);
    expect(created).toMatchObject({ givennames: 'New', email: 'new@example.com', clientid: a!.id });
    expect(sb.admin.getContact(a!.contacts![0]!.id!)?.mobile).toBe('0412 345 678');
    expect(sb.admin.getContact(a!.contacts![1]!.id!)?.archived).toBe(true);
    expect(sb.admin.getClient(b!.id!)).toMatchObject({
      phone: '(03) 9000 1234',
      link: expect.objectContaining({ externalid: 'ghl:contact-42' }),
    });
    // And the postable flag: cleared after processing.
    sb.admin.updateClient(b!.id!, { website: 'https://example.com' });
    expect((await c.listClients({ postableOnly: true })).items.map((x) => x.id)).toContain(b!.id);
    expect((await c.clearPostable([b!.id!]))[0]!.status).toBe('ok');
    expect(sb.admin.getClient(b!.id!)?.postable).toBe(false);
  });

  it('a task: insert with the required references, status update, note insert (ids found) and note update', async () => {
    const c = clientFor(sb);
    const client = sb.admin.listClients()[2]!;
    const bu = sb.credentials.businessUnits[0]!.orgid;
    const tt = sb.credentials.taskTypes[0]!.tasktypeid;
    const [ins] = await c.insertTasks([
      {
        clientId: client.clientid,
        businessUnitId: bu,
        taskTypeId: tt,
        name: 'Replace hot water unit',
        dueDate: '2026-12-05',
        description: 'From GHL',
      },
    ]);
    expect(ins!.status).toBe('ok');
    const taskId = ins!.id!;
    expect(sb.admin.getTask(taskId)).toMatchObject({
      taskname: 'Replace hot water unit',
      duedate: '2026-12-05',
      clientid: client.clientid,
      orgid: bu,
      tasktypeid: tt,
      status: 'Not Started',
    });

    const upd = await c.updateTasks([{ id: taskId, status: 'completed' }]);
    expect(upd[0]!.status).toBe('ok');
    expect(sb.admin.getTask(taskId)?.status).toBe('Completed');

    // AroFlo cannot change the due date: refused with a clear error, nothing sent.
    sb.resetStats();
    const refused = await c.updateTasks([{ id: taskId, dueDate: '2027-01-01' }]);
    expect(refused[0]).toMatchObject({ status: 'failed' });
    expect(refused[0]!.error!.kind).toBe('rejected');
    expect(refused[0]!.error!.message).toMatch(/cannot change a task's due date/);
    expect(sb.stats().byEndpoint['POST tasks'] ?? 0).toBe(0);

    const notes = await c.addTaskNotes([
      { taskId, content: 'Customer prefers mornings — gate code 4821 ]]> ok' },
      { taskId, content: 'Zoë called back', sticky: true },
    ]);
    expect(notes.map((n) => n.status)).toEqual(['ok', 'ok']);
    const stored = sb.admin.listTaskNotes(taskId);
    const first = stored.find((n) => n.noteid === notes[0]!.id);
    expect(first?.content).toBe('Customer prefers mornings — gate code 4821 ]] > ok');
    expect(stored.find((n) => n.noteid === notes[1]!.id)?.content).toBe('Zoë called back');

    const edited = await c.updateTaskNotes([{ taskId, noteId: notes[1]!.id!, content: 'Zoë called back twice' }]);
    expect(edited[0]).toMatchObject({ status: 'ok', id: notes[1]!.id });
    expect(sb.admin.listTaskNotes(taskId).find((n) => n.noteid === notes[1]!.id)?.content).toBe(
      'Zoë called back twice',
    );
    expect(sb.admin.listTaskNotes(taskId)).toHaveLength(2);

    const back = await c.getTask(taskId, { notes: true });
    expect(back).toMatchObject({ status: 'completed', name: 'Replace hot water unit', dueDate: '2026-12-05' });
    expect(back!.notes!.map((n) => n.content).sort()).toEqual([
      'Customer prefers mornings — gate code 4821 ]] > ok',
      'Zoë called back twice',
    ]);
  });

  it('a task insert missing what AroFlo requires is refused before sending', async () => {
    const c = clientFor(sb);
    sb.resetStats();
    const out = await c.insertTasks([
      { clientId: '', businessUnitId: 'x', taskTypeId: 'y', name: 'No client', dueDate: '5/12/2026' },
    ]);
    expect(out[0]!.status).toBe('failed');
    expect(out[0]!.error!.message).toMatch(/client id is required; due date must be YYYY-MM-DD/);
    expect(sb.stats().byEndpoint['POST tasks'] ?? 0).toBe(0);
  });

  it('client notes: insert (id from NOTEID), update, and list', async () => {
    const c = clientFor(sb);
    const [x, y] = sb.admin.listClients();
    const out = await c.insertClientNotes([
      { clientId: x!.clientid, content: 'Asked for a quote on solar — Søren' },
      { clientId: 'KnotAclientA==', content: 'orphan' },
      { clientId: y!.clientid, content: '<p>HTML <b>note</b></p>', filter: 'Show Client', sticky: true },
    ]);
    expect(out.map((o) => o.status)).toEqual(['ok', 'failed', 'ok']);
    expect(out[1]!.error!.message).toMatch(/AroFlo rejected a note for client KnotAclientA==/);
    expect(
      sb.admin
        .listClientNotes({ clientid: x!.clientid })
        .some((n) => n.noteid === out[0]!.id && n.content === 'Asked for a quote on solar — Søren'),
    ).toBe(true);
    const upd = await c.updateClientNotes([{ id: out[0]!.id!, content: 'Quote sent' }]);
    expect(upd[0]!.status).toBe('ok');
    const listed = await c.listClientNotes();
    const note = listed.items.find((n) => n.id === out[0]!.id);
    expect(note).toMatchObject({ clientId: x!.clientid, content: 'Quote sent' });
    expect(listed.items.find((n) => n.id === out[2]!.id)).toMatchObject({ sticky: true, filter: 'Show Client' });
  });
});

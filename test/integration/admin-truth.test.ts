/**
 * What an office admin reads is true, plain and complete (issue 17): a dry run says what it would do, an undo row
 * what the undo did, an account problem in Aimfox is under Needs attention, a Private Integration token is tried
 * before it is kept, no raw location or workspace ids, and the audit CSV reads in a spreadsheet. Real HTTP against
 * the sandboxes (test/support/harness.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBed, writesOf, type Bed } from '../support/harness.js';
import { AUDIT_COLUMNS } from '../../main/sync/engine/audit-export.js';

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

let bed: Bed;
beforeAll(async () => {
  bed = await startBed({ contacts: 30, seed: 17 });
}, 120_000);
afterAll(async () => bed?.close());

describe('counts that tell the truth', () => {
  it('a dry run reports what it would create, in its summary, its log line and its Recent syncs row', async () => {
    const dry = await bed.svc.sync.runNow({ trigger: 'cli', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.created.contact ?? 0).toBeGreaterThan(0);
    const row = (await bed.svc.api.listRuns({ limit: 5 })).find((r) => r.id === dry.id)!;
    expect(row.created).toEqual(dry.created);
    const line = bed.svc.logger.list({ query: 'Sync preview' })[0]!;
    expect(line.message).toMatch(/would create [1-9]\d*/);
    // …and the real run that follows does what the preview said.
    const real = await bed.svc.sync.runNow({ trigger: 'cli', dryRun: false });
    expect(real.created.contact).toBe(dry.created.contact);
  }, 120_000);

  it('the undo row shows what the undo did', async () => {
    const g = bed.boxes.ghl;
    const some = g.admin
      .listContacts()
      .find((c) => c.email && bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id))!;
    g.admin.updateContact(some.id, { firstName: 'Undine' });
    const run = await bed.svc.sync.runNow({ trigger: 'cli', dryRun: false });
    expect(writesOf(run)).toBeGreaterThan(0);
    const r = await bed.svc.api.undoRun({ runId: run.id });
    expect(r.reverted).toBeGreaterThan(0);
    const undoRow = (await bed.svc.api.listRuns({ limit: 3 })).find((x) => x.trigger === 'undo')!;
    expect(writesOf(undoRow)).toBeGreaterThan(0);
  }, 120_000);
});

describe('nothing a person must act on is hidden', () => {
  it('a LinkedIn account logged out in Aimfox is a Needs-attention item (and "test-connection" says so)', async () => {
    const info = await bed.svc.api.testConnection({ system: 'aimfox' });
    expect(info.health).toBe('ok');
    expect(info.warnings?.join(' ')).toMatch(/logged out in Aimfox/);
    const s = await bed.svc.api.getStatus();
    const item = s.attention.find((a) => a.kind === 'account');
    expect(item?.message).toMatch(/Sam Lee is logged out in Aimfox/);
    expect(item?.screen).toBe('connections');
    expect(item?.severity).toBe('warning');
  });
});

describe('plain words, no raw ids', () => {
  it('connections name the account without the location or workspace id', async () => {
    const list = await bed.svc.api.getConnections();
    const text = JSON.stringify(list.map((c) => [c.account, c.message, c.warnings]));
    expect(text).not.toContain(bed.boxes.ghl.credentials.locationId);
    const workspace = (await bed.svc.connections.aimfoxClient().testConnection()) as { workspaceId?: string };
    expect(workspace.workspaceId).toBeTruthy();
    expect(text).not.toContain(workspace.workspaceId!);
    expect(list.find((c) => c.system === 'ghl')?.account).toMatch(/HighLevel sub-account/);
  });
});

describe('no dead ends', () => {
  it('a Private Integration token that cannot read the location is refused, and the working sign-in stays', async () => {
    const token = bed.boxes.ghl.credentials.privateToken;
    await expect(bed.svc.api.saveGhlPrivateToken({ token, locationId: 'abc' })).rejects.toThrow(
      /did not let this token read the location "abc".*Nothing was saved/,
    );
    await expect(
      bed.svc.api.saveGhlPrivateToken({
        token: 'pit-not-a-real-token-000',
        locationId: bed.boxes.ghl.credentials.locationId,
      }),
    ).rejects.toThrow(/HighLevel refused this token/);
    const ghl = (await bed.svc.api.getConnections()).find((c) => c.system === 'ghl')!;
    expect(ghl.health).toBe('ok');
    const ok = await bed.svc.api.saveGhlPrivateToken({ token, locationId: bed.boxes.ghl.credentials.locationId });
    expect(ok.health).toBe('ok');
  });
});

describe('an audit CSV an office admin can open', () => {
  it('one row per field change, with the record name, system, field label, plain before/after, local time with offset, the run', async () => {
    const { csv, rows } = await bed.svc.api.exportAuditCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const table = parseCsv(csv.slice(1));
    expect(table[0]).toEqual([...AUDIT_COLUMNS]);
    expect(table.length - 1).toBe(rows);
    expect(
      csv
        .slice(1)
        .split('\r\n')
        .filter(Boolean)
        .every((l) => l.startsWith('"')),
    ).toBe(true);
    const col = (name: (typeof AUDIT_COLUMNS)[number]) => AUDIT_COLUMNS.indexOf(name);
    const body = table.slice(1);
    const changed = body.find((r) => r[col('Action')] === 'changed' && r[col('After')] === 'Undine')!;
    expect(changed, 'the first-name change of the undo test').toBeTruthy();
    expect(changed[col('Field')]).toBe('First name');
    expect(changed[col('Record')]).not.toBe('');
    expect(changed[col('System')]).toBe('AroFlo');
    expect(changed[col('Time')]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    expect(changed[col('Run')]).toMatch(/^run_/);
    const created = body.filter((r) => r[col('Action')] === 'created');
    expect(created.length).toBeGreaterThan(0);
    expect(created.some((r) => r[col('Field')] === 'Email' && /@/.test(r[col('After')]!))).toBe(true);
    for (const r of body) for (const c of [r[col('Before')], r[col('After')]]) expect(c).not.toMatch(/^\s*[[{]"/);
  });
});

describe('a write that fails is not hidden', () => {
  it('a record HighLevel refuses makes the run partial, and it is under Needs attention', async () => {
    const g = bed.boxes.ghl.admin;
    const a = bed.boxes.aroflo.admin;
    const linked = g
      .listContacts()
      .filter((c) => c.phone && bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', c.id)?.state === 'active');
    const [one, two] = linked;
    expect(one && two).toBeTruthy();
    // In AroFlo, someone gives the first person the second person's mobile: HighLevel refuses a duplicate phone.
    const [kind, clientId, userId] = (
      bed.svc.sync.store.links.byGhl('ghl-aroflo', 'contact', one!.id)!.other_id ?? ''
    ).split(':');
    if (kind === 'contact') a.updateContact(userId!, { mobile: String(two!.phone) });
    else a.updateClient(clientId!, { mobile: String(two!.phone) });
    const run = await bed.svc.sync.runNow({ trigger: 'cli', dryRun: false });
    expect(run.status).toBe('partial');
    const item = (await bed.svc.api.getStatus()).attention.find((x) => x.kind === 'errors' && x.severity === 'warning');
    expect(item?.message).toMatch(/could not be written/);
    expect(item?.screen).toBe('logs');
  }, 120_000);
});

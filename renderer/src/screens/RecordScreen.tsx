/**
 * One record (a person, or a task or note): its linked records in every system side by side — current values (read
 * live, or the bridge's copies with "as of") beside the values last synced —, its field history, every write the
 * bridge made with the outcome, its conflicts and what the check after a run found; and "Sync this record now".
 * Reached as #/record/<link id> (Conflicts, Activity, Status) or #/record?q=<email, name, phone or id> (the search box).
 */
import { useEffect, useState } from 'react';
import type { RecordLinkView, RecordSearch, RecordView, RunSummary } from '../../../preload/contract.js';
import { Badge, RunStatusBadge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { FilterBar } from '../components/filter-bar.js';
import { SearchBox } from '../components/form.js';
import { EmptyState, QueryView } from '../components/states.js';
import { TableWrap } from '../components/table-wrap.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { useBridge } from '../components/bridge-context.js';
import { useAction } from '../components/use-action.js';
import { formatDateTime } from '../components/format.js';
import { capital, entityOne, PAIR_LABEL, systemLabel } from '../labels.js';
import { hrefFor, recordHref } from '../routes.js';

/** "#/record/12" → "12"; "#/record?q=ann@x.com" → the query. */
function recordQuery(hash: string): string {
  const path = /^#\/?record\/([^?]+)/.exec(hash);
  if (path) return decodeURIComponent(path[1]!);
  const q = hash.indexOf('?');
  return q < 0 ? '' : (new URLSearchParams(hash.slice(q + 1)).get('q') ?? '');
}

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

const show = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '—' : v);

export function RecordScreen() {
  const q = recordQuery(useHash());
  // One record per query: a new query starts empty (never shows the last record's values under the new one).
  return <RecordQuery key={q} q={q} />;
}

function RecordQuery({ q }: { q: string }) {
  const query = useBridgeQuery<RecordSearch | undefined>(
    (b) => (q ? b.getRecord({ q }) : Promise.resolve(undefined)),
    q,
  );
  return (
    <>
      <PageHeader
        title={query.data?.record ? `Record: ${query.data.record.label}` : 'Find a record'}
        description="One person (or task, note) in every system side by side: what each holds now, what was last synced, and everything the bridge did to it."
      />
      <SearchForm initial={/^#\/?record\?/.test(window.location.hash) ? q : ''} />
      {q ? (
        <QueryView query={query} loadingLabel="Reading the record from each system…">
          {(data) =>
            data?.record ? (
              <Record record={data.record} reload={query.reload} />
            ) : data?.matches.length ? (
              <Matches data={data} />
            ) : (
              <EmptyState title="No record found">
                Nothing linked matches “{q}”. Try an email address, a phone number, a name or an ID.
              </EmptyState>
            )
          }
        </QueryView>
      ) : null}
    </>
  );
}

/**
 * The search box; it starts from the page's query (a new query is a new form). It searches on Enter or "Find", not
 * as it is typed: each search reads the record live from every system.
 */
function SearchForm({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const search = () => {
    if (text.trim()) window.location.hash = `#/record?${new URLSearchParams({ q: text.trim() }).toString()}`;
  };
  return (
    <FilterBar label="Find a record" onSubmit={search}>
      <SearchBox
        wide
        label="Email, name, phone or any system ID"
        placeholder="Email, name, phone or any system ID"
        value={text}
        onChange={setText}
      />
      <button type="submit" className="button">
        Find
      </button>
    </FilterBar>
  );
}

function Matches({ data }: { data: RecordSearch }) {
  return (
    <Card title="Records that match">
      <ul className="record-matches">
        {data.matches.map((m) => (
          <li key={m.key}>
            <a href={recordHref(m.key)}>{m.label || '(no name)'}</a>{' '}
            <span className="muted">
              {capital(entityOne(m.entity))} · {PAIR_LABEL[m.pair]} · {m.ids.join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Record({ record, reload }: { record: RecordView; reload: () => void }) {
  const bridge = useBridge();
  const sync = useAction(async () => {
    const run = await bridge.syncRecord({ key: record.key });
    reload();
    return run;
  });
  return (
    <>
      <div className="record-bar">
        <p className="muted" data-testid="record-read">
          {record.readAt
            ? `Current values read live from each system at ${formatDateTime(record.readAt)}.`
            : (record.offline ?? 'Current values are the bridge’s copies from its last read.')}
        </p>
        <button type="button" className="button button-primary" disabled={sync.busy} onClick={() => void sync.run()}>
          {sync.busy ? 'Syncing this record…' : 'Sync this record now'}
        </button>
      </div>
      {sync.error ? (
        <p className="form-error" role="alert">
          {sync.error}
        </p>
      ) : null}
      {sync.result ? <SyncResult run={sync.result} /> : null}
      {record.findings.map((f) => (
        <p key={`${f.linkId}-${f.system}`} className="record-finding" role="status">
          {f.message} Found by the check after the sync of {formatDateTime(f.at)}; “Sync this record now” carries the
          change across, and the finding clears once both sides agree again.
        </p>
      ))}
      {/* The cards one gap apart, as on the other screens. */}
      <div className="stack">
        {record.links.map((l) => (
          <LinkCard key={l.linkId} link={l} />
        ))}
        <Card title="Open conflicts">
          {record.conflicts.filter((c) => c.status === 'open').length ? (
            <ul className="record-matches">
              {record.conflicts
                .filter((c) => c.status === 'open')
                .map((c) => (
                  <li key={c.id}>
                    <a href={hrefFor('conflicts', { q: c.label })}>
                      {c.kind === 'conflict' ? 'Conflict' : 'Possible duplicate'}: {c.label}
                    </a>{' '}
                    <span className="muted">
                      {c.fields.join(', ')} · {formatDateTime(c.createdAt)}
                    </span>
                  </li>
                ))}
            </ul>
          ) : (
            <p className="muted">No open conflicts.</p>
          )}
        </Card>
        <Card title="Field history">
          {record.history.length ? (
            <TableWrap label="Field history">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">System</th>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {record.history.slice(0, 100).map((h, i) => (
                    <tr key={i}>
                      <td>{formatDateTime(h.at)}</td>
                      <td>{systemLabel(h.system)}</td>
                      <td>{h.field}</td>
                      <td>{show(h.before)}</td>
                      <td>{show(h.after)}</td>
                      <td>{h.by === 'bridge' ? 'GHL Bridge' : `A person in ${systemLabel(h.system)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : (
            <p className="muted">No field changes recorded yet.</p>
          )}
        </Card>
        <Card title="Writes by the bridge">
          {record.writes.length ? (
            <TableWrap label="Writes by the bridge">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">System</th>
                    <th scope="col">What</th>
                    <th scope="col">Fields</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {record.writes.slice(0, 100).map((w, i) => (
                    <tr key={i}>
                      <td>{formatDateTime(w.at)}</td>
                      <td>{systemLabel(w.system)}</td>
                      <td>
                        {capital(w.action)} {entityOne(w.entity)}
                      </td>
                      <td>
                        {w.fields.map((f) => `${f.field}: ${show(f.before)} → ${show(f.after)}`).join('; ') || '—'}
                      </td>
                      <td>
                        <Badge tone={w.outcome === 'failed' ? 'bad' : w.outcome === 'pending' ? 'warn' : 'good'}>
                          {w.outcome === 'done' || w.outcome === 'confirmed' ? 'Written' : capital(w.outcome)}
                        </Badge>
                        {w.undoneBy ? <span className="muted"> (undone)</span> : null}
                        {w.error ? <span className="muted"> {w.error}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : (
            <p className="muted">The bridge has not written this record.</p>
          )}
        </Card>
      </div>
    </>
  );
}

function SyncResult({ run }: { run: RunSummary }) {
  const n = (c: Record<string, number | undefined>) => Object.values(c).reduce<number>((a, b) => a + (b ?? 0), 0);
  const writes = n(run.created) + n(run.updated) + n(run.deleted);
  return (
    <p className="record-synced" role="status">
      <RunStatusBadge status={run.status} />{' '}
      {writes ? `Synced: ${writes} record${writes === 1 ? '' : 's'} written.` : 'Synced: nothing needed writing.'}
      {run.conflicts ? ` ${run.conflicts} waiting for review.` : ''}
    </p>
  );
}

function sideNote(s: RecordLinkView['ghl']): string {
  if (s.source === 'none') return s.id ? 'not read' : 'not linked';
  if (s.source === 'gone') return 'no longer there';
  if (s.source === 'live') return `read ${formatDateTime(s.readAt)}`;
  return `as of ${formatDateTime(s.readAt)}`;
}

function LinkCard({ link }: { link: RecordLinkView }) {
  const other = systemLabel(link.other.system);
  return (
    <Card title={`${capital(entityOne(link.entity))} · ${PAIR_LABEL[link.pair]}: ${link.label}`}>
      <p className="muted record-ids">
        HighLevel{' '}
        {link.ghl.url ? (
          <a href={link.ghl.url} target="_blank" rel="noreferrer">
            {link.ghl.id}
          </a>
        ) : (
          <span className="mono">{show(link.ghl.id)}</span>
        )}{' '}
        ({sideNote(link.ghl)}) · {other} <span className="mono">{show(link.other.id)}</span> ({sideNote(link.other)})
        {link.syncedAt ? ` · last synced ${formatDateTime(link.syncedAt)}` : ''}
      </p>
      {link.fields.length ? (
        <TableWrap label={`Fields of ${link.label}`}>
          <table className="table record-fields">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">HighLevel now</th>
                <th scope="col">HighLevel last synced</th>
                <th scope="col">{other} now</th>
                <th scope="col">{other} last synced</th>
              </tr>
            </thead>
            <tbody>
              {link.fields.map((f) => (
                <tr key={f.key} data-field={f.key}>
                  <th scope="row">{f.label}</th>
                  <td className={f.changed.ghl ? 'record-changed' : undefined} data-side="ghl-now">
                    {show(f.ghl.current)}
                    {f.changed.ghl ? <span className="visually-hidden"> (changed since last sync)</span> : null}
                  </td>
                  <td className="muted">{show(f.ghl.base)}</td>
                  <td className={f.changed.other ? 'record-changed' : undefined} data-side="other-now">
                    {show(f.other.current)}
                    {f.changed.other ? <span className="visually-hidden"> (changed since last sync)</span> : null}
                  </td>
                  <td className="muted">{show(f.other.base)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p className="muted">No mapped fields.</p>
      )}
    </Card>
  );
}

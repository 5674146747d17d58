/** Logs: what the app wrote to its log, newest first, searchable, new entries arriving live; diagnostics to copy. */
import { useEffect, useRef, useState } from 'react';
import type { LogEntry, LogLevel } from '../../../preload/contract.js';
import { LevelBadge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { FormError, FormSuccess, SearchBox } from '../components/form.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { useBridge, useBridgeEvent } from '../components/bridge-context.js';
import { useAction } from '../components/use-action.js';
import { IconCopy, IconLogs } from '../components/icons.js';
import { formatLogTime } from '../components/format.js';
import { TableWrap } from '../components/table-wrap.js';
import { FilterBar, FilterSelect, useDebounced, type FilterOption } from '../components/filter-bar.js';

const LIMIT = 300;
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

const LEVELS: Array<FilterOption<'' | LogLevel>> = [
  { value: '', label: 'Every level' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
];

/** Copies the diagnostics; where the clipboard is not available, shows them in a box to copy by hand. */
function CopyDiagnostics() {
  const bridge = useBridge();
  const [fallback, setFallback] = useState<string>();
  const [copied, setCopied] = useState<string>();
  const box = useRef<HTMLTextAreaElement>(null);
  const copy = useAction(async () => {
    setCopied(undefined);
    const { text } = await bridge.getDiagnostics();
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setFallback(undefined);
      setCopied('Diagnostics copied — paste them into your message to support.');
    } catch {
      setFallback(text);
    }
  });
  useEffect(() => {
    if (fallback) box.current?.select();
  }, [fallback]);
  return (
    <div className="diagnostics">
      <button type="button" className="button" disabled={copy.busy} onClick={() => void copy.run()}>
        <IconCopy />
        {copy.busy ? 'Collecting…' : 'Copy diagnostics'}
      </button>
      <span className="muted">Everything support needs to help, without passwords or keys.</span>
      <div className="diagnostics-feedback">
        <FormError message={copy.error} />
        <FormSuccess message={copied} />
        {fallback ? (
          <div className="diagnostics-fallback">
            <label htmlFor="diagnostics-text" className="field-label">
              Copy these diagnostics (Ctrl+C or ⌘C) — this window cannot reach the clipboard
            </label>
            <textarea
              id="diagnostics-text"
              ref={box}
              className="input textarea mono"
              readOnly
              rows={10}
              value={fallback}
            />
            <button type="button" className="button button-small" onClick={() => setFallback(undefined)}>
              Close
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function LogsScreen() {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [level, setLevel] = useState<'' | LogLevel>('');
  const key = `logs:${q}:${level}`;
  const query = useBridgeQuery(
    (b) => b.listLogs({ limit: LIMIT, ...(q ? { query: q } : {}), ...(level ? { level } : {}) }),
    key,
  );
  const [live, setLive] = useState<{ key: string; entries: LogEntry[] }>({ key, entries: [] });
  useBridgeEvent((e) => {
    if (e.type !== 'log') return;
    const entry = e.entry;
    if (level && RANK[entry.level] < RANK[level]) return;
    if (q && !entry.message.toLowerCase().includes(q.toLowerCase())) return;
    setLive((prev) => ({ key, entries: [entry, ...(prev.key === key ? prev.entries : [])].slice(0, LIMIT) }));
  });
  const fresh = live.key === key ? live.entries : [];
  const filtered = !!(q || level);

  return (
    <>
      <PageHeader
        title="Logs"
        description="The technical record of what GHL Bridge did, newest first. Passwords, keys and tokens are never written here."
      />
      <CopyDiagnostics />
      <FilterBar label="Filter logs">
        <SearchBox wide label="Search logs" placeholder="Search logs" value={search} onChange={setSearch} />
        <FilterSelect label="Level" value={level} options={LEVELS} onChange={setLevel} />
        <span className="live-dot" aria-hidden="true" />
        <span className="muted">New entries appear as they happen</span>
      </FilterBar>
      <QueryView
        query={query}
        loadingLabel="Loading logs…"
        isEmpty={(list) => list.length + fresh.length === 0}
        empty={
          filtered ? (
            <EmptyState title="No entry matches these filters">Clear the search or choose another level.</EmptyState>
          ) : (
            <EmptyState title="No log entries yet" icon={<IconLogs />}>
              Entries appear as soon as GHL Bridge signs in, syncs or hits a problem.
            </EmptyState>
          )
        }
      >
        {(list) => {
          // A live entry can also be in a reloaded list: show it once.
          const seen = new Set(list.map((l) => `${l.at}|${l.message}`));
          const rows = [...fresh.filter((l) => !seen.has(`${l.at}|${l.message}`)), ...list].slice(0, LIMIT);
          return (
            <Card>
              <TableWrap label="Log entries">
                <table className="table table-logs">
                  <caption className="visually-hidden">Log entries, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="col-shrink">
                        Time
                      </th>
                      <th scope="col" className="col-shrink">
                        Level
                      </th>
                      <th scope="col">Message</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((l, i) => (
                      <tr key={`${l.at}-${i}`}>
                        <td className="nowrap mono">{formatLogTime(l.at)}</td>
                        <td>
                          <LevelBadge level={l.level} />
                        </td>
                        <td className="mono">{l.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </Card>
          );
        }}
      </QueryView>
    </>
  );
}

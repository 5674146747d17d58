/** The last few syncs with what each changed: the history behind "Last sync". */
import type { RunSummary } from '../../../../preload/contract.js';
import { RunStatusBadge } from '../../components/badge.js';
import { Card } from '../../components/page.js';
import { EmptyState, QueryView } from '../../components/states.js';
import { useBridgeQuery } from '../../components/use-bridge-query.js';
import { countTotal, formatDuration, formatShortDateTime } from '../../components/format.js';
import { TRIGGER_LABEL } from '../../labels.js';
import { TableWrap } from '../../components/table-wrap.js';

export function RecentRuns() {
  const query = useBridgeQuery((b) => b.listRuns({ limit: 10 }), 'runs', ['run-finished']);
  return (
    <Card title="Recent syncs" className="card-wide">
      <QueryView
        query={query}
        loadingLabel="Loading recent syncs…"
        isEmpty={(runs) => runs.length === 0}
        empty={
          <EmptyState title="No syncs yet">Each sync and preview will be listed here with what it changed.</EmptyState>
        }
      >
        {(runs) => (
          <TableWrap label="Recent syncs">
            <table className="table table-runs">
              <caption className="visually-hidden">
                The last {runs.length} syncs and previews; a preview's counts are what it would do
              </caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">How</th>
                  <th scope="col">Result</th>
                  <th scope="col" className="num">
                    Created
                  </th>
                  <th scope="col" className="num">
                    Updated
                  </th>
                  <th scope="col" className="num">
                    Deleted
                  </th>
                  <th scope="col" className="num">
                    Found for review
                  </th>
                  <th scope="col" className="num">
                    Errors
                  </th>
                  <th scope="col" className="num">
                    Took
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r: RunSummary) => (
                  <tr key={r.id}>
                    <td className="nowrap">{formatShortDateTime(r.startedAt)}</td>
                    <td className="nowrap">
                      {r.dryRun ? 'Preview — would do' : (TRIGGER_LABEL[r.trigger] ?? r.trigger)}
                    </td>
                    <td>
                      <RunStatusBadge status={r.status} />
                    </td>
                    <td className="num">{countTotal(r.created).toLocaleString()}</td>
                    <td className="num">{countTotal(r.updated).toLocaleString()}</td>
                    <td className="num">{countTotal(r.deleted).toLocaleString()}</td>
                    <td className="num">{r.conflicts.toLocaleString()}</td>
                    <td className={`num${r.errors ? ' text-bad' : ''}`}>{r.errors.toLocaleString()}</td>
                    <td className="num nowrap">{formatDuration(r.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </QueryView>
    </Card>
  );
}

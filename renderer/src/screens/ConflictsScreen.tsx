/** Conflicts: records changed differently on both sides, and possible duplicates, waiting for a decision. */
import type { ConflictSummary, SystemId } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconCheck } from '../components/icons.js';
import { formatDateTime } from '../components/format.js';

const SYSTEM: Record<SystemId, string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox' };

function Row({ c }: { c: ConflictSummary }) {
  return (
    <tr>
      <th scope="row">{c.label}</th>
      <td>{c.kind === 'duplicate' ? <Badge tone="info">Possible duplicate</Badge> : <Badge tone="warn">Conflict</Badge>}</td>
      <td>{SYSTEM[c.system] ?? c.system}</td>
      <td>{c.entity}</td>
      <td>{c.fields.join(', ') || '—'}</td>
      <td className="nowrap">{formatDateTime(c.createdAt)}</td>
    </tr>
  );
}

export function ConflictsScreen() {
  const query = useBridgeQuery((b) => b.listConflicts({ limit: 100 }), 'conflicts', ['conflicts-changed', 'run-finished']);
  return (
    <>
      <PageHeader title="Conflicts" description="Records changed differently on both sides, and possible duplicates. Nothing is overwritten until you decide." />
      <QueryView
        query={query}
        isEmpty={(r) => r.items.length === 0}
        empty={
          <EmptyState title="No conflicts — you're all caught up" icon={<IconCheck />}>
            When the same field is changed differently in two systems, it waits here for your decision.
          </EmptyState>
        }
      >
        {(r) => (
          <Card title={`${r.total.toLocaleString()} open`}>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Record</th>
                    <th scope="col">Kind</th>
                    <th scope="col">System</th>
                    <th scope="col">Type</th>
                    <th scope="col">Fields</th>
                    <th scope="col">Found</th>
                  </tr>
                </thead>
                <tbody>
                  {r.items.map((c) => (
                    <Row key={c.id} c={c} />
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </QueryView>
    </>
  );
}

/** Mappings: which records and fields flow between HighLevel and each other system. */
import type { DeletePolicy, PairMapping } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconMappings } from '../components/icons.js';

const ENTITY_LABEL: Record<string, string> = {
  contact: 'Contacts',
  task: 'Tasks',
  note: 'Notes',
  lead: 'Leads',
  label: 'Labels',
  appointment: 'Appointments',
  business: 'Businesses',
};

const DELETES: Record<DeletePolicy, string> = {
  propagate: 'Delete on the other side',
  archive: 'Archive on the other side',
  unlink: 'Unlink, keep both records',
};

function previewNote(m: PairMapping): string | undefined {
  if (!m.previewedFingerprint) return 'Not previewed yet — preview this mapping before its first sync.';
  if (m.previewedFingerprint !== m.fingerprint) return 'This mapping changed since its last preview — preview it again before the next sync writes anything.';
  return undefined;
}

function PairCard({ m }: { m: PairMapping }) {
  const note = previewNote(m);
  return (
    <Card title={m.label} actions={<Badge tone={m.syncEnabled ? 'good' : 'neutral'}>{m.syncEnabled ? 'Sync on' : 'Sync off'}</Badge>}>
      {note ? <p className="connection-message">{note}</p> : null}
      <table className="table table-fixed">
        <caption className="visually-hidden">What {m.label} syncs</caption>
        <thead>
          <tr>
            <th scope="col" className="col-name">Records</th>
            <th scope="col" className="col-narrow">Fields</th>
            <th scope="col">When deleted</th>
            <th scope="col" className="col-narrow">State</th>
          </tr>
        </thead>
        <tbody>
          {m.entities.map((e) => (
            <tr key={e.entity}>
              <th scope="row">{ENTITY_LABEL[e.entity] ?? e.entity}</th>
              <td>{e.fields.length}</td>
              <td>{DELETES[e.deletePolicy] ?? e.deletePolicy}</td>
              <td>{e.enabled ? <Badge tone="good">On</Badge> : <Badge>Off</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function MappingsScreen() {
  const query = useBridgeQuery((b) => b.getMappings(), 'mappings');
  return (
    <>
      <PageHeader title="Mappings" description="Which records and fields flow between HighLevel and each other system, and in which direction." />
      <QueryView
        query={query}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title="No mappings yet" icon={<IconMappings />}>
            Mappings appear here once HighLevel and AroFlo or Aimfox are connected.
          </EmptyState>
        }
      >
        {(list) => (
          <div className="stack">
            {list.map((m) => (
              <PairCard key={m.pair} m={m} />
            ))}
          </div>
        )}
      </QueryView>
    </>
  );
}

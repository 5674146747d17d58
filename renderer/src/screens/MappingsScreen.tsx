/** Mappings: which records and fields flow between HighLevel and each other system. */
import type { PairMapping } from '../../../preload/contract.js';
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

function PairCard({ m }: { m: PairMapping }) {
  const needsPreview = m.previewedFingerprint !== m.fingerprint;
  return (
    <Card title={m.label} actions={<Badge tone={m.syncEnabled ? 'good' : 'neutral'}>{m.syncEnabled ? 'Sync on' : 'Sync off'}</Badge>}>
      {needsPreview ? <p className="connection-message">This mapping changed since its last preview — preview it before the next sync writes anything.</p> : null}
      <table className="table">
        <caption className="visually-hidden">What {m.label} syncs</caption>
        <thead>
          <tr>
            <th scope="col">Records</th>
            <th scope="col">Fields</th>
            <th scope="col">Deletes</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {m.entities.map((e) => (
            <tr key={e.entity}>
              <th scope="row">{ENTITY_LABEL[e.entity] ?? e.entity}</th>
              <td>{e.fields.length}</td>
              <td>{e.deletePolicy}</td>
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

/** Activity: what GHL Bridge did to which record, newest first. */
import type { ActivityItem } from '../../../preload/contract.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconActivity } from '../components/icons.js';
import { formatDateTime } from '../components/format.js';

const SOURCE: Record<ActivityItem['system'], string> = { ghl: 'HighLevel', aroflo: 'AroFlo', aimfox: 'Aimfox', bridge: 'GHL Bridge' };

export function ActivityScreen() {
  const query = useBridgeQuery((b) => b.listActivity({ limit: 200 }), 'activity', ['run-finished']);
  return (
    <>
      <PageHeader title="Activity" description="Every record GHL Bridge created, updated, linked or removed, newest first." />
      <QueryView
        query={query}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title="No activity yet" icon={<IconActivity />}>
            Each change a sync makes will be listed here, with the record and the system it touched.
          </EmptyState>
        }
      >
        {(list) => (
          <Card>
            <ol className="timeline">
              {list.map((a) => (
                <li key={a.id} className="timeline-item">
                  <time className="timeline-time" dateTime={new Date(a.at).toISOString()}>
                    {formatDateTime(a.at)}
                  </time>
                  <span className="timeline-source">{SOURCE[a.system] ?? a.system}</span>
                  <span className="timeline-text">{a.summary}</span>
                </li>
              ))}
            </ol>
          </Card>
        )}
      </QueryView>
    </>
  );
}

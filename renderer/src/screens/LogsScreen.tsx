/** Logs: what the app wrote to its log, newest first, with new entries arriving live. */
import { useState } from 'react';
import type { LogEntry } from '../../../preload/contract.js';
import { LevelBadge } from '../components/badge.js';
import { Card, PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { useBridgeEvent } from '../components/bridge-context.js';
import { IconLogs } from '../components/icons.js';
import { formatLogTime } from '../components/format.js';

const LIMIT = 300;

export function LogsScreen() {
  const query = useBridgeQuery((b) => b.listLogs({ limit: LIMIT }), 'logs');
  const [live, setLive] = useState<LogEntry[]>([]);
  useBridgeEvent((e) => {
    if (e.type === 'log') setLive((prev) => [e.entry, ...prev].slice(0, LIMIT));
  });
  return (
    <>
      <PageHeader title="Logs" description="The technical record of what GHL Bridge did. Secrets are never written here." />
      <QueryView
        query={query}
        isEmpty={(list) => list.length + live.length === 0}
        empty={
          <EmptyState title="No log entries yet" icon={<IconLogs />}>
            Entries appear as soon as GHL Bridge signs in, syncs or hits a problem.
          </EmptyState>
        }
      >
        {(list) => (
          <Card>
            <div className="table-wrap">
              <table className="table table-logs">
                <thead>
                  <tr>
                    <th scope="col" className="col-shrink">Time</th>
                    <th scope="col" className="col-shrink">Level</th>
                    <th scope="col">Message</th>
                  </tr>
                </thead>
                <tbody>
                  {[...live, ...list].slice(0, LIMIT).map((l, i) => (
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
            </div>
          </Card>
        )}
      </QueryView>
    </>
  );
}

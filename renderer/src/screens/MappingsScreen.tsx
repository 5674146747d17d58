/** Mappings: for HighLevel ⇄ AroFlo and HighLevel → Aimfox, what flows which way, for which records; preview; sync on. */
import { useState } from 'react';
import type { PairId, PairMapping, PlanPreview } from '../../../preload/contract.js';
import { Badge } from '../components/badge.js';
import { PageHeader } from '../components/page.js';
import { EmptyState, QueryView } from '../components/states.js';
import { Tabs } from '../components/tabs.js';
import { useBridgeQuery } from '../components/use-bridge-query.js';
import { IconMappings } from '../components/icons.js';
import { navigate, useHashParam } from '../routes.js';
import { PairEditor } from './mappings/pair-editor.js';
import type { MappingOptions } from './mappings/settings-sections.js';

export function MappingsScreen() {
  const query = useBridgeQuery((b) => b.getMappings(), 'mappings', ['status']);
  const options = useBridgeQuery((b) => b.getMappingOptions(), 'mapping-options', ['login']);
  const pairParam = useHashParam('pair') as PairId | undefined;
  const [saved, setSaved] = useState<{ base: PairMapping[] | undefined; map: Partial<Record<PairId, PairMapping>> }>({
    base: undefined,
    map: {},
  });
  const [previews, setPreviews] = useState<Partial<Record<PairId, PlanPreview>>>({});

  return (
    <>
      <PageHeader
        title="Mappings"
        description="What flows between HighLevel and each other system, in which direction, and for which records."
      />
      <QueryView
        query={query}
        loadingLabel="Loading mappings…"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title="No mappings yet" icon={<IconMappings />}>
            Mappings appear here once HighLevel and AroFlo or Aimfox are connected.
          </EmptyState>
        }
      >
        {(list) => {
          const mappings = list.map((m) => (saved.base === list ? saved.map[m.pair] : undefined) ?? m);
          const current = mappings.find((m) => m.pair === pairParam) ?? mappings[0]!;
          const opts: MappingOptions = options.data ?? {};
          return (
            <Tabs
              label="Mappings"
              idPrefix="pair"
              current={current.pair}
              onChange={(p) => navigate('mappings', { pair: p })}
              tabs={mappings.map((m) => ({
                id: m.pair,
                label: m.label,
                badge: (
                  <Badge tone={m.syncEnabled ? 'good' : 'neutral'}>{m.syncEnabled ? 'Sync on' : 'Sync off'}</Badge>
                ),
              }))}
            >
              <PairEditor
                key={current.pair}
                m={current}
                options={opts}
                preview={previews[current.pair]}
                onSaved={(m) => {
                  setSaved((s) => ({ base: list, map: { ...(s.base === list ? s.map : {}), [m.pair]: m } }));
                  query.reload();
                }}
                onPreview={(p) => {
                  setPreviews((all) => ({ ...all, [p.pair]: p }));
                  query.reload();
                  options.reload();
                }}
              />
            </Tabs>
          );
        }}
      </QueryView>
    </>
  );
}

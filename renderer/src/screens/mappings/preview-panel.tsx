/** The result of "Preview": counts, whether the safety limits would stop the sync, and every planned change. */
import type { PairMapping, PlanPreview } from '../../../../preload/contract.js';
import { Card } from '../../components/page.js';
import { PlanTable } from '../../components/plan-table.js';
import { IconAlert, IconInfo } from '../../components/icons.js';
import { formatDateTime } from '../../components/format.js';

export function PreviewPanel({ preview, mapping }: { preview: PlanPreview; mapping: PairMapping }) {
  const stale = mapping.fingerprint !== preview.fingerprint;
  const labels = new Map<string, string>(
    mapping.entities.flatMap((e) => e.fields.map((f): [string, string] => [`${e.entity}:${f.key}`, f.label])),
  );
  const tiles: Array<[string, number, string]> = [
    ['to create', preview.counts.create, 'good'],
    ['to update', preview.counts.update, 'info'],
    ['to delete or archive', preview.counts.delete, 'bad'],
    ['conflicts', preview.counts.conflict, 'warn'],
    ['possible duplicates', preview.counts.duplicate, 'warn'],
  ];
  return (
    <Card title="Preview: what the next sync would do" className="card-preview">
      <p className="muted card-lead">
        Previewed {formatDateTime(preview.createdAt)}. Nothing has been written; this is exactly what the next sync
        would do with the mapping as saved.
      </p>
      {stale ? (
        <p className="notice notice-warn" role="status">
          <IconInfo /> The mapping changed since this preview — preview again to see what it would do now.
        </p>
      ) : null}
      {preview.guard?.tripped ? (
        <p className="notice notice-warn">
          <IconAlert /> {preview.guard.reason.replace(/ Nothing was changed.*$/, '')} The sync would stop and ask you
          before writing.
        </p>
      ) : null}
      <div className="stats stats-preview">
        {tiles.map(([label, n, tone]) => (
          <div className={`stat stat-${n ? tone : 'none'}`} key={label}>
            <span className="stat-value">{n.toLocaleString()}</span>
            <span className="stat-label">{label}</span>
          </div>
        ))}
      </div>
      <PlanTable
        items={preview.items}
        caption={`Planned changes for ${mapping.label}`}
        fieldLabel={(e, f) => labels.get(`${e}:${f}`)}
      />
    </Card>
  );
}

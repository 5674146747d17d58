/** A possible duplicate: the records that may be the same person, side by side; link them, or keep them apart. */
import { useId, useState } from 'react';
import type { ConflictDetail, DuplicateCandidate } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { FormError } from '../../components/form.js';
import { useAction } from '../../components/use-action.js';
import { IconLink } from '../../components/icons.js';
import { humanField } from '../../components/plan-table.js';
import { SYSTEM_LABEL, entityOne, otherSystem } from '../../labels.js';

const ORDER = ['firstName', 'lastName', 'name', 'email', 'phone', 'companyName', 'company'];
const rank = (k: string) => (ORDER.indexOf(k) < 0 ? ORDER.length : ORDER.indexOf(k));

function CandidateCard({
  c,
  keys,
  differs,
  pick,
}: {
  c: DuplicateCandidate;
  keys: string[];
  differs: Set<string>;
  pick?: { name: string; checked: boolean; onPick: () => void };
}) {
  return (
    <div className={`candidate${pick?.checked ? ' candidate-picked' : ''}`}>
      <div className="candidate-head">
        {pick ? (
          <label className="keep-option">
            <input type="radio" name={pick.name} checked={pick.checked} onChange={pick.onPick} />
            <strong>{c.label}</strong>
          </label>
        ) : (
          <strong>{c.label}</strong>
        )}
        {c.url ? (
          <a className="candidate-open" href={c.url} target="_blank" rel="noopener noreferrer">
            Open in {SYSTEM_LABEL[c.system]}
            <span className="visually-hidden"> ({c.label})</span>
          </a>
        ) : null}
      </div>
      <dl className="details details-compact">
        {keys.map((k) => (
          <div className={`details-row${differs.has(k) ? ' details-differs' : ''}`} key={k}>
            <dt>{humanField(k)}</dt>
            <dd>
              {c.details[k] ? c.details[k] : <span className="value-empty">empty</span>}
              {differs.has(k) ? <span className="visually-hidden"> (differs between the records)</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function DuplicateReview({ c, onDone }: { c: ConflictDetail; onDone: (message: string) => void }) {
  const bridge = useBridge();
  const name = useId();
  const cands = c.candidates ?? [];
  const ghl = cands.filter((x) => x.system === 'ghl');
  const other = cands.filter((x) => x.system !== 'ghl');
  const many = ghl.length > 1 ? ghl : other.length > 1 ? other : [];
  const [picked, setPicked] = useState<string | undefined>(many[0]?.id);
  const keys = [...new Set(cands.flatMap((x) => Object.keys(x.details)))].sort((a, b) => rank(a) - rank(b));
  const norm = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();
  const differs = new Set(keys.filter((k) => new Set(cands.map((x) => norm(x.details[k]))).size > 1));
  const otherName = SYSTEM_LABEL[otherSystem(c.pair)];

  const link = useAction(async () => {
    await bridge.resolveDuplicate({ id: c.id, action: 'link', candidateId: many.length ? picked : undefined });
    onDone(`Linked: ${c.label} is now synced as one record.`);
  });
  const apart = useAction(async () => {
    await bridge.resolveDuplicate({ id: c.id, action: 'keep_apart' });
    onDone(`Kept apart: ${c.label} will not be matched again.`);
  });

  const column = (list: DuplicateCandidate[], title: string, choose = true) => (
    <div className="candidate-column">
      <h3 className="candidate-title">{title}</h3>
      {list.length === 0 ? <p className="muted">No record.</p> : null}
      {list.map((x) => (
        <CandidateCard
          key={x.id}
          c={x}
          keys={keys}
          differs={differs}
          pick={choose && many === list ? { name, checked: picked === x.id, onPick: () => setPicked(x.id) } : undefined}
        />
      ))}
    </div>
  );

  // Records of one system only: there is nothing to link across; they are merged in that system (no dead end).
  const sameSystem = ghl.length === 0 || other.length === 0;
  const where = ghl.length ? 'HighLevel' : otherName;
  if (sameSystem) {
    return (
      <>
        <p className="detail-lead">
          These {cands.length} records in {where} look like the same {entityOne(c.entity)}. GHL Bridge links a record in
          HighLevel to one in {otherName}, so it cannot link two records of the same system. Until they are one, neither
          is copied to {ghl.length ? otherName : 'HighLevel'}, so that no duplicate is copied too.
        </p>
        <div className="merge-advice" role="note">
          <strong>What to do:</strong>{' '}
          {ghl.length
            ? 'merge them in HighLevel (Contacts → tick both → Merge), keeping the one whose details are right. The next sync then carries the merged contact.'
            : `merge them in ${otherName}, or archive the extra one there. The next sync then carries the one that is left.`}{' '}
          If they are different people, choose Keep apart.
        </div>
        <div className="candidates">{column(ghl.length ? ghl : other, `In ${where}`, false)}</div>
        <FormError message={apart.error} />
        <div className="detail-actions">
          <button type="button" className="button" disabled={apart.busy} onClick={() => void apart.run()}>
            {apart.busy ? 'Saving…' : 'Keep apart'}
          </button>
        </div>
      </>
    );
  }

  return (
    <>
      <p className="muted detail-lead">
        These records might be the same {entityOne(c.entity)}. Link them to keep them in step as one, or keep them apart
        so they are never matched again.
        {many.length ? ' Several look alike: pick the one to link.' : ''}
      </p>
      <div className="candidates">
        {column(ghl, 'In HighLevel')}
        {column(other, `In ${otherName}`)}
      </div>
      <FormError message={link.error ?? apart.error} />
      <div className="detail-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={link.busy || apart.busy}
          onClick={() => void link.run()}
        >
          <IconLink />
          {link.busy ? 'Linking…' : 'Link them'}
        </button>
        <button type="button" className="button" disabled={link.busy || apart.busy} onClick={() => void apart.run()}>
          {apart.busy ? 'Saving…' : 'Keep apart'}
        </button>
      </div>
    </>
  );
}

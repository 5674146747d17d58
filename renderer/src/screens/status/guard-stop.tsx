/**
 * A sync the safety limits stopped: the reason, the plan it held back ("Review preview"), and "Approve and sync",
 * which runs it once past the limits.
 */
import { useState } from 'react';
import type { RunPlan, RunSummary } from '../../../../preload/contract.js';
import { useBridge } from '../../components/bridge-context.js';
import { Card } from '../../components/page.js';
import { PlanTable } from '../../components/plan-table.js';
import { FormError } from '../../components/form.js';
import { LoadingState } from '../../components/states.js';
import { useAction } from '../../components/use-action.js';
import { IconAlert, IconPreview, IconSync } from '../../components/icons.js';
import { formatDateTime } from '../../components/format.js';

export function GuardStop({ run, onApproved }: { run: RunSummary; onApproved: () => void }) {
  const bridge = useBridge();
  const [open, setOpen] = useState(false);
  const plan = useAction(() => bridge.getRunPlan({ runId: run.id }));
  const approve = useAction(async () => {
    const r = await bridge.syncNow({ approve: true });
    onApproved();
    return r;
  });

  const review = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (!plan.result) await plan.run();
  };

  const result: RunPlan | undefined = plan.result;
  return (
    <Card title="Sync stopped before changing anything" className="card-wide card-guard">
      <div className="guard-reason">
        <IconAlert />
        <p>{run.message ?? 'This sync would change more records than your safety limits allow.'}</p>
      </div>
      <p className="muted">
        Stopped {formatDateTime(run.finishedAt ?? run.startedAt)}. Review what it would do; if it looks right, approve
        it to run once past the limits. The limits themselves are on the Settings screen.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls="guard-plan"
          onClick={() => void review()}
        >
          <IconPreview />
          {open ? 'Hide preview' : 'Review preview'}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={approve.busy}
          onClick={() => void approve.run()}
        >
          <IconSync />
          {approve.busy ? 'Syncing…' : 'Approve and sync'}
        </button>
      </div>
      <FormError message={approve.error} />
      {open ? (
        <div id="guard-plan" className="guard-plan">
          {plan.busy ? <LoadingState label="Loading the held-back changes…" /> : null}
          <FormError message={plan.error} />
          {result ? <PlanTable items={result.items} caption="Changes the stopped sync would make" /> : null}
        </div>
      ) : null}
    </Card>
  );
}

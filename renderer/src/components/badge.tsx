import type { ConnectionHealth, LogLevel, RunStatus } from '../../../preload/contract.js';
import { LEVEL_LABEL } from '../labels.js';

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const HEALTH: Record<ConnectionHealth, { tone: Tone; text: string }> = {
  ok: { tone: 'good', text: 'Connected' },
  not_configured: { tone: 'neutral', text: 'Not set up' },
  unknown: { tone: 'info', text: 'Not checked yet' },
  signed_out: { tone: 'warn', text: 'Signed out' },
  error: { tone: 'bad', text: 'Problem' },
};

export function HealthBadge({ health }: { health: ConnectionHealth }) {
  const h = HEALTH[health] ?? HEALTH.unknown;
  return <Badge tone={h.tone}>{h.text}</Badge>;
}

const RUN: Record<RunStatus, { tone: Tone; text: string }> = {
  running: { tone: 'info', text: 'Running' },
  ok: { tone: 'good', text: 'Succeeded' },
  partial: { tone: 'warn', text: 'Partly done' },
  failed: { tone: 'bad', text: 'Failed' },
  stopped: { tone: 'warn', text: 'Stopped' },
  needs_approval: { tone: 'warn', text: 'Needs approval' },
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const r = RUN[status] ?? { tone: 'neutral' as const, text: status };
  return <Badge tone={r.tone}>{r.text}</Badge>;
}

const LEVEL: Record<LogLevel, Tone> = { debug: 'neutral', info: 'info', warn: 'warn', error: 'bad' };

export function LevelBadge({ level }: { level: LogLevel }) {
  return <Badge tone={LEVEL[level] ?? 'neutral'}>{LEVEL_LABEL[level] ?? level}</Badge>;
}

/** A terminal progress bar fed by the service's progress events (stderr, so --json stdout stays clean). */
import cliProgress from 'cli-progress';
import type { Service } from '../service/index.js';

export function progressBar(svc: Service): { stop(): void } {
  if (!process.stderr.isTTY) {
    const off = svc.subscribe((e) => {
      if (e.type === 'progress' && e.progress.message) process.stderr.write(`${e.progress.message}…\n`);
    });
    return { stop: off };
  }
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {phase}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const off = svc.subscribe((e) => {
    if (e.type !== 'progress') return;
    const p = e.progress;
    const total = Math.max(1, (p.total ?? 1) * 3);
    const phaseIndex = { reading: 0, planning: 1, writing: 2, done: 3 }[p.phase as 'reading'] ?? 0;
    const value = Math.min(total, phaseIndex * (p.total ?? 1) + p.done);
    if (!started) {
      bar.start(total, value, { phase: p.message ?? p.phase });
      started = true;
    } else bar.update(value, { phase: p.message ?? p.phase });
  });
  return {
    stop() {
      off();
      if (started) bar.stop();
    },
  };
}

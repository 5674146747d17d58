/**
 * The scheduler and the profile's run lock (main/service/sync.ts, main/store/lock.ts): when the timer finds the run
 * lock held by another process, that is shown under Needs attention with the lock file named — a sync.lock left by a
 * holder that is gone would otherwise stop every scheduled sync silently.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createService } from '../../main/service/index.js';

describe('scheduled sync and a run lock held by another process', () => {
  it('raises a Needs-attention item naming the lock file, cleared when a run starts', async () => {
    const profileDir = join(mkdtempSync(join(tmpdir(), 'ghlb-synclock-')), 'p');
    const svc = await createService({
      profileDir,
      env: { GHL_BRIDGE_VAULT_KEY: '91be01e708d280bb1af33259e181a1a18958d9f73376bdc42504fb616b0787d1' },
    });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lockPath = join(profileDir, 'sync.lock');
      writeFileSync(
        lockPath,
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          command: 'ghl-bridge sync --once',
          since: Date.now(),
          token: 'theirs',
        }),
      );
      svc.sync.startScheduler();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(svc.sync.scheduleProblem).toContain(lockPath);
      expect(svc.sync.scheduleProblem).toMatch(/ghl-bridge sync --once/);
      const status = await svc.api.getStatus();
      expect(status.attention.some((a) => a.message.includes(lockPath))).toBe(true);
      // The holder goes away: the next scheduled run starts (nothing to sync here) and the item is gone.
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(svc.sync.scheduleProblem).toBeUndefined();
    } finally {
      vi.useRealTimers();
      other.kill('SIGKILL');
      await svc.close();
    }
  });
});

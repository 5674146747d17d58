/**
 * The profile's cross-process locks (main/store/lock.ts): a live holder is named and waited for, a holder that is
 * certainly gone is taken over, and a holder on another computer (a shared folder) is never judged gone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockBusyError, lockHolder } from '../../main/store/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ghlb-lock-'));
const boot = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;
const foreign = (o: Record<string, unknown>) => JSON.stringify({ host: hostname(), boot, command: 'ghl-bridge serve', since: Date.now(), token: 'theirs', ...o });

describe('cross-process lock', () => {
  it('one holder at a time; the second is told who holds it; free again after release', async () => {
    const path = join(dir(), 'x.lock');
    const a = await acquireLock(path, { command: 'ghl-bridge serve' });
    const err = await acquireLock(path, { command: 'ghl-bridge demo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockBusyError);
    expect((err as Error).message).toMatch(/in use by ghl-bridge serve \(process \d+/);
    expect(lockHolder(path)?.command).toBe('ghl-bridge serve');
    a.release();
    expect(lockHolder(path)).toBeUndefined();
    (await acquireLock(path, { command: 'ghl-bridge demo' })).release();
  });

  it('a waiter gets the lock when the holder releases it', async () => {
    const path = join(dir(), 'x.lock');
    const a = await acquireLock(path, { command: 'first' });
    const waiting = acquireLock(path, { command: 'second', waitMs: 30_000 });
    setTimeout(() => a.release(), 50);
    const b = await waiting;
    expect(lockHolder(path)?.command).toBe('second');
    b.release();
  });

  it('takes over from a process that is gone, from an earlier boot, or from an earlier process that had our pid', async () => {
    const d = dir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    const cases = [foreign({ pid: child.pid }), foreign({ pid: process.pid }), ...(boot ? [foreign({ pid: 1, boot: 'an-earlier-boot' })] : [])];
    for (const [i, text] of cases.entries()) {
      const path = join(d, `stale-${i}.lock`);
      writeFileSync(path, text);
      const l = await acquireLock(path, { command: 'me' });
      expect(lockHolder(path)?.token).toBe(l.owner.token);
      l.release();
    }
  });

  it('never takes over from a live process, nor from another computer', async () => {
    const d = dir();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      for (const [i, text] of [foreign({ pid: live.pid }), foreign({ pid: 999_999, host: 'office-server' })].entries()) {
        const path = join(d, `held-${i}.lock`);
        writeFileSync(path, text);
        await expect(acquireLock(path, { command: 'me' })).rejects.toBeInstanceOf(LockBusyError);
        expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('theirs');
      }
    } finally {
      live.kill('SIGKILL');
    }
  });
});

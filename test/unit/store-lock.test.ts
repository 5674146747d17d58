/**
 * The profile's cross-process locks (main/store/lock.ts): a live holder is named and waited for, a holder that is
 * certainly gone is taken over, and a holder on another computer (a shared folder) is never judged gone.
 */
import { spawn } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { acquireLock, LockBusyError, lockHolder } from '../../main/store/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ghlb-lock-'));
const boot = existsSync('/proc/sys/kernel/random/boot_id')
  ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  : undefined;
const foreign = (o: Record<string, unknown>) =>
  JSON.stringify({ host: hostname(), boot, command: 'ghl-bridge serve', since: Date.now(), token: 'theirs', ...o });

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
    const cases = [
      foreign({ pid: child.pid }),
      foreign({ pid: process.pid }),
      ...(boot ? [foreign({ pid: 1, boot: 'an-earlier-boot' })] : []),
    ];
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
      for (const [i, text] of [
        foreign({ pid: live.pid }),
        foreign({ pid: 999_999, host: 'office-server' }),
      ].entries()) {
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

describe('stale locks left by a shutdown, a crash or another container (injected OS)', () => {
  const liveChild = () => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);

  it('a lock taken before this boot is stale on every OS, even when its pid now belongs to a running program', async () => {
    const path = join(dir(), 'profile.lock');
    const other = liveChild(); // the old holder's pid, now reused by something else
    try {
      writeFileSync(
        path,
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          command: 'the GHL Bridge app',
          since: Date.now() - 3_600_000,
          token: 'before-shutdown',
        }),
      );
      const windows = {
        platform: 'win32' as const,
        bootId: () => undefined,
        bootTime: () => Date.now() - 60 * 60_000 + 5 * 60_000,
      };
      const l = await acquireLock(path, { command: 'me', system: windows });
      expect(lockHolder(path, windows)?.token).toBe(l.owner.token);
      l.release();
      // Taken after this boot by a live process: held.
      writeFileSync(
        path,
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          command: 'the GHL Bridge app',
          since: Date.now() - 60_000,
          token: 'live',
        }),
      );
      await expect(acquireLock(path, { command: 'me', system: windows })).rejects.toBeInstanceOf(LockBusyError);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('the busy message names the lock file and says it may be deleted when that process is gone', async () => {
    const path = join(dir(), 'sync.lock');
    const a = await acquireLock(path, { command: 'ghl-bridge serve' });
    const err = (await acquireLock(path, { command: 'me', busyMessage: () => 'A sync is running.' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/no longer running, delete/);
    a.release();
  });

  it('a lock from another host is stale once it has not been refreshed for ten minutes (a recreated container)', async () => {
    const path = join(dir(), 'profile.lock');
    writeFileSync(path, foreign({ pid: 7, host: 'old-container-id' }));
    const old = new Date(Date.now() - 11 * 60_000);
    utimesSync(path, old, old);
    const l = await acquireLock(path, { command: 'me' });
    expect(lockHolder(path)?.token).toBe(l.owner.token);
    l.release();
  });

  it('a holder refreshes its lock once a minute, so a live holder on another host is never judged gone', async () => {
    const path = join(dir(), 'profile.lock');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const l = await acquireLock(path, { command: 'ghl-bridge serve' });
      const old = new Date(Date.now() - 11 * 60_000);
      utimesSync(path, old, old);
      vi.advanceTimersByTime(61_000);
      expect(Date.now() - nodeFs.statSync(path).mtimeMs).toBeLessThan(5 * 60_000);
      l.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('an empty lock left by a crash between create and write is stale after 30 s, not before', async () => {
    const path = join(dir(), 'x.lock');
    writeFileSync(path, '');
    await expect(acquireLock(path, { command: 'me' })).rejects.toBeInstanceOf(LockBusyError);
    const old = new Date(Date.now() - 31_000);
    utimesSync(path, old, old);
    const l = await acquireLock(path, { command: 'me' });
    expect(lockHolder(path)?.token).toBe(l.owner.token);
    l.release();
  });

  it('on Windows EPERM/EBUSY on the lock name (delete pending, antivirus) means busy: it waits instead of failing', async () => {
    const path = join(dir(), 'x.lock');
    let refusals = 4;
    const busy = () => Object.assign(new Error('operation not permitted'), { code: refusals % 2 ? 'EPERM' : 'EBUSY' });
    const fs: typeof nodeFs = {
      ...nodeFs,
      linkSync: (a: nodeFs.PathLike, b: nodeFs.PathLike) => {
        if (refusals > 0) throw busy();
        nodeFs.linkSync(a, b);
      },
      openSync: ((p: nodeFs.PathLike, flags: nodeFs.OpenMode, mode?: nodeFs.Mode) => {
        if (p === path && flags === 'wx' && refusals > 0) {
          refusals--;
          throw busy();
        }
        return nodeFs.openSync(p, flags, mode);
      }) as typeof nodeFs.openSync,
    };
    const l = await acquireLock(path, { command: 'me', waitMs: 30_000, system: { platform: 'win32', fs } });
    expect(refusals).toBe(0);
    expect(lockHolder(path)?.token).toBe(l.owner.token);
    l.release();
  });

  it('a lock-breaker that crashed (its .break file left behind) does not block the stale lock for good', async () => {
    const path = join(dir(), 'x.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    writeFileSync(path, foreign({ pid: child.pid }));
    writeFileSync(`${path}.break`, '');
    const old = new Date(Date.now() - 11_000);
    utimesSync(`${path}.break`, old, old);
    const l = await acquireLock(path, { command: 'me' });
    expect(lockHolder(path)?.token).toBe(l.owner.token);
    expect(existsSync(`${path}.break`)).toBe(false);
    l.release();
  });

  it('a breaker that saw a stale lock never removes the live lock that replaced it meanwhile', async () => {
    const d = dir();
    const path = join(d, 'x.lock');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    const staleText = foreign({ pid: child.pid, token: 'stale' });
    const a = await acquireLock(path, { command: 'A' }); // A already broke the stale lock and holds its own
    // B read the lock before A replaced it: its first read still returns the stale holder.
    let firstRead = true;
    const fs: typeof nodeFs = {
      ...nodeFs,
      readFileSync: ((p: nodeFs.PathOrFileDescriptor, o?: unknown) => {
        if (p === path && firstRead) {
          firstRead = false;
          return staleText;
        }
        return nodeFs.readFileSync(p, o as BufferEncoding);
      }) as typeof nodeFs.readFileSync,
    };
    await expect(acquireLock(path, { command: 'B', system: { fs } })).rejects.toBeInstanceOf(LockBusyError);
    expect(firstRead).toBe(false);
    expect(lockHolder(path)?.token).toBe(a.owner.token);
    expect(existsSync(`${path}.break`)).toBe(false);
    a.release();
  });
});

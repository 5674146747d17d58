import type { ActivityItem } from '../../../preload/contract.js';
import type { ActivityRepo } from '../repositories.js';
import { prepared, type Ctx } from './prepared.js';

export function sqliteActivity({ db }: Ctx): ActivityRepo {
  return {
    add(a) {
      prepared(
        db,
        `insert into activity(at, system, kind, action, summary, run_id, ref) values (?, ?, ?, ?, ?, ?, ?) on conflict(ref) do nothing`,
      ).run(a.at, a.system, a.kind, a.action, a.summary, a.runId ?? null, a.ref ?? null);
    },
    list(f) {
      const where: string[] = ['1 = 1'];
      const args: unknown[] = [];
      if (f.system) {
        where.push('system = ?');
        args.push(f.system);
      }
      if (f.kind) {
        where.push('kind = ?');
        args.push(f.kind);
      }
      if (f.before) {
        where.push('at < ?');
        args.push(f.before);
      }
      if (f.query) {
        where.push('summary like ?');
        args.push(`%${f.query}%`);
      }
      const rows = prepared(
        db,
        `select * from activity where ${where.join(' and ')} order by at desc, id desc limit ?`,
      ).all(...args, Math.min(f.limit ?? 200, 2000)) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        id: String(r.id),
        at: r.at as number,
        system: r.system as ActivityItem['system'],
        kind: r.kind as ActivityItem['kind'],
        action: r.action as string,
        summary: r.summary as string,
        runId: (r.run_id as string | null) ?? undefined,
      }));
    },
  };
}

/** A small seeded random source for the soak, so a run can be repeated with --seed. */
export interface Rng {
  (): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T | undefined;
  chance(p: number): boolean;
  nonce(): string;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0 || 1;
  let n = 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.pick = (items) => (items.length ? items[Math.floor(next() * items.length)] : undefined);
  next.chance = (p) => next() < p;
  next.nonce = () =>
    `${(++n).toString(36)}${Math.floor(next() * 1296)
      .toString(36)
      .padStart(2, '0')}`;
  return next;
}

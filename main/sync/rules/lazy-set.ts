/**
 * A set filled on first use: a rule's "already made" ids are read from the store only when a run first asks (after
 * the run recovered what a crash interrupted, so a note made just before is known).
 */
export function lazySet(load: () => Set<string>): ReadonlySet<string> {
  let set: Set<string> | undefined;
  const get = () => (set ??= load());
  return {
    has: (x: string) => get().has(x),
    get size() {
      return get().size;
    },
    forEach: (fn, thisArg) => get().forEach((v) => fn.call(thisArg, v, v, get())),
    entries: () => get().entries(),
    keys: () => get().keys(),
    values: () => get().values(),
    [Symbol.iterator]: () => get()[Symbol.iterator](),
  } as ReadonlySet<string>;
}

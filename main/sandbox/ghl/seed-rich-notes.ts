/**
 * Formatted notes (README "Notes and rich text"): notes written in HighLevel's editor keep markup in `body` beside
 * the plain `bodyText` [NG create-contact-note shows both keys]. After the plain seed, every third GHL note of the
 * world is rewritten as an editor would store it: one paragraph per line, the first words in bold, text escaped.
 * Its `bodyText` stays the world's text, so what the bridge should carry elsewhere is known.
 */
import type { World } from '../world.js';
import { id20 } from './ids.js';
import type { GhlStore } from './store.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** HTML-escaped; characters beyond ASCII as numeric references (`—` → `&#8212;`), as many editors store them. */
const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[^ -~\t\n]/gu, (c) => `&#${c.codePointAt(0)};`);

/** Editor markup for a plain text: `<p>` per line, the first two words bold and followed by `&nbsp;`. */
export function editorMarkup(text: string): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (i > 0 || !line.includes(' ')) return `<p>${escape(line)}</p>`;
      const words = line.split(' ');
      return `<p><strong>${escape(words.slice(0, 2).join(' '))}</strong>&nbsp;${escape(words.slice(2).join(' '))}</p>`;
    })
    .join('');
}

/** Rewrite every third seeded GHL note as formatted (deterministic by the world seed). */
export function formatSeededNotes(store: GhlStore, world: World, seed: number): void {
  let i = 0;
  for (const n of world.notes) {
    if (n.system !== 'ghl') continue;
    if (i++ % 3 !== 0) continue;
    const id = id20(seed, `note:${n.key}`);
    for (const list of store.notes.values()) {
      const note = list.find((x) => x.id === id);
      if (!note) continue;
      note.bodyText = note.body;
      note.body = editorMarkup(note.body);
    }
  }
}

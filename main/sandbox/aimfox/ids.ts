/**
 * Seeded identifiers in Aimfox's formats: numeric LinkedIn member ids (as strings), member URNs
 * (`ACoAA…`), v4-shaped UUIDs for campaigns/labels/notes/webhooks, and API keys. The same seed gives the
 * same ids, so a reset reproduces the start state exactly.
 */

export { seededRandom } from '../random.js';
import { seededRandom } from '../random.js';

const URN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class IdSource {
  readonly random: () => number;
  private readonly usedNumeric = new Set<string>();
  private readonly usedUrns = new Set<string>();

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x41f0c5);
  }

  /** A LinkedIn member id: 9–10 digits, no leading zero, unique in this sandbox. */
  memberId(): string {
    for (;;) {
      const digits = 9 + Math.floor(this.random() * 2);
      let s = String(1 + Math.floor(this.random() * 9));
      for (let i = 1; i < digits; i++) s += Math.floor(this.random() * 10);
      if (!this.usedNumeric.has(s)) {
        this.usedNumeric.add(s);
        return s;
      }
    }
  }

  /** A LinkedIn member URN as Aimfox shows it: `ACoAA` + 34 URL-safe characters. */
  memberUrn(): string {
    for (;;) {
      let s = 'ACoAA';
      for (let i = 0; i < 34; i++) s += URN_ALPHABET[Math.floor(this.random() * URN_ALPHABET.length)];
      if (!this.usedUrns.has(s)) {
        this.usedUrns.add(s);
        return s;
      }
    }
  }

  /** A v4-shaped UUID (version nibble 4, RFC variant). */
  uuid(): string {
    let s = '';
    for (let i = 0; i < 32; i++) {
      let n = Math.floor(this.random() * 16);
      if (i === 12) n = 4;
      if (i === 16) n = 8 + (n % 4);
      s += HEX[n];
      if (i === 7 || i === 11 || i === 15 || i === 19) s += '-';
    }
    return s;
  }

  /** A short numeric string (location / company urns). */
  smallNumeric(digits: number): string {
    let s = String(1 + Math.floor(this.random() * 9));
    for (let i = 1; i < digits; i++) s += Math.floor(this.random() * 10);
    return s;
  }
}

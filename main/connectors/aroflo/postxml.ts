/**
 * Builds the `postxml` for AroFlo writes (README "Facts: writes"): the plural zone element wrapping singular records,
 * e.g. `<clients><client>…</client></clients>`. fast-xml-parser's XMLBuilder does the XML; this module decides
 * how each value is written:
 *
 * - strings go in CDATA (as AroFlo's docs ask). A `]]>` inside the text would end the CDATA early, and AroFlo
 *   rejects the usual "split CDATA" escape ("Invalid postxml value"), so we break the sequence with a space:
 *   `]]>` becomes `]] >`. **This changes the text by one character per occurrence** — the only lossy step, and
 *   the engine should expect that value back when it compares;
 * - numbers, booleans and ids ({@link plain}) are written as escaped text (`&amp;`, `&lt;` …), not CDATA;
 * - characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE/U+FFFF, lone surrogates) are dropped;
 * - `undefined` / `null` leave the element out; an empty string sends an empty CDATA (that is how a field is cleared);
 * - non-ASCII text is kept as is; the form encoding turns it into UTF-8 percent-escapes.
 */
import { XMLBuilder } from 'fast-xml-parser';

/** A value written as escaped text rather than CDATA (ids, codes, dates). */
export class Plain {
  constructor(readonly text: string) {}
}
export const plain = (v: string | number | boolean): Plain => new Plain(String(v));

export type XmlValue = string | number | boolean | Plain | null | undefined | XmlRecord | XmlValue[];
export interface XmlRecord {
  [tag: string]: XmlValue;
}

const TAG_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// XML 1.0 Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text made safe for CDATA: no characters XML cannot hold, and `]]>` broken as `]] >`. */
export function cdataSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replaceAll(']]>', ']] >');
}

const builder = new XMLBuilder({
  cdataPropName: '#cdata',
  format: false,
  processEntities: true,
  suppressEmptyNode: false,
  ignoreAttributes: true,
});

function convert(v: XmlValue, path: string): unknown {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Plain) return v.text.replace(NOT_XML_CHAR, '');
  if (typeof v === 'string') return { '#cdata': cdataSafe(v) };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`postxml: ${path} is not a finite number`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map((x, i) => convert(x, `${path}[${i}]`)).filter((x) => x !== undefined);
  const out: Record<string, unknown> = {};
  for (const [tag, child] of Object.entries(v)) {
    if (!TAG_RE.test(tag)) throw new Error(`postxml: "${tag}" under ${path} is not a valid element name`);
    const c = convert(child, `${path}/${tag}`);
    if (c !== undefined) out[tag] = c;
  }
  return out;
}

/** `<{plural}><{singular}>…</{singular}>…</{plural}>` for the given records. */
export function buildPostXml(plural: string, singular: string, records: XmlRecord[]): string {
  if (!TAG_RE.test(plural) || !TAG_RE.test(singular)) throw new Error('postxml: bad zone element names');
  const items = records.map((r, i) => convert(r, `${singular}[${i}]`));
  return builder.build({ [plural]: { [singular]: items } }) as string;
}

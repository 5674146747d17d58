/**
 * Reads a `postxml` value (README "Facts: writes"): `<clients><client>…</client></clients>` (also accepted inside an
 * `<imsapi>` or `<aroflo>` wrapper, as some community code sends). Element names are case-insensitive.
 * CDATA is how strings are meant to travel. Refused as "Invalid postxml value" (PostXmlError):
 * - XML that is not well-formed;
 * - a split-CDATA escape of `]]>` (`]]]]><![CDATA[>`, i.e. two CDATA sections in one element) — AroFlo's parser
 *   rejects it (README "Facts: writes"); `]] >` inside one CDATA is fine;
 * - `]]>` in plain text, or CDATA mixed with other text in one element;
 * - a root element that is not the posted zone.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { WriteError } from './ops.js';

export class PostXmlError extends Error {}

export type XObj = { [k: string]: XVal };
export type XVal = string | XObj | XVal[];

const parser = new XMLParser({
  ignoreAttributes: true,
  cdataPropName: '#cdata',
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function normalise(v: unknown, path: string): XVal {
  if (typeof v === 'string') {
    if (v.includes(']]>')) throw new PostXmlError(`${path}: "]]>" outside CDATA`);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x, i) => normalise(x, `${path}[${i}]`));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('#cdata' in o) {
      const cdata = o['#cdata'];
      if (Array.isArray(cdata))
        throw new PostXmlError(`${path}: more than one CDATA section in one value (split-CDATA is not accepted)`);
      const text = o['#text'];
      if (text !== undefined && String(text).trim() !== '')
        throw new PostXmlError(`${path}: CDATA mixed with other text`);
      const others = Object.keys(o).filter((k) => k !== '#cdata' && k !== '#text');
      if (others.length) throw new PostXmlError(`${path}: CDATA mixed with elements`);
      return String(cdata ?? '');
    }
    const out: XObj = {};
    for (const [k, val] of Object.entries(o)) {
      if (k === '#text') {
        if (String(val).trim() !== '') throw new PostXmlError(`${path}: text mixed with elements`);
        continue;
      }
      const key = k.toLowerCase();
      const n = normalise(val, `${path}/${key}`);
      const prev = out[key];
      out[key] = prev === undefined ? n : ([] as XVal[]).concat(prev, n);
    }
    return out;
  }
  return '';
}

/** The records of a postxml document for `zone` (plural) with record element `record` (singular). */
export function parsePostXml(xml: string, zone: string, record: string): XObj[] {
  if (!xml.trim()) throw new PostXmlError('postxml is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new PostXmlError(`line ${valid.err.line}: ${valid.err.msg}`);
  const doc = normalise(parser.parse(xml), '');
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new PostXmlError('no root element');
  let root: XVal | undefined = doc;
  const wrapper = doc['imsapi'] ?? doc['aroflo'];
  if (wrapper !== undefined) root = wrapper;
  if (typeof root !== 'object' || Array.isArray(root)) throw new PostXmlError('no root element');
  let items: XVal | undefined;
  if (root[zone] !== undefined) {
    const plural = root[zone];
    if (plural === '') return [];
    if (typeof plural !== 'object' || Array.isArray(plural))
      throw new PostXmlError(`<${zone}> must contain <${record}> elements`);
    items = plural[record];
    if (items === undefined) throw new PostXmlError(`<${zone}> must contain <${record}> elements`);
  } else if (wrapper !== undefined && root[record] !== undefined) {
    items = root[record];
  } else {
    throw new PostXmlError(`the root element must be <${zone}> for zone ${zone}`);
  }
  const list = Array.isArray(items) ? items : [items];
  return list.map((x, i) => {
    if (typeof x !== 'object' || Array.isArray(x)) {
      if (x === '') return {};
      throw new PostXmlError(`<${record}> #${i + 1} has no fields`);
    }
    return x;
  });
}

/** Text at a path such as "client/clientid"; undefined when absent. */
export function text(node: XObj, path: string): string | undefined {
  let cur: XVal | undefined = node;
  for (const part of path.split('/')) {
    if (Array.isArray(cur)) cur = cur[0];
    if (cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[part];
  }
  if (Array.isArray(cur)) cur = cur[0];
  if (cur === undefined) return undefined;
  if (typeof cur !== 'string') {
    if (Object.keys(cur).length === 0) return '';
    throw new WriteError('invalid', `${path} must be a value, not elements`);
  }
  return cur;
}

/** Child elements `<plural><singular>…</singular>…</plural>` as a list. */
export function children(node: XObj, plural: string, singular: string): XObj[] {
  const p = node[plural];
  const first = Array.isArray(p) ? p[0] : p;
  if (first === undefined || first === '' || typeof first !== 'object' || Array.isArray(first)) return [];
  const items = first[singular];
  if (items === undefined) return [];
  return (Array.isArray(items) ? items : [items]).map((x) => (typeof x === 'object' && !Array.isArray(x) ? x : {}));
}

/** "true"/"false"/"1"/"0"/"yes"/"no" (any case). */
export function bool(node: XObj, path: string): boolean | undefined {
  const v = text(node, path);
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  throw new WriteError('invalid', `${path} must be true or false, got "${v}"`);
}

export function has(node: XObj, key: string): boolean {
  return node[key] !== undefined;
}

/**
 * The response envelope (README "Facts: envelope") in JSON (`Accept: text/json`) or XML (anything else; root `<imsapi>`).
 * In XML a list is the plural element wrapping singular ones (`<clients><client>…</client></clients>`).
 */
import type { FastifyReply } from 'fastify';
import type { Json } from './render.js';

export type Format = 'json' | 'xml';
export type Obj = { [k: string]: Json };

export function formatOf(accept: string | undefined): Format {
  return accept && /json/i.test(accept) ? 'json' : 'xml';
}

const SINGULAR: Record<string, string> = {
  clients: 'client',
  contacts: 'contact',
  tasks: 'task',
  tasknotes: 'tasknote',
  notes: 'note',
  clientnotes: 'clientnote',
  lastupdate: 'lastupdate',
  tasktypes: 'tasktype',
  businessunits: 'businessunit',
  orgs: 'org',
  errors: 'error',
  customfields: 'customfield',
  locations: 'location',
  assigneds: 'assigned',
  documentsandphotos: 'documentandphoto',
  priorities: 'priority',
  locationcustomfields: 'locationcustomfield',
};

function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function xmlNode(name: string, value: Json, out: string[]): void {
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    const item = SINGULAR[name] ?? 'item';
    for (const v of value) xmlNode(item, v, out);
    out.push(`</${name}>`);
  } else if (value !== null && typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) xmlNode(k, v, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeXml(value === null ? '' : String(value))}</${name}>`);
  }
}

export function toXml(body: Obj): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  xmlNode('imsapi', body, out);
  return out.join('');
}

export function serialize(body: Obj, format: Format): string {
  return format === 'json' ? JSON.stringify(body) : toXml(body);
}

export function send(reply: FastifyReply, body: Obj, format: Format, httpStatus = 200): FastifyReply {
  return reply
    .code(httpStatus)
    .type(format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8')
    .send(serialize(body, format));
}

/** A status-only answer (auth failures, limits, bad method). */
export function statusBody(status: string, statusmessage: string): Obj {
  return { status, statusmessage };
}

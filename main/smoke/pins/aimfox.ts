/**
 * Aimfox answers, call by call: the keys and types of the JSON every successful answer carries, as far as the
 * connector reads them (main/connectors/aimfox/schemas.ts, audience.ts). Evidence (main/sandbox/aimfox/README.md):
 *   [README documented]  "What is documented and reproduced": the `{status:"ok", <resource>}` envelope, 201 for
 *                        create label / create note / add label to lead, 200 for everything else; notes
 *                        `{id, text, created_at}`; labels embedded in leads;
 *   [eyes <row>]         "Through other people's eyes": the public clients' assumptions (the prospector client's
 *                        shapes "observed live", the n8n node's routes and bodies, dashboards' `{status:'ok', campaigns:[…]}`).
 * Only keys the connector relies on are required; the real API sends more.
 */
import type { Shape, ShapePin } from '../shape.js';

const str = 'string';
const num = 'number';
const ok = { status: str };
const strOrNull = 'string|null';

const ACCOUNT: Shape = {
  id: 'string|number',
  'full_name?': strOrNull,
  'first_name?': strOrNull,
  'last_name?': strOrNull,
  'public_identifier?': strOrNull,
  'state?': str,
  'disabled?': 'boolean',
};

export const CAMPAIGN: Shape = {
  id: str,
  name: str,
  state: str,
  'type?': str,
  'outreach_type?': str,
  'created_at?': num,
  'target_count?': num,
  'owners?': ['string|number'],
};

/** [eyes "Audience entries carry a numeric lead id, urn, public_identifier and state"]. */
export const AUDIENCE_ENTRY: Shape = {
  id: 'string|number',
  urn: str,
  public_identifier: str,
  state: str,
  'full_name?': strOrNull,
  'occupation?': strOrNull,
};

const LABEL_REF: Shape = { id: str, name: str, 'color?': str };
export const LABEL: Shape = { id: str, name: str, color: str, 'count?': num };
export const NOTE: Shape = { id: str, text: str, created_at: 'string|number' };

/** [eyes "GET /leads/:id → {status, lead:{…, labels}}, labels as objects with name"]. */
export const LEAD: Shape = {
  id: 'string|number',
  public_identifier: str,
  'urn?': str,
  'first_name?': strOrNull,
  'last_name?': strOrNull,
  'full_name?': strOrNull,
  'occupation?': strOrNull,
  'location?': 'object|string|null',
  'email?': strOrNull,
  labels: [LABEL_REF],
  'notes?': [NOTE],
};

export const AIMFOX_PINS = {
  listAccounts: {
    call: 'GET /accounts',
    status: 200,
    evidence:
      'main/sandbox/aimfox/README.md, Through other people\'s eyes: "The credential test is GET /accounts" (n8n, dashboards)',
    shape: { ...ok, accounts: [ACCOUNT] },
  },
  listCampaigns: {
    call: 'GET /campaigns',
    status: 200,
    evidence:
      "main/sandbox/aimfox/README.md, Through other people's eyes: dashboards \"verified structure: {status:'ok', campaigns:[…]}\"",
    shape: { ...ok, campaigns: [CAMPAIGN] },
  },
  getCampaign: {
    call: 'GET /campaigns/{id}',
    status: 200,
    evidence:
      'main/sandbox/aimfox/README.md, Through other people\'s eyes: every read body is {status:"ok", <name>} (prospector, observed live)',
    shape: { ...ok, campaign: CAMPAIGN },
  },
  getAudience: {
    call: 'GET /campaigns/{id}/audience',
    status: 200,
    evidence:
      "main/sandbox/aimfox/README.md, Through other people's eyes: audience entries (prospector, observed live)",
    shape: { ...ok, audience: [AUDIENCE_ENTRY] },
  },
  addToAudience: {
    call: 'POST /campaigns/{id}/audience',
    status: 200,
    evidence:
      "main/sandbox/aimfox/README.md, What is documented and reproduced (200 for everything but the listed creates); Through other people's eyes: audience add (n8n)",
    shape: ok,
  },
  addManyToAudience: {
    call: 'POST /campaigns/{id}/audience/multiple',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: bulk add (n8n)",
    shape: { ...ok, profiles: ['any'], failed: [{ profile_url: str }], failedReason: 'object' },
  },
  removeFromAudience: {
    call: 'DELETE /campaigns/{id}/audience/{urn}',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: removal by URN or public identifier (n8n)",
    shape: ok,
  },
  getLead: {
    call: 'GET /leads/{id}',
    status: 200,
    evidence:
      "main/sandbox/aimfox/README.md, Through other people's eyes: GET /leads/:id (prospector, observed live; n8n)",
    shape: { ...ok, lead: LEAD },
  },
  searchLeads: {
    call: 'POST /leads:search',
    status: 200,
    evidence:
      "main/sandbox/aimfox/README.md, Through other people's eyes: POST /leads:search with start/count in the query (n8n)",
    shape: { ...ok, leads: [LEAD] },
  },
  leadsTotal: {
    call: 'POST /leads:search/total',
    status: 200,
    evidence: 'main/sandbox/aimfox/README.md, Endpoints served; What is documented and reproduced (envelope)',
    shape: { ...ok, total_leads: num, 'sync?': 'boolean' },
  },
  listLabels: {
    call: 'GET /labels',
    status: 200,
    evidence:
      'main/sandbox/aimfox/README.md, Through other people\'s eyes: labels (n8n); every read body is {status:"ok", labels}',
    shape: { ...ok, labels: [LABEL] },
  },
  createLabel: {
    call: 'POST /labels',
    status: 201,
    evidence: 'main/sandbox/aimfox/README.md, What is documented and reproduced: 201 for create label',
    shape: { ...ok, label: LABEL },
  },
  updateLabel: {
    call: 'PATCH /labels/{id}',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: labels (n8n)",
    shape: { ...ok, label: LABEL },
  },
  deleteLabel: {
    call: 'DELETE /labels/{id}',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: labels (n8n)",
    shape: ok,
  },
  attachLabel: {
    call: 'POST /leads/{id}/labels/{labelId}',
    status: 201,
    evidence: 'main/sandbox/aimfox/README.md, What is documented and reproduced: 201 for add label to lead',
    shape: ok,
  },
  detachLabel: {
    call: 'DELETE /leads/{id}/labels/{labelId}',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: labels (n8n)",
    shape: ok,
  },
  listNotes: {
    call: 'GET /leads/{id}/notes',
    status: 200,
    evidence: 'main/sandbox/aimfox/README.md, What is documented and reproduced: notes {id, text, created_at}',
    shape: { ...ok, notes: [NOTE] },
  },
  createNote: {
    call: 'POST /leads/{id}/notes',
    status: 201,
    evidence: 'main/sandbox/aimfox/README.md, What is documented and reproduced: 201 for create note',
    shape: { ...ok, note: NOTE },
  },
  updateNote: {
    call: 'PATCH /leads/{id}/notes/{noteId}',
    status: 200,
    evidence: 'main/sandbox/aimfox/README.md, What is documented and reproduced: an edit keeps created_at',
    shape: { ...ok, note: NOTE },
  },
  deleteNote: {
    call: 'DELETE /leads/{id}/notes/{noteId}',
    status: 200,
    evidence: "main/sandbox/aimfox/README.md, Through other people's eyes: notes (n8n)",
    shape: ok,
  },
} satisfies Record<string, ShapePin>;

export type AimfoxPinName = keyof typeof AIMFOX_PINS;

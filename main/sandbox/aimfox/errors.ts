/**
 * Aimfox's failure envelope: `{status:"fail", error:{code, message, type, data}}`. Everything the sandbox
 * refuses goes through AimfoxError so that the HTTP layer renders one shape.
 */

const STATUS_TYPES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function statusType(code: number): string {
  return STATUS_TYPES[code] ?? 'Error';
}

export interface FailBody {
  status: 'fail';
  error: { code: number; message: string; type: string; data?: string };
}

export class AimfoxError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** `error.data`: a refusal code (e.g. "locked") or "ValidationError". Omitted when undefined. */
    readonly data?: string,
  ) {
    super(message);
  }

  body(): FailBody {
    const error: FailBody['error'] = { code: this.code, message: this.message, type: statusType(this.code) };
    if (this.data !== undefined) error.data = this.data;
    return { status: 'fail', error };
  }
}

export function failBody(code: number, message: string, data?: string): FailBody {
  return new AimfoxError(code, message, data).body();
}

export const validationError = (message: string): AimfoxError => new AimfoxError(400, message, 'ValidationError');
export const notFound = (what: string): AimfoxError => new AimfoxError(404, `${what} not found`);

/** The refusal codes of the audience-add endpoints, with the messages the docs list for them. */
export const AUDIENCE_REFUSALS = {
  blocked: 'The Target is Blocked',
  locked: 'The Target is Locked in another Campaign',
  miningFailed: 'The Target was not found',
  noPFP: 'The Target has no Profile Picture',
  alreadyConnected: 'The Target is already a lead',
  notLead: 'The Target is not a lead',
  closed: 'The target cannot receive free InMails',
} as const;
export type AudienceRefusal = keyof typeof AUDIENCE_REFUSALS;

export const refusal = (code: AudienceRefusal): AimfoxError => new AimfoxError(400, AUDIENCE_REFUSALS[code], code);

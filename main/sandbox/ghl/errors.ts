/**
 * GHL-shaped error answers (README "Facts: errors"). Route code throws GhlHttpError; the error
 * handler adds the traceId and sends it.
 *   400 {statusCode, message, error:"Bad Request"}  BadRequestDTO (+error, as seen live in [I#289])
 *   401 {statusCode, message, error:"Unauthorized"} UnauthorizedDTO
 *   403 {statusCode, message, error:"Forbidden"}    v3 common
 *   404 {statusCode, message}                      v3 common
 *   422 {statusCode, message: string[], error:"Unprocessable Entity"} UnprocessableDTO
 *   429 {statusCode, message, error:"Too Many Requests"} (undocumented; our choice)
 */
export class GhlHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : JSON.stringify(body.message));
  }
}

export const MSG = {
  invalidToken: 'Invalid token: access token is invalid',
  scope: 'The token is not authorized for this scope.',
  location: 'The token does not have access to this location.',
  versionMissing: 'version header was not found.',
  versionInvalid: 'version header is invalid',
  duplicate: 'This location does not allow duplicated contacts.',
  tooMany: 'Too many requests. Slow down and retry after the interval in X-RateLimit-Interval-Milliseconds.',
} as const;

export const badRequest = (message: string, extra: Record<string, unknown> = {}): GhlHttpError =>
  new GhlHttpError(400, { statusCode: 400, message, error: 'Bad Request', ...extra });

export const unauthorized = (message: string = MSG.invalidToken): GhlHttpError =>
  new GhlHttpError(401, { statusCode: 401, message, error: 'Unauthorized' });

export const forbidden = (message: string = MSG.location): GhlHttpError =>
  new GhlHttpError(403, { statusCode: 403, message, error: 'Forbidden' });

export const unprocessable = (messages: string[]): GhlHttpError =>
  new GhlHttpError(422, { statusCode: 422, message: messages, error: 'Unprocessable Entity' });

/** Unknown id: 400 like the v2 spec lists, or 404 like v3 (option notFoundStatus). */
export const notFound = (status: 400 | 404, what: 'Contact' | 'Task' | 'Note' | 'Business'): GhlHttpError =>
  status === 400
    ? badRequest(`${what} not found`)
    : new GhlHttpError(404, { statusCode: 404, message: `${what} not found` });

export const tooManyBody = (): Record<string, unknown> => ({
  statusCode: 429,
  message: MSG.tooMany,
  error: 'Too Many Requests',
});

export const serverErrorBody = (): Record<string, unknown> => ({ statusCode: 500, message: 'Internal server error' });

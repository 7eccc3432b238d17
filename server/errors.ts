import type { FastifyInstance } from 'fastify';

/**
 * Errors that reach an HTTP client: one registry of codes and their statuses, one class, one
 * handler (app.ts). A module throws the error of its domain (FilterError, UserError…), each a
 * subclass of AppError with its code; the handler answers `{error: code, message}` with the
 * code's status and never needs to know the subclass.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  message_too_long: 400,
  invalid_user: 400,
  invalid_file: 400,
  invalid: 400,
  invalid_notice: 400,
  unauthorized: 401,
  forbidden: 403,
  self_review: 403,
  not_found: 404,
  not_pending: 409,
  source_missing: 409,
  ticket_state: 409,
  rate_limited: 429,
  internal_error: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = ERROR_STATUS[code];
  }
}

/** The body every error response has. */
export interface ErrorBody {
  error: string;
  message: string;
}

/**
 * What to answer for any error a route throws: our own errors by their code, fastify's schema
 * failures as invalid_request (message_too_long for an over-long message), other 4xx with
 * fastify's code, everything else a 500 whose message says nothing of the internals.
 */
export function errorResponse(err: Error & { statusCode?: number; validation?: unknown; code?: string }, maxMessageChars: number): { status: number; body: ErrorBody } {
  if (err instanceof AppError) return { status: err.status, body: { error: err.code, message: err.message } };
  if (err.validation) {
    // Only the chat message's own length gets its own code; any other field is an invalid request.
    const issues = Array.isArray(err.validation) ? (err.validation as Array<{ keyword?: string; instancePath?: string }>) : [];
    const tooLong = issues.some((v) => v.keyword === 'maxLength' && v.instancePath === '/message');
    return tooLong
      ? { status: 400, body: { error: 'message_too_long', message: `The message is longer than ${maxMessageChars} characters` } }
      : { status: 400, body: { error: 'invalid_request', message: err.message } };
  }
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (status === 429) return { status, body: { error: 'rate_limited', message: err.message } };
  if (status >= 500) return { status, body: { error: 'internal_error', message: 'Internal error' } };
  return { status, body: { error: err.code ?? 'bad_request', message: err.message } };
}

/** The one error handler, on the root instance so every plugin's errors are answered by it. */
export function installErrorHandler(app: FastifyInstance, opts: { maxMessageChars: number }): void {
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
    const { status, body } = errorResponse(err, opts.maxMessageChars);
    if (status >= 500) req.log.error({ err: { message: err.message, code: err.code } }, 'request failed');
    return reply.code(status).send(body);
  });
}

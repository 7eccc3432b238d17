import { describe, expect, it } from 'vitest';
import { AppError, ERROR_STATUS, errorResponse } from './errors.js';
import { FilterError } from './review/filters.js';
import { UserError } from './staff/users.js';
import { PasswordPolicyError } from './staff/passwords.js';
import { ImportError } from './translation/import.js';
import { ReviewError } from './translation/review.js';

describe('one error registry', () => {
  it.each([
    [new FilterError('"from" must be YYYY-MM-DD'), 400, 'invalid_request'],
    [new UserError('Role must be one of reviewer, editor, admin'), 400, 'invalid_user'],
    [new PasswordPolicyError('too short'), 400, 'invalid_user'],
    [new ImportError('not XLIFF'), 400, 'invalid_file'],
    [new ReviewError('not_found', 'no revision 9'), 404, 'not_found'],
    [new ReviewError('self_review', 'someone else must approve'), 403, 'self_review'],
    [new ReviewError('not_pending', 'already approved'), 409, 'not_pending'],
  ])('answers %s with its registered status and code', (err, status, code) => {
    expect(err).toBeInstanceOf(AppError);
    expect(errorResponse(err, 1000)).toEqual({ status, body: { error: code, message: err.message } });
    expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(status);
  });

  it('says message_too_long only for the chat message itself, invalid_request for any other field', () => {
    const tooLong = Object.assign(new Error('body/message must NOT have more than 1000 characters'), { validation: [{ keyword: 'maxLength', instancePath: '/message' }] });
    expect(errorResponse(tooLong, 1000).body).toEqual({ error: 'message_too_long', message: 'The message is longer than 1000 characters' });
    const longQuery = Object.assign(new Error('querystring/q must NOT have more than 200 characters'), { validation: [{ keyword: 'maxLength', instancePath: '/q' }] });
    expect(errorResponse(longQuery, 1000)).toEqual({ status: 400, body: { error: 'invalid_request', message: longQuery.message } });
  });

  it('hides the internals of anything unexpected behind a 500', () => {
    expect(errorResponse(new Error('SQLITE_CANTOPEN: /var/lib/dvc/dvc.sqlite'), 1000)).toEqual({ status: 500, body: { error: 'internal_error', message: 'Internal error' } });
  });

  it('keeps the status and code of fastify’s own client errors', () => {
    const err = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(errorResponse(err, 1000)).toEqual({ status: 415, body: { error: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', message: 'Unsupported Media Type' } });
    const limited = Object.assign(new Error('Too many requests'), { statusCode: 429 });
    expect(errorResponse(limited, 1000).body.error).toBe('rate_limited');
  });
});

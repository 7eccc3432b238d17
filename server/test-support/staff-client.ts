import { expect } from 'vitest';

/** A signed-in staff member as the staff API sees one: the session cookie and the CSRF token. */
export interface StaffClient {
  cookie: string;
  csrf: string;
  id: number;
}

export interface StaffResponse {
  status: number;
  // Tests read any field of a reply; its shape is what the test asserts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  text: string;
  headers: Headers;
}

/**
 * Signs in and calls staff routes of a real server over HTTP, for route tests: `call` sends the
 * client's cookie and CSRF token (or `opts.csrf`: a wrong one, or null for none), and any
 * `opts.headers` (an Origin, say).
 */
export function staffHttp(base: () => string) {
  async function login(username: string, password: string): Promise<StaffClient> {
    const res = await fetch(`${base()}/staff/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrfToken: string; user: { id: number } };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: body.csrfToken, id: body.user.id };
  }

  async function call(c: StaffClient | null, method: string, path: string, body?: unknown, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<StaffResponse> {
    const csrf = opts.csrf === undefined ? c?.csrf : opts.csrf;
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(c ? { cookie: c.cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...opts.headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  return { login, call };
}

/** Shared client code of the staff console: strings and DOM building (from the browser kit, never innerHTML), API calls with the CSRF token. */
import { translator } from '../../../browser-kit/strings.js';

export { append, clear, el, type Attrs, type Child } from '../../../browser-kit/dom.js';
import { el } from '../../../browser-kit/dom.js';
import { ROLES, roleAtLeast, type Role } from '../../../domain/staff.js';

declare global {
  interface Window {
    __DVC_STAFF_I18N__?: { lang: string; strings: Record<string, unknown> };
  }
}

const I18N = window.__DVC_STAFF_I18N__ ?? { lang: document.documentElement.lang || 'vi', strings: {} };
export const LANG = I18N.lang;
const LOCALE = LANG === 'vi' ? 'vi-VN' : 'en-GB';

const strings = translator(I18N.strings);

/** A UI string by dotted key, with {{name}} parameters filled in (as text). */
export const t = strings.t;

export function $(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
}

export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="dvc-csrf"]')?.content ?? '';
}

export function currentUser(): { username: string; role: string } | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="dvc-user"]');
  return meta ? { username: meta.content, role: meta.dataset.role ?? 'reviewer' } : null;
}

export function hasRole(role: Role): boolean {
  const u = currentUser();
  return Boolean(u && (ROLES as readonly string[]).includes(u.role) && roleAtLeast(u.role as Role, role));
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the staff JSON API; state changes carry the CSRF token. A lost session goes back to the sign-in page. */
export async function api<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: init.body !== undefined ? JSON.stringify(init.body) : undefined, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', t('common.networkError'));
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const code = (json as { error?: string } | null)?.error ?? String(res.status);
    if (res.status === 401) {
      setTimeout(() => location.assign(`/staff/login?next=${encodeURIComponent(location.pathname + location.search)}`), 1500);
      throw new ApiError(401, code, t('common.sessionExpired'));
    }
    if (res.status === 403) throw new ApiError(403, code, t(code === 'csrf' ? 'common.csrf' : 'common.forbidden'));
    const message = (json as { message?: string } | null)?.message;
    throw new ApiError(res.status, code, message ?? t('common.loadFailed', { status: res.status }));
  }
  return json as T;
}

export function errorMessage(err: unknown): string {
  return err instanceof ApiError ? err.message : t('common.loadFailed', { status: (err as Error)?.message ?? '?' });
}

/** Shows a message in a live region; `kind` styles it as an error or a success. */
export function setStatus(node: Element, text: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  node.textContent = text;
  node.classList.toggle('is-error', kind === 'error');
  node.classList.toggle('is-ok', kind === 'ok');
}

const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const dayMonth = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', timeZone: 'UTC' });

export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}
export function fmtDay(day: string, short = false): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : (short ? dayMonth : dateOnly).format(d);
}
export function fmtNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
export function fmtPercent(share: number | null): string {
  return share === null || share === undefined ? t('common.none') : new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** The non-empty parameters of a GET filter form, as a query string for the API. */
export function formQuery(form: HTMLFormElement, skip: string[] = []): URLSearchParams {
  const params = new URLSearchParams();
  new FormData(form).forEach((v, k) => {
    if (typeof v === 'string' && v.trim() !== '' && !skip.includes(k)) params.set(k, v.trim());
  });
  return params;
}

/** Submitting a filter form reloads `path` with the filters in the address (bookmarkable); empty fields are left out. */
export function filtersInAddress(form: HTMLFormElement, path: string): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = formQuery(form);
    location.assign(`${path}${q.toString() ? `?${q}` : ''}`);
  });
}

/** An external link that opens in a new tab, says so, and leaks no referrer. */
export function externalLink(href: string, text: string): HTMLElement {
  if (!/^https?:\/\//i.test(href)) return el('span', {}, text);
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer nofollow' }, text, el('span', { class: 'visually-hidden' }, ` ${t('common.newTab')}`));
}

function wireSignOut(): void {
  const button = document.getElementById('sign-out');
  if (!button) return;
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', '');
    try {
      await api('/staff/api/logout', { method: 'POST', body: {} });
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) {
        button.removeAttribute('disabled');
        alert(t('user.signOutFailed'));
        return;
      }
    }
    location.assign('/staff/login');
  });
}

wireSignOut();

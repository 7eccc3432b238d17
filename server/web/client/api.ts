/** The widget's calls to our server (same origin; the frame's CSP allows nothing else). */
import type { Strings } from '../../browser-kit/strings.js';
import type { Answer } from './state.js';

export interface Language {
  code: string;
  name: string;
  status: 'full' | 'partial';
}
export interface Profile {
  code: string;
  name: string;
  hotline?: string;
  nationalHotline?: string;
  oneStop?: { name?: string; address?: string; hours?: string };
  languages: Language[];
  defaultLanguage: string;
  handoff?: boolean;
}

/** The service notice shown as a banner (GET /api/notice). */
export interface Notice {
  text: string;
  lang: string;
  endsAt: string;
}

export class ChatError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' } };

export interface Api {
  profile(): Promise<Profile | null>;
  /** The UI strings of a language; Vietnamese when they cannot be loaded, nothing when even that fails. */
  strings(lang: string): Promise<Strings>;
  chat(body: Record<string, string>): Promise<Answer>;
  /** The notice to show now (null: none, or it could not be loaded: the chat works without it). */
  notice(lang: string): Promise<Notice | null>;
  feedback(body: Record<string, string>): Promise<void>;
  /**
   * Ticket messages after `after`, the server holding the request up to `wait` seconds while there
   * is nothing new; null when the server refuses (wrong token, limit, network) or `signal` aborts.
   */
  messages(id: string, token: string, after: number, wait?: number, signal?: AbortSignal): Promise<TicketMessages | null>;
}

export interface TicketMessages {
  messages: Array<{ id: number; author: 'citizen' | 'staff'; text: string; at: string }>;
  handoff?: { ticket: string; status: 'live' | 'queued' | 'closed' };
}

export function createApi(province: string): Api {
  const strings = async (lang: string): Promise<Strings> => {
    try {
      const res = await fetch(`/widget/i18n/${lang}.json`);
      if (res.ok) return (await res.json()) as Strings;
    } catch {
      /* fall back below */
    }
    return lang === 'vi' ? {} : strings('vi');
  };
  return {
    profile: () =>
      fetch(`/api/profile${province ? `?province=${province}` : ''}`)
        .then((r) => (r.ok ? (r.json() as Promise<Profile>) : null))
        .catch(() => null),
    strings,
    notice: (lang) =>
      fetch(`/api/notice?${new URLSearchParams({ ...(province ? { province } : {}), lang })}`)
        .then((r) => (r.ok ? (r.json() as Promise<{ notice: Notice | null }>) : { notice: null }))
        .then((b) => b.notice)
        .catch(() => null),
    async chat(body) {
      const res = await fetch('/api/chat', { ...JSON_POST, body: JSON.stringify(body) });
      if (!res.ok) {
        const data = (await res.json().catch(() => ({}))) as { error?: string };
        throw new ChatError(res.status, Number(res.headers.get('retry-after')) || 0, data.error ?? '');
      }
      return (await res.json()) as Answer;
    },
    async messages(id, token, after, wait = 0, signal) {
      try {
        const query = new URLSearchParams({ after: String(after), ...(wait > 0 ? { wait: String(wait) } : {}) });
        const res = await fetch(`/api/conversations/${encodeURIComponent(id)}/messages?${query}`, { headers: { 'x-conversation-token': token }, signal });
        return res.ok ? ((await res.json()) as TicketMessages) : null;
      } catch {
        return null;
      }
    },
    async feedback(body) {
      const res = await fetch('/api/feedback', { ...JSON_POST, body: JSON.stringify(body) });
      // 409: this answer already has feedback (from another tab or device): nothing left to send.
      if (res.status !== 201 && res.status !== 409) throw new Error(String(res.status));
    },
  };
}

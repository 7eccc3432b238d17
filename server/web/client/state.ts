/**
 * The conversation the widget shows, kept in this tab's sessionStorage (in memory when storage is
 * blocked by privacy settings). One store per widget, made by createStore: nothing lives at module level.
 */
export interface Citation {
  id: string;
  kind: string;
  title: string;
  url?: string | null;
  updated?: string | null;
}
export interface QuickReply {
  label: string;
  payload: string;
}
export interface Answer {
  conversationId?: string;
  /** Given once, when the message started a conversation; needed with the id to continue it. */
  conversationToken?: string;
  answerId: string;
  lang: string;
  kind: string;
  text: string;
  summary?: string;
  citations: Citation[];
  quickReplies: QuickReply[];
  notices?: string[];
  handoff?: { ticket: string; status: 'live' | 'queued' | 'closed'; position?: number; expectedBy?: string };
}
export type UserTurn = { role: 'user'; text: string; hidden?: boolean };
/** A reply typed by a support officer (fetched from /api/conversations/:id/messages). */
export type StaffTurn = { role: 'staff'; id: number; text: string };
export type Turn = UserTurn | { role: 'bot'; answer: Answer } | StaffTurn;

export interface State {
  v: 1;
  lang: string;
  /** The citizen picked the language: send it with every question instead of letting the server guess. */
  langChosen: boolean;
  open: boolean;
  conversationId?: string;
  /** Kept beside the id (this tab only): the server continues a conversation only with both. */
  conversationToken?: string;
  turns: Turn[];
  feedback: Record<string, 'up' | 'down'>;
  /** The conversation's open ticket, while staff may reply; and the last ticket message seen. */
  handoff?: { ticket: string; status: 'live' | 'queued' | 'closed' };
  staffAfter?: number;
}

const MAX_TURNS = 60;

export interface Store {
  readonly state: State;
  /** Whether the state came from storage (a reload in the same tab) rather than being new. */
  readonly restored: boolean;
  /** The question waiting for its answer, or null. */
  pending: Turn | null;
  save(): void;
}

export function createStore(key: string, fresh: () => State): Store {
  const memory = new Map<string, string>();
  const read = (): string | null => {
    try {
      return window.sessionStorage.getItem(key);
    } catch {
      return memory.get(key) ?? null;
    }
  };
  const write = (value: string): void => {
    try {
      window.sessionStorage.setItem(key, value);
    } catch {
      memory.set(key, value);
    }
  };
  let saved: State | null = null;
  try {
    const raw = JSON.parse(read() ?? 'null');
    if (raw && raw.v === 1 && Array.isArray(raw.turns) && typeof raw.lang === 'string') {
      saved = { ...raw, feedback: raw.feedback && typeof raw.feedback === 'object' ? raw.feedback : {} } as State;
    }
  } catch {
    /* unreadable: start again */
  }
  const state = saved ?? fresh();
  const store: Store = {
    state,
    restored: saved !== null,
    pending: null,
    save() {
      if (state.turns.length > MAX_TURNS) state.turns.splice(0, state.turns.length - MAX_TURNS);
      // A question waiting for its answer is not written yet: if the answer is a safety warning, the
      // question (which may hold an OTP or a password) is never written at all.
      write(JSON.stringify({ ...state, turns: state.turns.filter((turn) => turn !== store.pending) }));
    },
  };
  return store;
}

/** Only what the widget shows is kept in storage. */
export function keep(a: Answer): Answer {
  return {
    answerId: a.answerId,
    lang: a.lang,
    kind: a.kind,
    text: a.text,
    summary: a.summary,
    citations: (a.citations ?? []).map(({ id, kind, title, url, updated }) => ({ id, kind, title, url, updated })),
    quickReplies: (a.quickReplies ?? []).map(({ label, payload }) => ({ label, payload })),
    notices: a.notices ?? [],
    ...(a.handoff ? { handoff: { ticket: a.handoff.ticket, status: a.handoff.status } } : {}),
  };
}

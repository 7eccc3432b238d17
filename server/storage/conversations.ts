import crypto from 'node:crypto';
import type { Db } from '../db/database.js';

export interface ConversationState {
  id: string;
  channel: string;
  province: string;
  lang: string;
  lastTopics: string[];
  lastDocId: string | null;
  /** Titles a clarification offered, in order; a reply "1", "2"… picks one. Empty when none is pending. */
  pendingChoices: string[];
  isTest: boolean;
  /** Channel user reference, for a conversation not stored yet. */
  userRef?: string | null;
  /** SHA-256 of the token given to a web/API client, for a conversation not stored yet. */
  tokenHash?: string | null;
  /** The outcomes of the conversation's last answers, newest first (at most three; empty for a new one). */
  recentOutcomes?: string[];
}

/** Conversation rows: what a follow-up question needs from the previous turn. */
export function createConversationStore(db: Db) {
  const get = db.prepare('SELECT id, channel, province, lang, last_topics, last_doc_id, pending_choices, is_test FROM conversations WHERE id = ?');
  // What the last turns came to: two failed clarifications in a row offer a person (clarification.ts).
  const outcomes = db.prepare('SELECT outcome FROM answers WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 3').pluck();
  // One statement for a turn's outcome: a new conversation is stored with its first answer.
  const save = db.prepare(`INSERT INTO conversations (id, channel, user_ref, province, lang, last_topics, last_doc_id, pending_choices, is_test, token_hash, created_at, updated_at)
    VALUES (@id, @channel, @userRef, @province, @lang, @topics, @docId, @choices, @isTest, @tokenHash, @now, @now)
    ON CONFLICT(id) DO UPDATE SET lang = excluded.lang, last_topics = excluded.last_topics, last_doc_id = excluded.last_doc_id, pending_choices = excluded.pending_choices, updated_at = excluded.updated_at`);

  const toState = (row: Record<string, unknown>): ConversationState => ({
    id: row.id as string,
    channel: row.channel as string,
    province: row.province as string,
    lang: row.lang as string,
    lastTopics: JSON.parse(row.last_topics as string) as string[],
    lastDocId: (row.last_doc_id as string | null) ?? null,
    pendingChoices: parseChoices(row.pending_choices),
    isTest: row.is_test === 1,
  });

  return {
    find(id: string): ConversationState | null {
      const row = get.get(id) as Record<string, unknown> | undefined;
      return row ? { ...toState(row), recentOutcomes: (outcomes.all(id) as Array<string | null>).map((o) => o ?? '') } : null;
    },
    /** The conversation with this id, or a new one (stored by `save` once the turn is answered). */
    open(args: { id?: string; channel: string; province: string; lang: string; userRef?: string; tokenHash?: string; isTest: boolean }): ConversationState {
      const found = args.id ? this.find(args.id) : null;
      if (found) return found;
      return { id: args.id ?? crypto.randomUUID(), channel: args.channel, province: args.province, lang: args.lang, lastTopics: [], lastDocId: null, pendingChoices: [], isTest: args.isTest, userRef: args.userRef ?? null, tokenHash: args.tokenHash ?? null };
    },
    /** Stores what the next turn needs: reply language, topics and document of this answer, and the choices it offered. */
    save(state: ConversationState, lang: string, topics: string[], docId: string | null, choices: string[] = []): void {
      save.run({ id: state.id, channel: state.channel, userRef: state.userRef ?? null, tokenHash: state.tokenHash ?? null, province: state.province, lang, topics: JSON.stringify(topics), docId, choices: choices.length ? JSON.stringify(choices) : null, isTest: state.isTest ? 1 : 0, now: new Date().toISOString() });
    },
  };
}

/** A damaged value is no choice at all, never a failed turn. */
function parseChoices(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export type ConversationStore = ReturnType<typeof createConversationStore>;

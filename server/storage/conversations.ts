import crypto from 'node:crypto';
import type { Db } from '../db/database.js';

export interface ConversationState {
  id: string;
  channel: string;
  province: string;
  lang: string;
  lastTopics: string[];
  lastDocId: string | null;
  isTest: boolean;
}

/** Conversation rows: what a follow-up question needs from the previous turn. */
export function createConversationStore(db: Db) {
  const get = db.prepare('SELECT id, channel, province, lang, last_topics, last_doc_id, is_test FROM conversations WHERE id = ?');
  const insert = db.prepare(`INSERT INTO conversations (id, channel, user_ref, province, lang, last_topics, last_doc_id, is_test, created_at, updated_at)
    VALUES (@id, @channel, @userRef, @province, @lang, '[]', NULL, @isTest, @now, @now)`);
  const update = db.prepare('UPDATE conversations SET lang = @lang, last_topics = @topics, last_doc_id = @docId, updated_at = @now WHERE id = @id');

  const toState = (row: Record<string, unknown>): ConversationState => ({
    id: row.id as string,
    channel: row.channel as string,
    province: row.province as string,
    lang: row.lang as string,
    lastTopics: JSON.parse(row.last_topics as string) as string[],
    lastDocId: (row.last_doc_id as string | null) ?? null,
    isTest: row.is_test === 1,
  });

  return {
    find(id: string): ConversationState | null {
      const row = get.get(id) as Record<string, unknown> | undefined;
      return row ? toState(row) : null;
    },
    /** Returns the conversation, creating it when the id is new or absent. */
    open(args: { id?: string; channel: string; province: string; lang: string; userRef?: string; isTest: boolean }): ConversationState {
      if (args.id) {
        const found = this.find(args.id);
        if (found) return found;
      }
      const id = args.id ?? crypto.randomUUID();
      insert.run({ id, channel: args.channel, userRef: args.userRef ?? null, province: args.province, lang: args.lang, isTest: args.isTest ? 1 : 0, now: new Date().toISOString() });
      return { id, channel: args.channel, province: args.province, lang: args.lang, lastTopics: [], lastDocId: null, isTest: args.isTest };
    },
    remember(id: string, lang: string, topics: string[], docId: string | null): void {
      update.run({ id, lang, topics: JSON.stringify(topics), docId, now: new Date().toISOString() });
    },
  };
}

export type ConversationStore = ReturnType<typeof createConversationStore>;

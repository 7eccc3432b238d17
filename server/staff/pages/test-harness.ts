/** Test support for the staff pages: a real assistant and HTTP server with the pages registered. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { createTempAssistant, type TempAssistant } from '../../test-support/temp-assistant.js';
import { createAuth } from '../auth.js';
import { createSessionStore } from '../sessions.js';
import { createUserStore } from '../users.js';
import { staffPages } from './staff-pages.js';

export const ACCOUNTS = {
  admin: { username: 'admin', password: 'correct horse battery' },
  editor: { username: 'editor1', password: 'editor password 1' },
  reviewer: { username: 'reviewer1', password: 'reviewer password 1' },
} as const;

export interface ChatReply {
  conversationId: string;
  answerId: string;
  kind: string;
  text: string;
  [key: string]: unknown;
}

export interface StaffServer {
  t: TempAssistant;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
  ask(message: string, opts?: { channel?: 'web' | 'api'; conversationId?: string }): Promise<ChatReply>;
  feedback(answerId: string, rating: 'up' | 'down', reason?: string): Promise<void>;
}

export async function startStaffServer(env: Record<string, string> = {}): Promise<StaffServer> {
  const t = await createTempAssistant({ RATE_LIMIT_MAX: '100000', REVIEW_SAMPLE_RATE: '1', ...env });
  const users = createUserStore(t.assistant.db);
  users.create(ACCOUNTS.admin.username, ACCOUNTS.admin.password, 'admin');
  users.create(ACCOUNTS.editor.username, ACCOUNTS.editor.password, 'editor');
  users.create(ACCOUNTS.reviewer.username, ACCOUNTS.reviewer.password, 'reviewer');
  const app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  // Once staffPlugin registers the pages itself, they are already there; otherwise register them here.
  if (!app.hasRoute({ method: 'GET', url: '/staff/login' })) {
    // staffPlugin's decorator is encapsulated; sessions live in the database, so a second Auth over it is equivalent.
    const auth = app.staffAuth ?? createAuth({ sessions: createSessionStore(t.assistant.db), users });
    await app.register(staffPages, {
      auth,
      provinces: [...t.assistant.profiles.keys()],
      placeholders: t.assistant.profiles.get(t.assistant.config.province)?.values,
    });
  }
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    t,
    app,
    base,
    async close() {
      await app.close();
      t.cleanup();
    },
    async ask(message, opts = {}) {
      const res = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, conversationId: opts.conversationId, channel: opts.channel }),
      });
      return (await res.json()) as ChatReply;
    },
    async feedback(answerId, rating, reason) {
      await fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answerId, rating, ...(reason ? { reason } : {}) }),
      });
    },
  };
}

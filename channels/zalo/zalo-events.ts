import crypto from 'node:crypto';
import type { InboxKind } from '../core/types.js';

export interface ParsedZaloEvent {
  externalId: string;
  userId: string;
  kind: InboxKind;
  text: string | null;
  meta: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

/**
 * Reads a Zalo OA webhook event. User → OA events carry `sender.id` and `message.msg_id`;
 * follow/unfollow carry `follower.id` and no sender; `oa_send_*` echo our own messages.
 */
export function parseZaloEvent(body: Record<string, unknown>, rawBody: Buffer): ParsedZaloEvent | { ignore: string } {
  const name = str(body.event_name) ?? '';
  const timestamp = str(body.timestamp) ?? '';
  if (name.startsWith('oa_send_')) return { ignore: 'echo' };

  if (name === 'follow' || name === 'unfollow') {
    const follower = (body.follower ?? {}) as Record<string, unknown>;
    const userId = str(follower.id);
    if (!userId) return { ignore: 'no follower id' };
    return { externalId: `${name}:${userId}:${timestamp}`, userId, kind: name, text: null, meta: { source: str(body.source) } };
  }

  if (name.startsWith('user_send_')) {
    const sender = (body.sender ?? {}) as Record<string, unknown>;
    const message = (body.message ?? {}) as Record<string, unknown>;
    const userId = str(sender.id);
    if (!userId) return { ignore: 'no sender id' };
    const msgId = str(message.msg_id) ?? `sha256:${crypto.createHash('sha256').update(rawBody).digest('hex')}`;
    if (name === 'user_send_text' && typeof message.text === 'string') {
      return { externalId: msgId, userId, kind: 'text', text: message.text, meta: {} };
    }
    return { externalId: msgId, userId, kind: 'unsupported', text: null, meta: { type: name.slice('user_send_'.length) } };
  }
  return { ignore: name ? 'unhandled event' : 'no event name' };
}

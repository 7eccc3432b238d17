import crypto from 'node:crypto';
import { zaloSignatureHeader } from '../zalo-signature.js';

/** Builds and posts signed Zalo webhook events, as Zalo would. For tests and the bench. */

export interface SignOptions {
  /** The id the signature uses (app id or OA id). */
  id: string;
  secret: string;
}

export function textEvent(args: { appId: string; oaId?: string; userId: string; text: string; msgId?: string; timestamp?: number }): Record<string, unknown> {
  return {
    app_id: args.appId,
    user_id_by_app: `app-${args.userId}`,
    event_name: 'user_send_text',
    timestamp: String(args.timestamp ?? Date.now()),
    sender: { id: args.userId },
    recipient: { id: args.oaId ?? 'oa-456' },
    message: { msg_id: args.msgId ?? crypto.randomUUID().replace(/-/g, ''), text: args.text },
  };
}

export function attachmentEvent(args: { appId: string; userId: string; type: 'image' | 'sticker' | 'location' | 'file' | 'gif' | 'link'; msgId?: string; timestamp?: number }): Record<string, unknown> {
  const payloads: Record<string, unknown> = {
    image: { type: 'image', payload: { thumbnail: 'https://example.invalid/t.jpg', url: 'https://example.invalid/i.jpg' } },
    gif: { type: 'gif', payload: { thumbnail: 'https://example.invalid/t.gif', url: 'https://example.invalid/i.gif' } },
    sticker: { type: 'sticker', payload: { id: 'abc', url: 'https://example.invalid/s.png' } },
    location: { type: 'location', payload: { coordinates: { latitude: '14.35', longitude: '108.0' } } },
    file: { type: 'file', payload: { url: 'https://example.invalid/f.pdf', size: '1024', name: 'f.pdf', checksum: 'x', type: 'pdf' } },
    link: { type: 'link', payload: { url: 'https://example.invalid', description: 'd', thumbnail: '' } },
  };
  return {
    app_id: args.appId,
    user_id_by_app: `app-${args.userId}`,
    event_name: `user_send_${args.type}`,
    timestamp: String(args.timestamp ?? Date.now()),
    sender: { id: args.userId },
    recipient: { id: 'oa-456' },
    message: { msg_id: args.msgId ?? crypto.randomUUID().replace(/-/g, ''), attachments: [payloads[args.type]] },
  };
}

export function followEvent(args: { appId: string; oaId?: string; userId: string; unfollow?: boolean; timestamp?: number }): Record<string, unknown> {
  return {
    oa_id: args.oaId ?? 'oa-456',
    follower: { id: args.userId },
    user_id_by_app: `app-${args.userId}`,
    event_name: args.unfollow ? 'unfollow' : 'follow',
    source: 'oa_profile',
    app_id: args.appId,
    timestamp: String(args.timestamp ?? Date.now()),
  };
}

export interface WebhookReply {
  status?: string;
  error?: string;
  [key: string]: unknown;
}

/** POSTs the event with a valid signature (unless `signature` overrides it); returns status and body. */
export async function postZaloEvent(
  url: string,
  event: Record<string, unknown>,
  sign: SignOptions,
  opts: { signature?: string | null; raw?: string } = {},
): Promise<{ status: number; body: WebhookReply }> {
  const raw = opts.raw ?? JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = opts.signature === undefined ? zaloSignatureHeader(sign.id, Buffer.from(raw), String(event.timestamp), sign.secret) : opts.signature;
  if (signature !== null) headers['x-zevent-signature'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const text = await res.text();
  let body: WebhookReply = { raw: text };
  try {
    body = JSON.parse(text) as WebhookReply;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

import crypto from 'node:crypto';
import type { PDU } from 'smpp';
import type { SmsSmppConfig } from '../config.js';
import type { ChannelStore } from '../core/store.js';
import type { ChannelLogger, OutboxRow, SendResult, Transport } from '../core/types.js';
import { SmppNotBoundError, type SmppClient } from './smpp-client.js';
import { normalisePhone, type SmsSmppPayload } from './sms-payload.js';

/** SMPP command_status values worth retrying: throttled, queue full, system error, temporary app error. */
const RETRYABLE_STATUS = new Set([0x58, 0x14, 0x08, 0x64]);

export function submitParams(config: SmsSmppConfig, p: SmsSmppPayload): Record<string, unknown> {
  const udh = p.udh ? Buffer.from(p.udh, 'hex') : null;
  return {
    service_type: '',
    source_addr_ton: config.sourceTon,
    source_addr_npi: config.sourceNpi,
    source_addr: config.sourceAddr,
    dest_addr_ton: config.destTon,
    dest_addr_npi: config.destNpi,
    destination_addr: p.to,
    // Always explicit: without it node-smpp may pick Latin-1 (0x03) for text with ô/ê.
    data_coding: p.dataCoding,
    esm_class: udh ? 0x40 : 0x00,
    registered_delivery: 1,
    short_message: udh ? { udh, message: p.text } : p.text,
  };
}

/** submit_sm per outbox row (one row per part). No idempotency key exists in SMPP 3.4. */
export function createSmppTransport(client: SmppClient, config: SmsSmppConfig): Transport {
  return {
    channel: 'sms',
    idempotent: false,
    async send(row: OutboxRow): Promise<SendResult> {
      let pdu: PDU;
      try {
        pdu = await client.submit(submitParams(config, row.payload as SmsSmppPayload));
      } catch (err) {
        if (err instanceof SmppNotBoundError) return { status: 'retryable', code: 'not_bound', message: err.message, maybeDelivered: false };
        return { status: 'retryable', code: 'no_response', message: (err as Error).message, maybeDelivered: true };
      }
      if (pdu.command_status === 0) return { status: 'sent', providerMessageId: pdu.message_id ? String(pdu.message_id) : null };
      const code = `0x${pdu.command_status.toString(16).padStart(2, '0')}`;
      if (RETRYABLE_STATUS.has(pdu.command_status)) return { status: 'retryable', code, message: `submit_sm_resp status ${code}`, maybeDelivered: false };
      return { status: 'permanent', code, message: `submit_sm_resp status ${code}` };
    },
  };
}

export interface DeliveryReceipt {
  id: string | null;
  stat: string | null;
  err: string | null;
}

/** Parses `id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:… text:…`. */
export function parseDeliveryReceipt(text: string): DeliveryReceipt {
  const get = (re: RegExp) => re.exec(text)?.[1] ?? null;
  return { id: get(/\bid:(\S+)/i), stat: get(/\bstat:(\w+)/i), err: get(/\berr:(\w+)/i) };
}

/** The forms an SMSC may use for the same message id in a receipt (decimal vs hex, case). */
export function messageIdVariants(id: string): string[] {
  const out = new Set([id, id.toLowerCase(), id.toUpperCase()]);
  try {
    if (/^\d+$/.test(id)) {
      const hex = BigInt(id).toString(16);
      out.add(hex);
      out.add(hex.toUpperCase());
    }
    if (/^[0-9a-f]+$/i.test(id)) out.add(BigInt(`0x${id}`).toString());
  } catch {
    /* not a number */
  }
  return [...out];
}

function messageText(pdu: PDU): { text: string; udh: Buffer[] } {
  const sm = pdu.short_message;
  let text = '';
  let udh: Buffer[] = [];
  if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm) && 'message' in sm) {
    text = Buffer.isBuffer(sm.message) ? sm.message.toString('latin1') : String(sm.message ?? '');
    udh = Array.isArray(sm.udh) ? sm.udh : [];
  } else if (typeof sm === 'string') text = sm;
  if (!text && pdu.message_payload) {
    const mp = pdu.message_payload;
    text = typeof mp === 'object' && mp && 'message' in mp ? String(mp.message) : Buffer.isBuffer(mp) ? mp.toString('latin1') : String(mp);
  }
  return { text, udh };
}

/** 8-bit (IEI 0x00) or 16-bit (IEI 0x08) concatenation information element. */
function concatInfo(udh: Buffer[]): { ref: number; total: number; seq: number } | null {
  for (const ie of udh) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2], total: ie[3], seq: ie[4] };
    if (ie[0] === 0x08 && ie.length >= 6) return { ref: (ie[2] << 8) | ie[3], total: ie[4], seq: ie[5] };
  }
  return null;
}

const MO_DEDUPE_WINDOW_MS = 10 * 60_000;

/**
 * Stores a deliver_sm: a delivery receipt (esm_class bits 2–5 = 0001) updates the outbox row it
 * reports on; a mobile-originated message goes to the inbox (concatenated parts are kept in
 * channel_sms_parts until all have arrived). Duplicates (an SMSC re-sending a deliver_sm whose
 * response it missed) are recognised by sender + sequence number + content within 10 minutes.
 */
export function createDeliverHandler(args: { store: ChannelStore; log: ChannelLogger; onInbox: () => void; now?: () => number }) {
  const { store, log } = args;
  const now = args.now ?? Date.now;
  const db = store.db;
  const insertPart = db.prepare(`INSERT OR IGNORE INTO channel_sms_parts (sender, ref, total, seq, text, received_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const partsOf = db.prepare('SELECT seq, text FROM channel_sms_parts WHERE sender = ? AND ref = ? AND total = ? ORDER BY seq');
  const dropParts = db.prepare('DELETE FROM channel_sms_parts WHERE sender = ? AND ref = ? AND total = ?');

  return function onDeliver(pdu: PDU): void {
    const esm = Number(pdu.esm_class ?? 0);
    const { text, udh } = messageText(pdu);
    const messageType = esm & 0x3c;
    if (messageType !== 0) {
      // Not a citizen's message: 0x04 delivery receipt, 0x20 intermediate notification, 0x08/0x10 acks.
      if (messageType !== 0x04 && messageType !== 0x20) return;
      const r = parseDeliveryReceipt(text);
      const ids = [r.id, pdu.receipted_message_id ? String(pdu.receipted_message_id) : null].filter((x): x is string => Boolean(x)).flatMap(messageIdVariants);
      if (!ids.length) {
        log.warn({}, 'smpp: delivery receipt without a message id');
        return;
      }
      const outboxId = store.recordReceipt('sms', ids, r.stat, r.err, now());
      log.debug({ outbox: outboxId, stat: r.stat }, 'smpp: delivery receipt');
      return;
    }
    const sender = normalisePhone(String(pdu.source_addr ?? ''));
    if (!sender) {
      log.warn({}, 'smpp: deliver_sm without source_addr ignored');
      return;
    }
    const t = now();
    const concat = concatInfo(udh);
    let full = text;
    let key: string;
    if (concat && concat.total > 1) {
      const complete = db.transaction(() => {
        insertPart.run(sender, concat.ref, concat.total, concat.seq, text, t);
        const parts = partsOf.all(sender, concat.ref, concat.total) as Array<{ seq: number; text: string }>;
        if (parts.length < concat.total) return null;
        dropParts.run(sender, concat.ref, concat.total);
        return parts.map((p) => p.text).join('');
      })();
      if (complete === null) return;
      full = complete;
      key = `smpp:${sender}:c${concat.ref}:${concat.total}:${crypto.createHash('sha1').update(full).digest('hex').slice(0, 16)}`;
    } else {
      key = `smpp:${sender}:${pdu.sequence_number}:${crypto.createHash('sha1').update(full).digest('hex').slice(0, 16)}`;
    }
    const res = store.insertInbox(
      { channel: 'sms', externalId: key, userId: sender, kind: 'text', text: full, meta: { destination: String(pdu.destination_addr ?? '') }, receivedAt: t },
      { dedupeWindowMs: MO_DEDUPE_WINDOW_MS },
    );
    if (res.inserted) {
      log.debug({ inbox: res.id }, 'smpp: message queued');
      args.onInbox();
    }
  };
}

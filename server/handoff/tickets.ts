import crypto from 'node:crypto';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import { HANDOFF_ROLE, HANDOFF_SUPERVISOR_ROLE, roleAtLeast, type StaffUser } from '../domain/staff.js';
import { CLOSE_REASONS, type CloseReason, type TicketStatus } from '../domain/handoff.js';
import { detectSensitive } from '../safety/sensitive-data.js';
import type { AuditLog } from '../staff/audit.js';
import type { DeskEvents } from './desk-events.js';
import type { DeskEvent, DeskQueue } from '../domain/handoff.js';

export class TicketError extends AppError {}

/**
 * The conversation already has an open ticket (two requests of one conversation raced: a
 * double tap). The pipeline answers the later request again, and it then sees the first ticket.
 */
export class TicketConflictError extends TicketError {
  constructor(message = 'The conversation already has an open ticket') {
    super('ticket_state', message);
  }
}

export interface Ticket {
  id: number;
  code: string;
  conversationId: string;
  channel: string;
  province: string;
  lang: string;
  status: TicketStatus;
  holderId: number | null;
  openedAt: string;
  dueAt: string;
  firstResponseAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  isTest: boolean;
}

/** A ticket as the desk lists it. */
export interface TicketListItem extends Ticket {
  holder: string | null;
  messages: number;
  lastMessageAt: string | null;
  /** The latest citizen message (already redacted), cut to 160 characters. */
  preview: string | null;
}

const QUEUE_SQL: Record<DeskQueue, string> = {
  waiting: "t.status = 'waiting'",
  mine: "t.status = 'held' AND t.holder_id = @me",
  answered: "((t.status = 'held' AND t.holder_id IS NOT @me) OR t.status = 'released')",
  closed: "t.status IN ('closed', 'cancelled')",
};
// Waiting and mine: oldest first (who has waited longest is answered first); the others newest first.
const QUEUE_ORDER: Record<DeskQueue, string> = { waiting: 't.id', mine: 't.id', answered: 't.id DESC', closed: 'COALESCE(t.closed_at, t.opened_at) DESC, t.id DESC' };

export interface TicketMessage {
  id: number;
  ticketId: number;
  author: 'citizen' | 'staff';
  userId: number | null;
  text: string;
  createdAt: string;
  /** Zalo/SMS staff replies: pending, queued, outside_window, opted_out, no_user; null otherwise. */
  delivery: string | null;
}

// No 0/O, 1/I/L: the code is read out over the phone.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function newTicketCode(): string {
  const bytes = crypto.randomBytes(5);
  return `HT-${[...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')}`;
}

const toTicket = (r: Record<string, unknown>): Ticket => ({
  id: r.id as number,
  code: r.code as string,
  conversationId: r.conversation_id as string,
  channel: r.channel as string,
  province: r.province as string,
  lang: r.lang as string,
  status: r.status as TicketStatus,
  holderId: (r.holder_id as number | null) ?? null,
  openedAt: r.opened_at as string,
  dueAt: r.due_at as string,
  firstResponseAt: (r.first_response_at as string | null) ?? null,
  closedAt: (r.closed_at as string | null) ?? null,
  closeReason: (r.close_reason as string | null) ?? null,
  isTest: r.is_test === 1,
});

const toMessage = (r: Record<string, unknown>): TicketMessage => ({
  id: r.id as number,
  ticketId: r.ticket_id as number,
  author: r.author as 'citizen' | 'staff',
  userId: (r.user_id as number | null) ?? null,
  text: r.text_redacted as string,
  createdAt: r.created_at as string,
  delivery: (r.delivery as string | null) ?? null,
});

/**
 * Tickets: a conversation handed to staff. Every staff action checks the actor's role and the
 * ticket's state, and is written to the audit log in the same transaction as its change. Staff
 * text is redacted before it is stored, like everything else.
 */
export function createTicketStore(db: Db, audit: AuditLog, opts: { events?: DeskEvents } = {}) {
  const announce = (type: DeskEvent['type'], t: Ticket) => opts.events?.publish({ type, ticketId: t.id, code: t.code, province: t.province, status: t.status });
  const byId = db.prepare('SELECT * FROM tickets WHERE id = ?');
  const openFor = db.prepare("SELECT * FROM tickets WHERE conversation_id = ? AND status IN ('waiting', 'held')");
  const latestFor = db.prepare('SELECT * FROM tickets WHERE conversation_id = ? ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO tickets (code, conversation_id, channel, province, lang, status, opened_at, due_at, is_test)
    VALUES (@code, @conversationId, @channel, @province, @lang, 'waiting', @now, @dueAt, @isTest)`);
  const ahead = db.prepare("SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting' AND province = ? AND id < ?");
  const insertMessage = db.prepare('INSERT INTO ticket_messages (ticket_id, author, user_id, text_redacted, created_at) VALUES (?, ?, ?, ?, ?)');
  // Zalo and SMS replies wait for the channel runtime to put them in the outbox (channels/core/staff-replies.ts).
  const markPending = db.prepare("UPDATE ticket_messages SET delivery = 'pending' WHERE id = ?");
  const messages = db.prepare('SELECT * FROM ticket_messages WHERE ticket_id = ? AND id > ? ORDER BY id');
  const conversationMessages = db.prepare(`SELECT m.* FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
    WHERE t.conversation_id = ? AND m.id > ? ORDER BY m.id LIMIT ?`);
  const setStatus = db.prepare('UPDATE tickets SET status = @status, holder_id = @holderId, closed_at = @closedAt, close_reason = @reason WHERE id = @id');
  const firstResponse = db.prepare('UPDATE tickets SET first_response_at = ? WHERE id = ? AND first_response_at IS NULL');
  const noticed = db.prepare('UPDATE tickets SET release_noticed = 1 WHERE id = ?');
  const unnoticed = db.prepare("SELECT * FROM tickets WHERE conversation_id = ? AND status = 'released' AND release_noticed = 0 ORDER BY id DESC LIMIT 1");
  const userRow = db.prepare('SELECT id, username, role, disabled FROM users WHERE id = ?');

  function load(id: number): Ticket {
    const r = byId.get(id) as Record<string, unknown> | undefined;
    if (!r) throw new TicketError('not_found', `No ticket ${id}`);
    return toTicket(r);
  }
  function mayAnswer(actor: StaffUser): void {
    if (actor.disabled || !roleAtLeast(actor.role, HANDOFF_ROLE)) throw new TicketError('forbidden', 'This account may not answer citizens');
  }
  const supervisor = (actor: StaffUser) => roleAtLeast(actor.role, HANDOFF_SUPERVISOR_ROLE);
  /** The holder, or a supervisor, may act on a held ticket. */
  function holderOrSupervisor(actor: StaffUser, t: Ticket, what: string): void {
    mayAnswer(actor);
    if (t.status !== 'held') throw new TicketError('ticket_state', `Ticket ${t.code} is ${t.status}; only a held ticket can be ${what}`);
    if (t.holderId !== actor.id && !supervisor(actor)) throw new TicketError('forbidden', `Ticket ${t.code} is held by a colleague`);
  }
  const announced = (type: DeskEvent['type'], id: number): Ticket => {
    const t = load(id);
    announce(type, t);
    return t;
  };
  const change = (t: Ticket, status: TicketStatus, holderId: number | null, closedAt: string | null = null, reason: string | null = null) =>
    setStatus.run({ id: t.id, status, holderId, closedAt, reason });

  const listStatements = new Map<string, ReturnType<Db['prepare']>>();
  const listFor = (queue: DeskQueue, byProvince: boolean) => {
    const key = `${queue}:${byProvince}`;
    let st = listStatements.get(key);
    if (!st) {
      st = db.prepare(`SELECT t.*, u.username AS holder,
          (SELECT COUNT(*) FROM ticket_messages m WHERE m.ticket_id = t.id) AS message_count,
          (SELECT MAX(created_at) FROM ticket_messages m WHERE m.ticket_id = t.id) AS last_message_at,
          (SELECT substr(text_redacted, 1, 160) FROM ticket_messages m WHERE m.ticket_id = t.id AND m.author = 'citizen' ORDER BY m.id DESC LIMIT 1) AS preview
        FROM tickets t LEFT JOIN users u ON u.id = t.holder_id
        WHERE ${QUEUE_SQL[queue]}${byProvince ? ' AND t.province = @province' : ''}
        ORDER BY ${QUEUE_ORDER[queue]} LIMIT @limit`);
      listStatements.set(key, st);
    }
    return st;
  };
  const counts = db.prepare(`SELECT
      SUM(status = 'waiting') AS waiting,
      SUM(status = 'held' AND holder_id = @me) AS mine,
      SUM((status = 'held' AND holder_id IS NOT @me) OR status = 'released') AS answered,
      SUM(status IN ('closed', 'cancelled')) AS closed
    FROM tickets WHERE (@province IS NULL OR province = @province)`);

  return {
    /** A desk queue for this officer, optionally of one province. */
    list(queue: DeskQueue, me: StaffUser, opts: { province?: string; limit?: number } = {}): TicketListItem[] {
      const rows = listFor(queue, opts.province !== undefined).all({ me: me.id, limit: opts.limit ?? 100, ...(opts.province !== undefined ? { province: opts.province } : {}) }) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        ...toTicket(r),
        holder: (r.holder as string | null) ?? null,
        messages: r.message_count as number,
        lastMessageAt: (r.last_message_at as string | null) ?? null,
        preview: (r.preview as string | null) ?? null,
      }));
    },
    /** How many tickets each queue holds for this officer. */
    queueCounts(me: StaffUser, province?: string): Record<DeskQueue, number> {
      const r = counts.get({ me: me.id, province: province ?? null }) as Record<DeskQueue, number | null>;
      return { waiting: r.waiting ?? 0, mine: r.mine ?? 0, answered: r.answered ?? 0, closed: r.closed ?? 0 };
    },
    get: (id: number): Ticket | null => {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? toTicket(r) : null;
    },
    /** The conversation's waiting or held ticket. */
    openFor(conversationId: string): Ticket | null {
      const r = openFor.get(conversationId) as Record<string, unknown> | undefined;
      return r ? toTicket(r) : null;
    },
    /** The conversation's most recent ticket, whatever its state. */
    latestFor(conversationId: string): Ticket | null {
      const r = latestFor.get(conversationId) as Record<string, unknown> | undefined;
      return r ? toTicket(r) : null;
    },
    /** A released ticket whose release the citizen has not been told about yet. */
    releasedUnnoticed(conversationId: string): Ticket | null {
      const r = unnoticed.get(conversationId) as Record<string, unknown> | undefined;
      return r ? toTicket(r) : null;
    },
    markReleaseNoticed: (id: number): void => void noticed.run(id),
    /** Waiting tickets of a province (a new one's place in the queue is this + 1). */
    waitingCount(province: string): number {
      return (ahead.get(province, Number.MAX_SAFE_INTEGER) as { n: number }).n;
    },
    /** Place in the province's queue of waiting tickets (1 = next). */
    position(t: Ticket): number {
      return (ahead.get(t.province, t.id) as { n: number }).n + 1;
    },
    /** Opens a waiting ticket with the citizen's first (already redacted) message. */
    open(args: { code?: string; conversationId: string; channel: string; province: string; lang: string; isTest: boolean; dueAt: Date; now: Date; firstMessage?: string }): Ticket {
      const now = args.now.toISOString();
      const tx = db.transaction(() => {
        if (openFor.get(args.conversationId)) throw new TicketConflictError();
        let id = 0;
        // A code clash (31^5 codes) is retried with a new code.
        for (let i = 0; i < 5 && !id; i++) {
          try {
            id = Number(insert.run({ code: i === 0 && args.code ? args.code : newTicketCode(), conversationId: args.conversationId, channel: args.channel, province: args.province, lang: args.lang, now, dueAt: args.dueAt.toISOString(), isTest: args.isTest ? 1 : 0 }).lastInsertRowid);
          } catch (err) {
            const message = (err as Error).message;
            // The partial unique index on open tickets: another write opened one first.
            if (/UNIQUE constraint failed: tickets\.conversation_id/.test(message)) throw new TicketConflictError();
            if (!/UNIQUE constraint failed: tickets\.code/.test(message)) throw err;
          }
        }
        if (args.firstMessage) insertMessage.run(id, 'citizen', null, args.firstMessage, now);
        const t = load(id);
        audit.record(null, 'ticket.open', t.code, { channel: t.channel, province: t.province });
        announce('ticket.new', t);
        return t;
      });
      return tx();
    },
    /** A citizen's message to an open ticket; `text` is the safety stage's redacted text. */
    appendCitizen(id: number, text: string, now: Date): TicketMessage {
      const t = load(id);
      if (t.status !== 'waiting' && t.status !== 'held') throw new TicketError('ticket_state', `Ticket ${t.code} is ${t.status}`);
      const mid = Number(insertMessage.run(id, 'citizen', null, text, now.toISOString()).lastInsertRowid);
      announce('ticket.message', t);
      return { id: mid, ticketId: id, author: 'citizen', userId: null, text, createdAt: now.toISOString(), delivery: null };
    },
    /** Every ticket message of a conversation after message `after` (for the citizen's client). */
    conversationMessages(conversationId: string, after: number, limit = 100): TicketMessage[] {
      return (conversationMessages.all(conversationId, after, limit) as Array<Record<string, unknown>>).map(toMessage);
    },
    messagesOf(id: number, after = 0): TicketMessage[] {
      return (messages.all(id, after) as Array<Record<string, unknown>>).map(toMessage);
    },
    /** Takes a waiting ticket; a supervisor may also take over a colleague's. */
    claim(actor: StaffUser, id: number, now: Date): Ticket {
      return db.transaction(() => {
        mayAnswer(actor);
        const t = load(id);
        if (t.status === 'held' && t.holderId === actor.id) return t;
        if (t.status === 'held' && !supervisor(actor)) throw new TicketError('forbidden', `Ticket ${t.code} is held by a colleague`);
        if (t.status !== 'waiting' && t.status !== 'held') throw new TicketError('ticket_state', `Ticket ${t.code} is ${t.status}`);
        change(t, 'held', actor.id);
        audit.record(actor, t.status === 'held' ? 'ticket.take_over' : 'ticket.claim', t.code, { from: t.holderId, at: now.toISOString() });
        return announced('ticket.state', id);
      })();
    },
    /** A staff reply, redacted before it is stored; the first one sets the time of first response. */
    reply(actor: StaffUser, id: number, text: string, now: Date): { ticket: Ticket; message: TicketMessage; redactedKinds: string[] } {
      return db.transaction(() => {
        const t = load(id);
        holderOrSupervisor(actor, t, 'answered');
        const trimmed = text.trim();
        if (!trimmed) throw new TicketError('invalid_request', 'An empty reply');
        const { redacted, items } = detectSensitive(trimmed);
        const at = now.toISOString();
        const mid = Number(insertMessage.run(id, 'staff', actor.id, redacted, at).lastInsertRowid);
        if (t.channel === 'zalo' || t.channel === 'sms') markPending.run(mid);
        firstResponse.run(at, id);
        const kinds = [...new Set(items.map((i) => i.kind))];
        audit.record(actor, 'ticket.reply', t.code, { message: mid, chars: redacted.length, redacted: kinds });
        const delivery = t.channel === 'zalo' || t.channel === 'sms' ? 'pending' : null;
        return { ticket: announced('ticket.message', id), message: { id: mid, ticketId: id, author: 'staff' as const, userId: actor.id, text: redacted, createdAt: at, delivery }, redactedKinds: kinds };
      })();
    },
    /** Hands a held ticket to a colleague who may answer. */
    transfer(actor: StaffUser, id: number, toUserId: number, now: Date): Ticket {
      return db.transaction(() => {
        const t = load(id);
        holderOrSupervisor(actor, t, 'transferred');
        const to = userRow.get(toUserId) as { id: number; username: string; role: StaffUser['role']; disabled: number } | undefined;
        if (!to || to.disabled || !roleAtLeast(to.role, HANDOFF_ROLE)) throw new TicketError('invalid_request', 'The colleague does not exist or may not answer citizens');
        change(t, 'held', to.id);
        audit.record(actor, 'ticket.transfer', t.code, { from: t.holderId, to: to.username, at: now.toISOString() });
        return announced('ticket.state', id);
      })();
    },
    /** Gives the conversation back to the assistant. */
    release(actor: StaffUser, id: number, now: Date): Ticket {
      return db.transaction(() => {
        const t = load(id);
        holderOrSupervisor(actor, t, 'released');
        change(t, 'released', t.holderId, now.toISOString());
        audit.record(actor, 'ticket.release', t.code, {});
        return announced('ticket.state', id);
      })();
    },
    /** Closes a held ticket (its holder or a supervisor) or a waiting one (a supervisor), with a reason. */
    close(actor: StaffUser, id: number, reason: CloseReason, now: Date): Ticket {
      return db.transaction(() => {
        const t = load(id);
        if (!(CLOSE_REASONS as readonly string[]).includes(reason)) throw new TicketError('invalid_request', `Unknown close reason "${reason}"`);
        if (t.status === 'waiting') {
          mayAnswer(actor);
          if (!supervisor(actor)) throw new TicketError('forbidden', 'Claim the ticket before closing it');
        } else holderOrSupervisor(actor, t, 'closed');
        change(t, 'closed', t.holderId, now.toISOString(), reason);
        audit.record(actor, 'ticket.close', t.code, { reason });
        return announced('ticket.state', id);
      })();
    },
    /**
     * Files a staff reply as a content gap (`staff_answer_gaps`, read by review/content-gaps.ts):
     * the citizen's questions and the reply, both as stored (redacted). Anyone who may answer may
     * file one; each reply once.
     */
    fileGap(actor: StaffUser, id: number, messageId: number, questions: string[], now: Date): { gapId: number } {
      return db.transaction(() => {
        mayAnswer(actor);
        const t = load(id);
        const m = db.prepare('SELECT * FROM ticket_messages WHERE id = ? AND ticket_id = ?').get(messageId, id) as Record<string, unknown> | undefined;
        if (!m || m.author !== 'staff') throw new TicketError('not_found', `No staff reply ${messageId} on ticket ${t.code}`);
        if (!questions.length) throw new TicketError('invalid_request', `Ticket ${t.code} has no question of the citizen to file with the reply`);
        let gapId: number;
        try {
          gapId = Number(
            db
              .prepare('INSERT INTO staff_answer_gaps (ticket_id, message_id, questions, answer_redacted, channel, province, lang, filed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
              .run(id, messageId, JSON.stringify(questions), m.text_redacted, t.channel, t.province, t.lang, actor.id, now.toISOString()).lastInsertRowid,
          );
        } catch (err) {
          if (/UNIQUE constraint failed: staff_answer_gaps\.message_id/.test((err as Error).message)) throw new TicketError('ticket_state', 'This reply is already filed as a content gap');
          throw err;
        }
        audit.record(actor, 'ticket.gap', t.code, { message: messageId, questions: questions.length });
        return { gapId };
      })();
    },
    /** The citizen withdrew the request. */
    cancelByCitizen(id: number, now: Date): Ticket {
      return db.transaction(() => {
        const t = load(id);
        if (t.status !== 'waiting' && t.status !== 'held') throw new TicketError('ticket_state', `Ticket ${t.code} is ${t.status}`);
        // Counts as noticed: the citizen is told in the reply to their own cancel.
        change(t, 'cancelled', t.holderId, now.toISOString(), 'cancelled_by_citizen');
        noticed.run(id);
        audit.record(null, 'ticket.cancel', t.code, { by: 'citizen' });
        return announced('ticket.state', id);
      })();
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;

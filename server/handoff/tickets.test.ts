import { describe, expect, it } from 'vitest';
import { tempDatabases } from '../test-support/temp-database.js';
import { createAuditLog } from '../staff/audit.js';
import type { StaffUser } from '../domain/staff.js';
import type { Db } from '../db/database.js';
import { createTicketStore, TicketError } from './tickets.js';

const openDb = tempDatabases();
const now = new Date('2026-12-02T02:00:00Z');
const later = (min: number) => new Date(now.getTime() + min * 60_000);

function setup() {
  const db = openDb();
  const audit = createAuditLog(db);
  const tickets = createTicketStore(db, audit);
  const user = (username: string, role: StaffUser['role'], disabled = false): StaffUser => {
    const id = Number(db.prepare("INSERT INTO users (username, password_hash, role, disabled, created_at, updated_at) VALUES (?, 'scrypt$x', ?, ?, 'x', 'x')").run(username, role, disabled ? 1 : 0).lastInsertRowid);
    return { id, username, role, disabled };
  };
  const open = (conversationId = `c-${Math.random()}`, province = 'kon-tum') =>
    tickets.open({ conversationId, channel: 'web', province, lang: 'vi', isTest: false, dueAt: later(30), now, firstMessage: 'gặp cán bộ' });
  return { db, audit, tickets, user, open, reviewer: user('an', 'reviewer'), colleague: user('binh', 'reviewer'), editor: user('chi', 'editor') };
}
const actions = (db: Db, code: string) => (db.prepare('SELECT username, action FROM audit_log WHERE target = ? ORDER BY id').all(code) as Array<{ username: string | null; action: string }>).map((r) => `${r.username ?? 'citizen'}:${r.action}`);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof TicketError) return err.code;
    throw err;
  }
  return 'ok';
};

describe('tickets', () => {
  it('opens a waiting ticket with a short code, the first message and a queue position per province', () => {
    const { tickets, open, db } = setup();
    const a = open('c-a');
    const b = open('c-b');
    const other = open('c-c', 'son-la');
    expect(a.code).toMatch(/^HT-[2-9A-HJKMNP-Z]{5}$/);
    expect(a.status).toBe('waiting');
    expect(tickets.position(a)).toBe(1);
    expect(tickets.position(b)).toBe(2);
    expect(tickets.position(other)).toBe(1);
    expect(tickets.messagesOf(a.id).map((m) => [m.author, m.text])).toEqual([['citizen', 'gặp cán bộ']]);
    expect(tickets.openFor('c-a')!.id).toBe(a.id);
    expect(actions(db, a.code)).toEqual(['citizen:ticket.open']);
  });

  it('allows one open ticket per conversation', () => {
    const { open } = setup();
    open('c-1');
    expect(code(() => open('c-1'))).toBe('ticket_state');
  });

  it('claim, reply, transfer, release: each checked and audited', () => {
    const { tickets, open, reviewer, colleague, db } = setup();
    const t = open();
    // Nobody may reply before claiming.
    expect(code(() => tickets.reply(reviewer, t.id, 'Chào bạn', later(1)))).toBe('ticket_state');
    expect(tickets.claim(reviewer, t.id, later(1))).toMatchObject({ status: 'held', holderId: reviewer.id });
    // A colleague without the supervisor role can neither take it nor answer in it.
    expect(code(() => tickets.claim(colleague, t.id, later(2)))).toBe('forbidden');
    expect(code(() => tickets.reply(colleague, t.id, 'xin chào', later(2)))).toBe('forbidden');
    expect(code(() => tickets.release(colleague, t.id, later(2)))).toBe('forbidden');
    const r = tickets.reply(reviewer, t.id, 'Bạn gọi 0912345678 hoặc gửi mã OTP 482913 cho tôi', later(5));
    expect(r.message.text).not.toContain('0912345678');
    expect(r.message.text).not.toContain('482913');
    expect(r.redactedKinds.length).toBeGreaterThan(0);
    expect(r.ticket.firstResponseAt).toBe(later(5).toISOString());
    // The first response time stays the first.
    expect(tickets.reply(reviewer, t.id, 'Thêm nữa', later(9)).ticket.firstResponseAt).toBe(later(5).toISOString());
    expect(code(() => tickets.reply(reviewer, t.id, '   ', later(9)))).toBe('invalid_request');
    expect(tickets.transfer(reviewer, t.id, colleague.id, later(10)).holderId).toBe(colleague.id);
    expect(code(() => tickets.reply(reviewer, t.id, 'tôi nữa', later(11)))).toBe('forbidden');
    expect(tickets.release(colleague, t.id, later(12)).status).toBe('released');
    expect(tickets.openFor(t.conversationId)).toBeNull();
    expect(tickets.releasedUnnoticed(t.conversationId)!.id).toBe(t.id);
    tickets.markReleaseNoticed(t.id);
    expect(tickets.releasedUnnoticed(t.conversationId)).toBeNull();
    expect(actions(db, t.code)).toEqual(['citizen:ticket.open', 'an:ticket.claim', 'an:ticket.reply', 'an:ticket.reply', 'an:ticket.transfer', 'binh:ticket.release']);
    // The stored text is the redacted one, nowhere the raw number.
    expect(JSON.stringify(db.prepare('SELECT * FROM ticket_messages').all())).not.toContain('0912345678');
    expect(JSON.stringify(db.prepare('SELECT * FROM audit_log').all())).not.toContain('0912345678');
  });

  it('a supervisor may take over, and close a waiting ticket; a reviewer must claim first', () => {
    const { tickets, open, reviewer, editor, db } = setup();
    const t = open();
    expect(code(() => tickets.close(reviewer, t.id, 'duplicate', later(1)))).toBe('forbidden');
    tickets.claim(reviewer, t.id, later(1));
    expect(tickets.claim(editor, t.id, later(2)).holderId).toBe(editor.id);
    expect(code(() => tickets.close(editor, t.id, 'whatever' as never, later(3)))).toBe('invalid_request');
    expect(tickets.close(editor, t.id, 'resolved', later(3))).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    expect(code(() => tickets.claim(editor, t.id, later(4)))).toBe('ticket_state');
    expect(code(() => tickets.appendCitizen(t.id, 'còn đó không', later(4)))).toBe('ticket_state');
    const w = open();
    expect(tickets.close(editor, w.id, 'no_response', later(5)).status).toBe('closed');
    expect(actions(db, t.code)).toEqual(['citizen:ticket.open', 'an:ticket.claim', 'chi:ticket.take_over', 'chi:ticket.close']);
  });

  it('transfers only to an enabled colleague who may answer', () => {
    const { tickets, open, reviewer, user } = setup();
    const gone = user('dung', 'reviewer', true);
    const t = open();
    tickets.claim(reviewer, t.id, later(1));
    expect(code(() => tickets.transfer(reviewer, t.id, gone.id, later(2)))).toBe('invalid_request');
    expect(code(() => tickets.transfer(reviewer, t.id, 9999, later(2)))).toBe('invalid_request');
    expect(tickets.get(t.id)!.holderId).toBe(reviewer.id);
  });

  it('a disabled account may not act at all', () => {
    const { tickets, open, user } = setup();
    const off = { ...user('em', 'admin', true) };
    expect(code(() => tickets.claim(off, open().id, later(1)))).toBe('forbidden');
  });

  it('the citizen can cancel a waiting or held ticket, once', () => {
    const { tickets, open, reviewer, db } = setup();
    const t = open();
    tickets.claim(reviewer, t.id, later(1));
    expect(tickets.cancelByCitizen(t.id, later(2)).status).toBe('cancelled');
    expect(code(() => tickets.cancelByCitizen(t.id, later(3)))).toBe('ticket_state');
    expect(code(() => tickets.reply(reviewer, t.id, 'chào', later(3)))).toBe('ticket_state');
    expect(tickets.releasedUnnoticed(t.conversationId)).toBeNull();
    expect(actions(db, t.code).at(-1)).toBe('citizen:ticket.cancel');
  });

  it('unknown tickets are not found', () => {
    const { tickets, reviewer } = setup();
    expect(code(() => tickets.claim(reviewer, 12345, now))).toBe('not_found');
  });
});

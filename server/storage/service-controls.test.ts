import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../db/database.js';
import { NOTICE_MAX_CHARS } from '../domain/service.js';
import { tempDatabases } from '../test-support/temp-database.js';
import { createServiceControls, ServiceControlError } from './service-controls.js';

const open = tempDatabases();
const T0 = Date.parse('2026-06-01T08:00:00Z');
const clock = () => {
  const c = { at: T0, now: () => c.at };
  return c;
};
const notice = { text: { vi: 'Cổng dịch vụ công đang bảo trì đến 17:00' }, endsAt: '2026-06-01T17:00:00+07:00' };

describe('channel switches', () => {
  it('start on, switch off and on, and report the state before and after', () => {
    const c = createServiceControls(open());
    expect(c.switches()).toEqual({ web: true, zalo: true, sms: true });
    expect(c.setSwitch('sms', false, 'admin')).toEqual({ from: 'on', to: 'off' });
    expect(c.setSwitch('sms', false, 'admin')).toEqual({ from: 'off', to: 'off' });
    expect(c.switches()).toEqual({ web: true, zalo: true, sms: false });
    expect(c.isOpen('sms')).toBe(false);
    expect(c.isOpen('zalo')).toBe(true);
    expect(c.setSwitch('sms', true, 'admin')).toEqual({ from: 'off', to: 'on' });
    expect(c.isOpen('sms')).toBe(true);
  });

  it('web covers the chat API; command line, eval and bench are never switched off', () => {
    const c = createServiceControls(open());
    c.setSwitch('web', false, null);
    expect(c.isOpen('web')).toBe(false);
    expect(c.isOpen('api')).toBe(false);
    for (const ch of ['cli', 'eval', 'bench'] as const) expect(c.isOpen(ch)).toBe(true);
  });

  it('refuses an unknown channel', () => {
    const c = createServiceControls(open());
    expect(() => c.setSwitch('fax' as never, false, null)).toThrow(/Unknown channel "fax"/);
  });
});

describe('the service notice', () => {
  it('is shown from publication until its end time, then disappears by itself', () => {
    const k = clock();
    const c = createServiceControls(open(), { now: k.now });
    expect(c.publicNotice('vi')).toBeNull();
    const { from, to } = c.publishNotice(notice, 'admin');
    expect(from).toBeNull();
    expect(to).toMatchObject({ text: { vi: notice.text.vi }, startsAt: null, endsAt: '2026-06-01T10:00:00.000Z', updatedBy: 'admin' });
    expect(c.publicNotice('vi')).toEqual({ text: notice.text.vi, lang: 'vi', endsAt: '2026-06-01T10:00:00.000Z' });
    expect(c.msUntilChange()).toBe(2 * 3600_000);
    k.at = Date.parse('2026-06-01T10:00:00Z');
    expect(c.publicNotice('vi')).toBeNull();
    expect(c.msUntilChange()).toBeNull();
    // Still stored (the staff page shows it ended), until withdrawn.
    expect(c.notice()?.text.vi).toBe(notice.text.vi);
  });

  it('waits for its start time when it has one', () => {
    const k = clock();
    const c = createServiceControls(open(), { now: k.now });
    c.publishNotice({ ...notice, startsAt: '2026-06-01T09:00:00Z' }, 'admin');
    expect(c.publicNotice('vi')).toBeNull();
    expect(c.msUntilChange()).toBe(3600_000);
    k.at = Date.parse('2026-06-01T09:00:00Z');
    expect(c.publicNotice('vi')?.text).toBe(notice.text.vi);
  });

  it('is given in English where one was written, otherwise in Vietnamese (never an ethnic-language text of ours)', () => {
    const c = createServiceControls(open(), { now: clock().now });
    c.publishNotice(notice, 'admin');
    expect(c.publicNotice('en')).toMatchObject({ text: notice.text.vi, lang: 'vi' });
    c.publishNotice({ ...notice, text: { vi: notice.text.vi, en: 'The public service portal is under maintenance until 17:00' } }, 'admin');
    expect(c.publicNotice('en')).toMatchObject({ text: 'The public service portal is under maintenance until 17:00', lang: 'en' });
    expect(c.publicNotice('bdq')).toMatchObject({ text: notice.text.vi, lang: 'vi' });
    expect(c.publicNotice(null)).toMatchObject({ lang: 'vi' });
  });

  it('replaces the previous notice and reports it; withdrawing removes it', () => {
    const c = createServiceControls(open(), { now: clock().now });
    c.publishNotice(notice, 'a');
    const second = c.publishNotice({ text: { vi: 'Bảo trì xong lúc 18:00' }, endsAt: '2026-06-01T11:00:00Z' }, 'b');
    expect(second.from?.text.vi).toBe(notice.text.vi);
    expect(second.to.text.vi).toBe('Bảo trì xong lúc 18:00');
    expect(c.withdrawNotice().from?.text.vi).toBe('Bảo trì xong lúc 18:00');
    expect(c.notice()).toBeNull();
    expect(c.withdrawNotice().from).toBeNull();
  });

  it.each([
    [{ text: { vi: '   ' }, endsAt: notice.endsAt }, /text\.vi is required/],
    [{ text: { vi: 'x'.repeat(NOTICE_MAX_CHARS + 1) }, endsAt: notice.endsAt }, new RegExp(`${NOTICE_MAX_CHARS + 1} characters long; a notice is at most ${NOTICE_MAX_CHARS}`)],
    [{ text: { vi: 'ok', en: 'y'.repeat(NOTICE_MAX_CHARS + 5) }, endsAt: notice.endsAt }, /text\.en is 105 characters/],
    [{ ...notice, startsAt: '2026-06-01T12:00:00Z', endsAt: '2026-06-01T11:00:00Z' }, /endsAt must be after startsAt/],
    [{ ...notice, endsAt: '2026-06-01T07:59:00Z' }, /endsAt is in the past/],
    [{ ...notice, endsAt: '2026-06-01 17:00' }, /endsAt must be a date and time with a time zone/],
    [{ ...notice, endsAt: '2026-06-01T17:00:00' }, /endsAt must be a date and time with a time zone/],
    [{ ...notice, startsAt: 'tomorrow' }, /startsAt must be a date and time/],
  ])('refuses %j with a clear reason', (input, reason) => {
    const c = createServiceControls(open(), { now: clock().now });
    let caught: unknown;
    try {
      c.publishNotice(input as never, 'admin');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ServiceControlError);
    expect((caught as ServiceControlError).status).toBe(400);
    expect((caught as Error).message).toMatch(reason);
    expect(c.notice()).toBeNull();
  });

  it('counts characters as the reader sees them: 100 Vietnamese letters with diacritics fit', () => {
    const c = createServiceControls(open(), { now: clock().now });
    const text = 'ễ'.repeat(NOTICE_MAX_CHARS);
    expect(text.normalize('NFD').length).toBeGreaterThan(NOTICE_MAX_CHARS);
    expect(c.publishNotice({ text: { vi: text.normalize('NFD') }, endsAt: notice.endsAt }, 'admin').to.text.vi).toBe(text);
  });
});

describe('state survives a restart', () => {
  it('switches and the notice are read back from the database file', () => {
    const first = open();
    const file = first.name;
    const a = createServiceControls(first, { now: clock().now });
    a.setSwitch('zalo', false, 'admin');
    a.publishNotice(notice, 'admin');
    closeDatabase(first);
    const again = openDatabase(file);
    try {
      const b = createServiceControls(again, { now: clock().now });
      expect(b.switches()).toEqual({ web: true, zalo: false, sms: true });
      expect(b.publicNotice('vi')?.text).toBe(notice.text.vi);
      expect(path.basename(file)).toBe('dvc.sqlite');
    } finally {
      closeDatabase(again);
    }
  });
});

import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerFixture } from '../testing/answer-fixture.js';
import { classifyZaloResponse } from './zalo-api.js';
import { parseZaloEvent } from './zalo-events.js';
import { formatZaloAnswer, zaloButtons } from './zalo-format.js';
import { verifyZaloSignature, zaloSignatureHeader } from './zalo-signature.js';
import { parseTokenResponse } from './zalo-tokens.js';

describe('Zalo webhook signature', () => {
  const raw = Buffer.from('{"app_id":"123","event_name":"user_send_text","timestamp":"1699003881354","message":{"text":"Chào"}}');
  it('is plain SHA-256 of app_id + raw body + timestamp + secret, as lowercase hex after "mac="', () => {
    const expected = crypto.createHash('sha256').update(`123${raw.toString()}1699003881354secret`).digest('hex');
    expect(zaloSignatureHeader('123', raw, '1699003881354', 'secret')).toBe(`mac=${expected}`);
    expect(verifyZaloSignature(`mac=${expected}`, '123', raw, '1699003881354', 'secret')).toBe(true);
    expect(verifyZaloSignature(`mac=${expected.toUpperCase()}`, '123', raw, '1699003881354', 'secret')).toBe(true);
  });
  it('rejects HMAC, other secrets, other bytes, missing prefix garbage and wrong lengths', () => {
    const hmac = crypto.createHmac('sha256', 'secret').update(`123${raw.toString()}1699003881354`).digest('hex');
    expect(verifyZaloSignature(`mac=${hmac}`, '123', raw, '1699003881354', 'secret')).toBe(false);
    const good = zaloSignatureHeader('123', raw, '1699003881354', 'secret');
    expect(verifyZaloSignature(good, '123', raw, '1699003881354', 'other')).toBe(false);
    expect(verifyZaloSignature(good, '123', Buffer.from(`${raw.toString()} `), '1699003881354', 'secret')).toBe(false);
    expect(verifyZaloSignature(good, '123', raw, '1699003881355', 'secret')).toBe(false);
    expect(verifyZaloSignature(good.slice(0, -2), '123', raw, '1699003881354', 'secret')).toBe(false);
    expect(verifyZaloSignature(undefined, '123', raw, '1699003881354', 'secret')).toBe(false);
    expect(verifyZaloSignature('mac=', '123', raw, '1699003881354', 'secret')).toBe(false);
  });
});

describe('Zalo events', () => {
  const raw = Buffer.from('{}');
  it('reads text, attachments, follow/unfollow (no sender) and ignores echoes', () => {
    expect(parseZaloEvent({ event_name: 'user_send_text', timestamp: '1', sender: { id: 'u' }, message: { msg_id: 'm1', text: 'hi' } }, raw)).toEqual({
      externalId: 'm1',
      userId: 'u',
      kind: 'text',
      text: 'hi',
      meta: {},
    });
    expect(parseZaloEvent({ event_name: 'user_send_sticker', sender: { id: 'u' }, message: { msg_id: 'm2' } }, raw)).toMatchObject({ kind: 'unsupported', meta: { type: 'sticker' } });
    expect(parseZaloEvent({ event_name: 'follow', timestamp: '5', follower: { id: 'f' }, oa_id: 'oa' }, raw)).toMatchObject({ kind: 'follow', userId: 'f', externalId: 'follow:f:5' });
    expect(parseZaloEvent({ event_name: 'unfollow', timestamp: '6', follower: { id: 'f' } }, raw)).toMatchObject({ kind: 'unfollow' });
    expect(parseZaloEvent({ event_name: 'follow', timestamp: '5' }, raw)).toEqual({ ignore: 'no follower id' });
    expect(parseZaloEvent({ event_name: 'oa_send_text', sender: { id: 'oa' } }, raw)).toEqual({ ignore: 'echo' });
    expect(parseZaloEvent({ event_name: 'user_seen_message' }, raw)).toEqual({ ignore: 'unhandled event' });
    expect(parseZaloEvent({ event_name: 'user_send_text', message: { text: 'x' } }, raw)).toEqual({ ignore: 'no sender id' });
  });
});

const answer = answerFixture;

describe('Zalo formatting', () => {
  it('splits long answers under 2,000 characters at sentence boundaries, buttons on the last part', () => {
    const long = Array.from({ length: 80 }, (_, i) => `Đây là câu thứ ${i + 1} của một câu trả lời rất dài.`).join(' ');
    const msgs = formatZaloAnswer(answer({ text: `**Tiêu đề**\n\n${long}`, quickReplies: [{ label: 'Lệ phí', payload: 'Lệ phí' }] }), 'u1', { hotline: '1800 1096' });
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) {
      expect([...m.body.message.text].length).toBeLessThan(2000);
      expect(m.body.message.text).not.toContain('**');
      expect(m.body.recipient.user_id).toBe('u1');
    }
    expect(msgs.slice(0, -1).every((m) => !m.body.message.attachment)).toBe(true);
    expect(msgs.slice(0, -1).every((m) => /\.$/.test(m.body.message.text))).toBe(true);
    expect(msgs.at(-1)!.body.message.attachment!.payload.buttons.map((b) => b.type)).toEqual(['oa.query.show', 'oa.open.phone']);
    expect(msgs.map((m) => m.body.message.text).join(' ')).toContain('câu thứ 80');
  });

  it('makes at most 5 buttons: quick replies, the first citation URL, the hotline; titles ≤ 100', () => {
    const qr = Array.from({ length: 7 }, (_, i) => ({ label: `${'Câu hỏi gợi ý rất dài '.repeat(6)}${i}`, payload: `p${i}` }));
    const b = zaloButtons({ quickReplies: qr, url: 'https://dichvucong.gov.vn', hotline: '1800 1096', lang: 'vi' });
    expect(b).toHaveLength(5);
    expect(b.map((x) => x.type)).toEqual(['oa.query.show', 'oa.query.show', 'oa.query.show', 'oa.open.url', 'oa.open.phone']);
    expect(b.every((x) => [...x.title].length <= 100)).toBe(true);
    expect(b[3].payload).toEqual({ url: 'https://dichvucong.gov.vn' });
    expect(b[4].payload).toEqual({ phone_code: '18001096' });
    const msgs = formatZaloAnswer(answer({ citations: [{ id: 'p', kind: 'procedure', title: 'Thủ tục', url: 'https://dichvucong.gov.vn', updated: '2021' }] }), 'u', {});
    expect(msgs[0].body.message.attachment!.payload.buttons).toEqual([{ title: 'Xem trang chính thức', type: 'oa.open.url', payload: { url: 'https://dichvucong.gov.vn' } }]);
    expect(msgs[0].body.message.text).toContain('Nguồn: Thủ tục (https://dichvucong.gov.vn)');
  });

  it('puts notices first', () => {
    const [m] = formatZaloAnswer(answer({ lang: 'en', notices: ['No English version yet.'] }), 'u', {});
    expect(m.body.message.text.startsWith('No English version yet.')).toBe(true);
  });
});

describe('Zalo API responses', () => {
  const r = (data: unknown, status = 200) => classifyZaloResponse({ status, data });
  it('checks error ≠ 0 even on HTTP 200, and classifies by the reference table', () => {
    expect(r({ error: 0, message: 'Success', data: { message_id: 'm1' } })).toEqual({ status: 'sent', providerMessageId: 'm1' });
    for (const code of [-216, -220, -124]) expect(r({ error: code, message: 'x' }).status).toBe('token');
    for (const code of [-32, -100]) expect(r({ error: code, message: 'x' })).toMatchObject({ status: 'retryable', maybeDelivered: false });
    for (const code of [-213, -217, -227, -230, -232, -234, -244]) expect(r({ error: code, message: 'x' })).toMatchObject({ status: 'permanent', alert: false });
    for (const code of [-201, -211, -218]) expect(r({ error: code, message: 'x' })).toMatchObject({ status: 'permanent', alert: true });
    expect(r({ message: 'oops' }, 502)).toMatchObject({ status: 'retryable', maybeDelivered: true });
    expect(r('<html>', 200)).toMatchObject({ status: 'retryable', maybeDelivered: true });
    expect(r({}, 404)).toMatchObject({ status: 'permanent' });
  });

  it('reads the OAuth v4 token response (expires_in is a string)', () => {
    expect(parseTokenResponse({ access_token: 'a', refresh_token: 'r', expires_in: '90000' })).toEqual({ accessToken: 'a', refreshToken: 'r', expiresIn: 90000 });
    expect(parseTokenResponse({ error: -14014, error_name: 'invalid_secret_key', error_reason: 'x', ref_doc: '' })).toEqual({ error: '-14014', reason: 'invalid_secret_key' });
  });
});

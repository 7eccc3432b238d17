import { describe, expect, it } from 'vitest';
import type { Answer } from '../../server/domain/answer.js';
import { answerFixture } from '../testing/answer-fixture.js';
import { concatUdh, isGsm7, smsCapacity, smsLength, splitSms, toGsm7 } from './gsm.js';
import { fitSms, smsShortForm } from './sms-format.js';
import { normalisePhone, smsPayloads } from './sms-payload.js';

describe('GSM-7', () => {
  it('folds Vietnamese to the GSM alphabet (đ→d, Đ→D) and replaces what has no GSM form', () => {
    expect(toGsm7('Đăng ký tài khoản đơn giản “nhanh” – 5’')).toBe('Dang ky tai khoan don gian "nhanh" - 5\'');
    expect(toGsm7('Chào 😀 ☎')).toBe('Chao ? ?');
    expect(isGsm7(toGsm7('Ứng dụng VNeID: mở, chọn "Quên mật khẩu"…'))).toBe(true);
  });

  it('counts extension characters (^{}\\[~]|€) as two septets', () => {
    expect(smsLength('abc', 'gsm7')).toBe(3);
    expect(smsLength('^{}\\[~]|€', 'gsm7')).toBe(18);
    expect(smsLength('Đây', 'ucs2')).toBe(3);
    expect(smsLength('😀', 'ucs2')).toBe(2);
  });

  it('uses one part up to 160 (70 UCS-2), then parts of 153 (67) without splitting an escape pair', () => {
    expect(splitSms('a'.repeat(160), 'gsm7')).toHaveLength(1);
    const parts = splitSms('a'.repeat(161), 'gsm7');
    expect(parts.map((p) => p.length)).toEqual([153, 8]);
    const withExt = splitSms(`${'a'.repeat(152)}€bc${'d'.repeat(10)}`, 'gsm7');
    expect(withExt[0]).toBe('a'.repeat(152)); // € (2 septets) does not fit in the 1 left
    expect(withExt[1].startsWith('€')).toBe(true);
    expect(splitSms('ă'.repeat(70), 'ucs2')).toHaveLength(1);
    expect(splitSms('ă'.repeat(71), 'ucs2').map((p) => p.length)).toEqual([67, 4]);
    expect(splitSms(`${'a'.repeat(66)}😀bbbbb`, 'ucs2').map((p) => p.length)).toEqual([66, 7]);
    expect(smsCapacity('gsm7', 3)).toBe(459);
    expect(smsCapacity('gsm7', 1)).toBe(160);
    expect(smsCapacity('ucs2', 3)).toBe(201);
  });

  it('builds the 6-byte concatenation UDH and one SMPP payload per part', () => {
    expect([...concatUdh(0x2a, 3, 2)]).toEqual([0x05, 0x00, 0x03, 0x2a, 3, 2]);
    const p = smsPayloads('84912', 'x'.repeat(300), 'smpp', 'gsm7');
    expect(p).toHaveLength(2);
    expect(p.map((x) => (x as any).udh.slice(0, 6))).toEqual(['050003', '050003']);
    expect((p[0] as any).udh.slice(8)).toBe('0201');
    expect((p[1] as any).udh.slice(8)).toBe('0202');
    expect(smsPayloads('84912', 'ngắn', 'smpp', 'ucs2')).toEqual([{ kind: 'sms.smpp', to: '84912', text: 'ngắn', dataCoding: 8, udh: null }]);
    expect(smsPayloads('84912', 'x'.repeat(300), 'http', 'gsm7')).toHaveLength(1);
  });

  it('normalises phone numbers to 84…', () => {
    expect(normalisePhone('+84 912 345 678')).toBe('84912345678');
    expect(normalisePhone('0912345678')).toBe('84912345678');
    expect(normalisePhone('84912345678')).toBe('84912345678');
  });
});

const answer = (summary: string, extra: Partial<Answer> = {}): Answer => answerFixture({ text: summary, summary, ...extra });

describe('SMS short form', () => {
  it('is the summary, the hotline and one official link, without diacritics', () => {
    const a = answer('Nộp hồ sơ trên **Cổng Dịch vụ công**.', { citations: [{ id: 'p', kind: 'procedure', title: 'T', url: 'https://dichvucong.gov.vn', updated: '2021' }] });
    const { body, tail } = smsShortForm(a, '1800 1096');
    expect(fitSms(body, tail, { encoding: 'gsm7', maxParts: 3, lang: 'vi' })).toEqual({
      text: 'Nop ho so tren Cong Dich vu cong. Tong dai: 1800 1096. https://dichvucong.gov.vn',
      rest: '',
    });
  });

  it('does not repeat a hotline the summary already gives', () => {
    const { tail } = smsShortForm(answer('Gọi tổng đài 1800 1096.'), '1800 1096');
    expect(tail).toBe('');
  });

  it('cuts at a sentence, keeps the hotline, appends "Tra loi 1 de xem tiep" and returns the rest', () => {
    const sentences = Array.from({ length: 12 }, (_, i) => `Câu số ${i + 1} có nội dung khá dài để thử cắt tin nhắn.`).join(' ');
    const { body, tail } = smsShortForm(answer(sentences), '1800 1096');
    const r = fitSms(body, tail, { encoding: 'gsm7', maxParts: 2, lang: 'vi' });
    expect(smsLength(r.text, 'gsm7')).toBeLessThanOrEqual(306);
    expect(r.text).toMatch(/\. Tong dai: 1800 1096\. Tra loi 1 de xem tiep$/);
    expect(r.rest.startsWith('Cau so')).toBe(true);
    expect(`${r.text.split(' Tong dai')[0]} ${r.rest}`).toBe(toGsm7(sentences));
    const next = fitSms(r.rest, '', { encoding: 'gsm7', maxParts: 2, lang: 'vi' });
    expect(smsLength(next.text, 'gsm7')).toBeLessThanOrEqual(306);
    const ucs = fitSms(body, tail, { encoding: 'ucs2', maxParts: 3, lang: 'vi' });
    expect(ucs.text).toMatch(/Tổng đài: 1800 1096\. Trả lời 1 để xem tiếp$/);
    expect(smsLength(ucs.text, 'ucs2')).toBeLessThanOrEqual(201);
    const en = fitSms(body, tail, { encoding: 'gsm7', maxParts: 1, lang: 'en' });
    expect(en.text).toMatch(/Reply 1 for more$/);
  });

  it('puts the service notice first and counts it in the parts: the answer is cut, never the notice', () => {
    const notice = 'Cổng dịch vụ công đang bảo trì đến 17:00';
    const short = smsShortForm(answer('Nộp hồ sơ trên Cổng Dịch vụ công.'), '1800 1096');
    expect(fitSms(short.body, short.tail, { encoding: 'gsm7', maxParts: 2, lang: 'vi', prefix: notice })).toEqual({
      text: 'Cong dich vu cong dang bao tri den 17:00 Nop ho so tren Cong Dich vu cong. Tong dai: 1800 1096.',
      rest: '',
    });
    const sentences = Array.from({ length: 12 }, (_, i) => `Câu số ${i + 1} có nội dung khá dài để thử cắt tin nhắn.`).join(' ');
    const long = smsShortForm(answer(sentences), '1800 1096');
    const without = fitSms(long.body, long.tail, { encoding: 'gsm7', maxParts: 2, lang: 'vi' });
    const withNotice = fitSms(long.body, long.tail, { encoding: 'gsm7', maxParts: 2, lang: 'vi', prefix: notice });
    expect(withNotice.text.startsWith(`${toGsm7(notice)} Cau so 1 `)).toBe(true);
    expect(smsLength(withNotice.text, 'gsm7')).toBeLessThanOrEqual(306);
    expect(withNotice.text).toMatch(/Tong dai: 1800 1096\. Tra loi 1 de xem tiep$/);
    // The notice took room from the answer: more of it is left for "1".
    expect(withNotice.rest.length).toBeGreaterThan(without.rest.length);
    // Replying "1" sends the rest without the notice.
    expect(withNotice.rest.startsWith('Cau so')).toBe(true);
  });
});

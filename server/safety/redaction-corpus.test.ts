import { describe, expect, it } from 'vitest';
import { translator, createI18n } from '../i18n/i18n.js';
import { loadCorpus, measureRedaction, secretSurvives } from './redaction-corpus.js';
import { createSafetyChecker, loadOfficialDomains } from './safety-check.js';
import { composeSafetyWarning } from './safety-reply.js';
import { detectSensitive } from './sensitive-data.js';

const corpus = loadCorpus();

describe('redaction corpus (server/safety/redaction-corpus.jsonl)', () => {
  it('holds at least 300 secret forms and 200 harmless look-alikes', () => {
    expect(corpus.filter((e) => e.kind !== 'HARMLESS').length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((e) => e.kind === 'HARMLESS').length).toBeGreaterThanOrEqual(200);
  });

  it('meets the targets: recall >= 0.99 for every kind, false positives <= 1 % overall', () => {
    const report = measureRedaction(corpus);
    for (const [kind, f] of Object.entries(report.secrets)) expect(f.recall, `${kind}: ${f.failures.join(' | ')}`).toBeGreaterThanOrEqual(0.99);
    expect(report.overall.falsePositiveRate, Object.values(report.harmless).flatMap((f) => f.failures).join(' | ')).toBeLessThanOrEqual(0.01);
  });

  it('counts a partly redacted number as a leak', () => {
    expect(secretSurvives('0912 345 678', 'sđt 0912 [PHONE]')).toBe(false);
    expect(secretSurvives('0912 345 678', 'sđt 0912-345-678')).toBe(true);
    expect(secretSurvives('6\ufe0f\u20e36\ufe0f\u20e32\ufe0f\u20e32\ufe0f\u20e3', 'mã 6\ufe0f\u20e362\ufe0f\u20e32')).toBe(true);
  });
});

describe('forms the detector used to miss (issue 14)', () => {
  it.each([
    ['mật khẩu Dichvucong123', 'Dichvucong123'],
    ['mk Tuan@@123', 'Tuan@@123'],
    ['bảo đọc mã 662211', '662211'],
    ['mã là 615 284', '615 284'],
    ['ma 6 so trong tin nhan ngan hang gui ve dien thoai ma la 7 1 9 2 0 4', '7 1 9 2 0 4'],
    ['O.T.P: 553311', '553311'],
    ['0TP 553311', '553311'],
    ['mã OTP 6\ufe0f\u20e36\ufe0f\u20e32\ufe0f\u20e32\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e3', '6\ufe0f\u20e36\ufe0f\u20e32\ufe0f\u20e32\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e3'],
    ['mã là sáu sáu hai hai một một', 'sáu sáu hai hai một một'],
    ['số em là không chín một hai ba bốn năm sáu bảy tám', 'không chín một hai ba bốn năm sáu bảy tám'],
    ['chuyển khoản vào 1903661234 techcombank', '1903661234'],
    ['email nguyenvana at gmail dot com', 'nguyenvana at gmail dot com'],
  ])('%s', (text, secret) => {
    expect(secretSurvives(secret, detectSensitive(text).redacted)).toBe(false);
  });

  it('does not take a 9-digit amount for an ID number', () => {
    for (const text of ['vay 150000000 cần gì', 'chuyển nhượng giá 250.000.000', 'thu nhập 2,500,000,000 một năm']) {
      expect(detectSensitive(text).items).toEqual([]);
    }
  });
});

describe('an OTP being passed on gets a warning first', () => {
  const checker = createSafetyChecker({ blocklist: { has: () => false }, officialDomains: loadOfficialDomains() });
  const vi = translator(createI18n(), 'vi', 'safety');
  it.each(['cán bộ xã bảo đọc mã 662211', 'mã là 615 284 gửi cho cán bộ xã', 'gửi mã 482913 cho anh ấy', 'nhập giúp 4 8 2 9 1 3'])('%s', (text) => {
    const v = checker.check(text);
    expect(v.route).toBe('safety');
    expect(v.scam?.scenario).toBe('read_otp');
    expect(v.topics).toContain('security.otp');
    const reply = composeSafetyWarning(v, vi);
    expect(reply.split('\n')[0]).toMatch(/^\*\*Cảnh báo an toàn:\*\*.*OTP/);
    expect(reply).not.toMatch(/662211|615 284|482913|4 8 2 9 1 3/);
  });
});

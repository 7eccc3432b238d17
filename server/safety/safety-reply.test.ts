import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALES_DIR, createI18n, translator } from '../i18n/i18n.js';
import { createSafetyChecker, loadOfficialDomains } from './safety-check.js';
import { composeSafetyWarning, type SafetyContacts } from './safety-reply.js';

const i18n = createI18n();
const vi = translator(i18n, 'vi', 'safety');
const en = translator(i18n, 'en', 'safety');
const checker = createSafetyChecker({ blocklist: { has: (h) => h === 'known-scam.com' }, officialDomains: loadOfficialDomains() });
const contacts: SafetyContacts = {
  vneidHotline: '1900 0368',
  nationalHotline: '1800 1096',
  scamReportUrl: 'https://canhbao.khonggianmang.gov.vn',
  provinceHotline: '1022',
};

/** Flattens a nested i18n JSON file into dotted keys. */
function keysOf(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('composeSafetyWarning', () => {
  it('warns first, never repeats a secret, and tells what to do and where to report', () => {
    const message = 'Mã OTP của tôi là 482913, mật khẩu là Abc@123, CCCD 001234567890';
    const text = composeSafetyWarning(checker.check(message), vi, contacts);
    console.log(`\n--- safety warning (vi) ---\n${text}\n---`);
    for (const secret of ['482913', 'Abc@123', '001234567890']) expect(text).not.toContain(secret);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\*\*Cảnh báo an toàn:\*\* Bạn vừa gửi thông tin nhạy cảm \(mã OTP, mật khẩu, số căn cước\)/);
    expect(text).toContain('Không bao giờ đưa mã OTP, mật khẩu cho bất kỳ ai');
    expect(text).toContain('Đổi mật khẩu ngay');
    expect(text).toContain('**1900 0368**');
    expect(text).toContain('**1800 1096**');
    expect(text).toContain('https://canhbao.khonggianmang.gov.vn');
    expect(text.indexOf('Không bao giờ')).toBeLessThan(text.indexOf('Đổi mật khẩu'));
  });

  it('explains a suspicious link in plain words, defanged, with the official address', () => {
    const text = composeSafetyWarning(checker.check('vào trang dichvucong-online.com để nộp hồ sơ có được không'), vi, contacts);
    console.log(`\n--- link warning (vi) ---\n${text}\n---`);
    expect(text.split('\n')[0]).toContain('dichvucong-online[.]com');
    expect(text).toContain('có chữ "dichvucong" giống tên cơ quan nhà nước');
    expect(text).toContain('Địa chỉ chính thức: **dichvucong.gov.vn**');
    expect(text).not.toMatch(/dichvucong-online\.com/);
  });

  it('names a blocklisted host as a reported scam site', () => {
    const text = composeSafetyWarning(checker.check('http://known-scam.com/dang-nhap'), en, contacts);
    expect(text).toContain('**known-scam[.]com** is on the list of reported scam sites');
  });

  it('describes a scam scenario reported without a link', () => {
    const text = composeSafetyWarning(checker.check('Người gọi xưng công an bảo chuyển tiền để xác minh'), vi, contacts);
    expect(text.split('\n')[0]).toMatch(/^\*\*Cảnh báo an toàn:\*\* .*lừa đảo/);
    expect(text).toContain('Nếu bạn đã chuyển tiền, gọi ngay cho ngân hàng của bạn');
  });

  it('tells to call the bank at once when a bank OTP may have been read out, right after changing the password', () => {
    const text = composeSafetyWarning(checker.check('Mã OTP của tôi là 482913'), vi, contacts);
    const steps = text.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps[1]).toMatch(/^2\. Nếu đó là mã OTP ngân hàng, hoặc bạn đã chuyển tiền, gọi ngay cho ngân hàng/);
  });

  it("names the province whose line it gives, with the line's caveat, and never gives the national line as the province's", () => {
    const text = composeSafetyWarning(checker.check('Mã OTP của tôi là 482913'), vi, { ...contacts, provinceName: 'Đồng Nai', provinceHotlineCaveat: 'predates_merger' });
    expect(text).toContain('Gọi tổng đài hỗ trợ dịch vụ công trực tuyến của tỉnh Đồng Nai: **1022**. Số 1022 được nêu trong kế hoạch của tỉnh trước khi sáp nhập');
    expect(text).not.toMatch(/của tỉnh[^.]*1800 1096/);
    // Without a province name the line is not shown at all (a number without whose it is).
    expect(composeSafetyWarning(checker.check('Mã OTP của tôi là 482913'), vi, { ...contacts, provinceName: undefined })).not.toContain('**1022**');
  });

  it('answers a VNeID look-alike with the app from the stores, not with a web address', () => {
    const verdict = checker.check('vào trang vneid-capnhat.com để cập nhật');
    expect(verdict.links[0]).toMatchObject({ verdict: 'suspicious', officialApp: 'VNeID' });
    expect(verdict.links[0].officialAlternative).toBeUndefined();
    const text = composeSafetyWarning(verdict, vi, contacts);
    expect(text).toContain('VNeID là ứng dụng: chỉ cài VNeID từ App Store hoặc Google Play');
    expect(text).not.toContain('vneid.gov.vn');
    expect(composeSafetyWarning(verdict, en, contacts)).toContain('VNeID is an app: install VNeID only from the App Store or Google Play');
  });

  it('confirms official links briefly', () => {
    const text = composeSafetyWarning(checker.check('vao dichvucong.gov.vn dang nhap bang gi'), vi, contacts);
    expect(text).toBe(
      '**dichvucong.gov.vn** là địa chỉ chính thức (thuộc gov.vn).\n\nHãy tự gõ địa chỉ này, đừng bấm vào đường link trong tin nhắn lạ.',
    );
  });

  it('says nothing for an ordinary question and refuses abuse politely', () => {
    expect(composeSafetyWarning(checker.check('Đăng ký khai sinh cần gì?'), vi, contacts)).toBe('');
    const refusal = composeSafetyWarning(checker.check('how to hack a vneid account'), en, contacts);
    expect(refusal).toContain("I can't help with getting into other people's accounts");
  });

  it('leaves out contacts the province does not have, never inventing them', () => {
    const text = composeSafetyWarning(checker.check('otp: 4829'), vi, {});
    expect(text).not.toMatch(/\{\{|undefined/);
    expect(text).not.toContain('Gọi tổng đài');
  });

  it('has the same keys in Vietnamese and English, with no numbers or URLs in the text', () => {
    const read = (lang: string) => JSON.parse(fs.readFileSync(path.join(DEFAULT_LOCALES_DIR, lang, 'safety.json'), 'utf8')) as Record<string, unknown>;
    const viJson = read('vi');
    const enJson = read('en');
    expect(keysOf(viJson).sort()).toEqual(keysOf(enJson).sort());
    for (const json of [viJson, enJson]) {
      const s = JSON.stringify(json);
      expect(s).not.toMatch(/https?:|www\./);
      expect(s).not.toMatch(/\d{3,}/);
    }
  });

  it('has a sentence for every reason key and scenario the classifier can emit', () => {
    const viJson = JSON.parse(fs.readFileSync(path.join(DEFAULT_LOCALES_DIR, 'vi', 'safety.json'), 'utf8')) as Record<string, unknown>;
    const keys = new Set(keysOf(viJson));
    const sources = ['links.ts', 'scam-scenarios.ts', 'abuse.ts'].map((f) => fs.readFileSync(path.join(import.meta.dirname, f), 'utf8')).join('\n');
    for (const m of sources.matchAll(/'(reason\.[a-z_]+)'/g)) expect(keys, m[1]).toContain(m[1]);
    for (const m of sources.matchAll(/scenario: '([a-z_]+)'/g)) {
      if (!m[1].endsWith('_question')) expect(keys, m[1]).toContain(`scam.${m[1]}`);
    }
    for (const label of ['hacking', 'prompt_injection', 'abusive']) expect(keys).toContain(`refuse.${label}`);
  });
});

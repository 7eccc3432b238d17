import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { sharedData } from '../test-support/shared-data.js';
import { classifyHost, extractLinks, registrableDomain, type ClassifyContext } from './links.js';
import { loadOfficialDomains, type OfficialDomains } from './official-domains.js';

const official: OfficialDomains = loadOfficialDomains();
const noBlocklist = { has: () => false };
const ctx: ClassifyContext = { blocklist: noBlocklist, official };

function hosts(text: string): string[] {
  return extractLinks(text).map((l) => l.host);
}

function reasonKeys(host: string, c: ClassifyContext = ctx): string[] {
  return classifyHost(host, c).reasons.map((r) => r.key);
}

describe('extractLinks', () => {
  it.each([
    ['vào trang dichvucong-online.com để nộp hồ sơ', ['dichvucong-online.com']],
    ['https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', ['dichvucong.gov.vn']],
    ['Vào DICHVUCONG.GOV.VN.', ['dichvucong.gov.vn']],
    ['hxxps://dichvucong[.]gov[.]vn.abc.com/login', ['dichvucong.gov.vn.abc.com']],
    ['hxxp://evil(.)xyz/a', ['evil.xyz']],
    ['link: dichvucong . gov . vn nhé', ['dichvucong.gov.vn']],
    ['mở dichvucong[dot]gov[dot]vn', ['dichvucong.gov.vn']],
    ['xem bit.ly/abc123!', ['bit.ly']],
    ['(www.example.com), rồi', ['www.example.com']],
    ['http://192.168.1.10:8080/x', ['192.168.1.10']],
    ['http://[2001:db8::1]/a', ['2001:db8::1']],
    ['https://dichvucong.gov.vn@evil.com/login', ['evil.com']],
    ['dịchvụcông.vn', ['xn--dchvcng-x0a0689dsha.vn']],
    ['xn--dchvcng-x0a0689dsha.vn', ['xn--dchvcng-x0a0689dsha.vn']],
    ['dichvucong.gov.vn.Sau đó đăng nhập', ['dichvucong.gov.vn']],
  ])('%s', (text, expected) => {
    expect(hosts(text)).toEqual(expected);
  });

  it.each([
    'v.v. và 1.5 triệu',
    'file CT01.docx và hoso.zip',
    'TP.HCM, Q.BT, TP.HN, TX.ST',
    'xong.Có gì hỏi tiếp',
    'email dichvucong@chinhphu.vn',
    'Nghị định 69/2024/NĐ-CP',
    'phiên bản 2.5 của ứng dụng',
    // Questions about address endings, not addresses (issue 13).
    'trang web đuôi .com.vn có phải trang nhà nước không',
    'I got a message with a link to a website ending in .com. Is that real?',
    'trang có đuôi gov.vn là trang nhà nước phải không',
    'My application is past its due date. Is the agency obliged to explain?',
    'He asked for the code I got by SMS. It is 6 digits.',
    'vào thanhtoan .xyz',
  ])('finds no link in %s', (text) => {
    expect(hosts(text)).toEqual([]);
  });

  it.each([
    // The disguises kept: a scheme, www., defanged dots, spaced dots, a real label before the suffix.
    ['vào https://xn--ui-8ja8i.com.vn nhé', ['xn--ui-8ja8i.com.vn']],
    ['trang www.dichvucong-gov.com.vn', ['www.dichvucong-gov.com.vn']],
    ['trang dichvucong-gov.com.vn có thật không', ['dichvucong-gov.com.vn']],
    ['mở dichvucong [.] gov [.] vn', ['dichvucong.gov.vn']],
    ['mở dichvucong[.] gov.vn.abc.com', ['dichvucong.gov.vn.abc.com']],
    ['https://gov.vn', ['gov.vn']],
  ])('still finds %s', (text, expected) => {
    expect(hosts(text)).toEqual(expected);
  });

  it('finds in the evaluation questions only links a reader would call links (no word. Word, no " .suffix")', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.jsonl')) files.push(p);
      }
    };
    walk(path.join(PROJECT_ROOT, 'eval', 'sets'));
    const shared = sharedData('eval');
    if (shared.present) walk(shared.path);
    const invented: string[] = [];
    let questions = 0;
    for (const file of files) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const item = JSON.parse(line) as { q?: string; turns?: string[] };
        for (const q of [...(item.turns ?? []), ...(item.q ? [item.q] : [])]) {
          questions++;
          for (const l of extractLinks(q)) {
            // A found link is one unbroken token, or spelled with a scheme or a deliberate disguise.
            if (/\s/.test(l.raw) && !/(\[\.\]|\(\.\)|\[dot\]|\sdot\s|\s\.\s)/i.test(l.raw)) invented.push(`${l.raw} in ${q}`);
          }
        }
      }
    }
    expect(questions).toBeGreaterThan(100);
    expect(invented).toEqual([]);
  });

  it('keeps the text as written and its position', () => {
    const text = 'Mở hxxps://dichvucong[.]gov[.]vn.abc.com/login nhé';
    const [link] = extractLinks(text);
    expect(link.raw).toBe('hxxps://dichvucong[.]gov[.]vn.abc.com/login');
    expect(text.slice(link.start, link.end)).toBe(link.raw);
  });
});

describe('classifyHost', () => {
  it.each([
    'dichvucong.gov.vn',
    'dichvucong.kontum.gov.vn',
    'vneid.gov.vn',
    'chinhphu.vn',
    'vanban.chinhphu.vn',
    'csgt.vn',
    'DichVuCong.Gov.Vn.',
  ])('%s is official', (host) => {
    expect(classifyHost(host, ctx).verdict).toBe('official');
  });

  it('accepts province additions', () => {
    expect(classifyHost('portal.example-province.vn', ctx).verdict).toBe('unknown');
    expect(classifyHost('portal.example-province.vn', { ...ctx, extraOfficialDomains: ['example-province.vn'] }).verdict).toBe('official');
  });

  it('flags a government word outside gov.vn and suggests the official address', () => {
    const c = classifyHost('dichvucong-online.com', ctx);
    expect(c.verdict).toBe('suspicious');
    expect(c.reasons).toContainEqual({ key: 'reason.gov_word_outside_gov_vn', word: 'dichvucong' });
    expect(c.officialAlternative).toBe('dichvucong.gov.vn');
  });

  it('never invents an official address', () => {
    const c = classifyHost('bhxh-tracuu.com', ctx);
    expect(c.verdict).toBe('suspicious');
    expect(c.reasons).toContainEqual({ key: 'reason.gov_word_outside_gov_vn', word: 'bhxh' });
    expect(c.officialAlternative).toBeUndefined();
  });

  it('flags gov.vn worn inside another domain', () => {
    expect(reasonKeys('dichvucong.gov.vn.abc.com')).toContain('reason.fake_gov_suffix');
    expect(reasonKeys('gov-vn.xyz')).toEqual(expect.arrayContaining(['reason.fake_gov_suffix', 'reason.uncommon_tld']));
    expect(reasonKeys('csgt.vn.thanhtoan.info')).toContain('reason.official_domain_inside');
  });

  it.each([
    ['d1chvucong.com', 'reason.lookalike_spelling'],
    ['vne1d.net', 'reason.lookalike_spelling'],
    ['dichvuconq-online.net', 'reason.lookalike_official'],
    ['chinphu.vn', 'reason.lookalike_official'],
    ['csqt.vn', null],
  ])('look-alike %s', (host, key) => {
    const keys = reasonKeys(host);
    if (key) expect(keys).toContain(key);
    else expect(classifyHost(host, ctx).verdict).not.toBe('official');
  });

  it('catches rn→m swaps and an official name under another suffix', () => {
    // No listed official name contains an "m", so add provincial portals for the test.
    const custom: OfficialDomains = { ...official, namedHosts: [...official.namedHosts, 'camau.gov.vn', 'www.hanoi.gov.vn'] };
    const c = { blocklist: noBlocklist, official: custom };
    expect(classifyHost('carnau.com', c).reasons).toContainEqual({ key: 'reason.lookalike_official', official: 'camau.gov.vn' });
    expect(classifyHost('hanoi.com.vn', c).reasons).toContainEqual({ key: 'reason.official_name_other_domain', official: 'hanoi.gov.vn' });
  });

  it('flags punycode and mixed-script hosts, even under gov.vn', () => {
    const cyrillic = classifyHost('dichvucоng.gov.vn', ctx); // Cyrillic "о"
    expect(cyrillic.verdict).toBe('suspicious');
    expect(cyrillic.reasons.map((r) => r.key)).toEqual(expect.arrayContaining(['reason.punycode', 'reason.mixed_script']));
    const idn = classifyHost('xn--dchvcng-x0a0689dsha.vn', ctx);
    expect(idn.reasons).toContainEqual({ key: 'reason.gov_word_outside_gov_vn', word: 'dichvucong' });
    expect(idn.reasons).toContainEqual({ key: 'reason.punycode', unicode: 'dịchvụcông.vn' });
  });

  it('flags shorteners, IP addresses and uncommon TLDs', () => {
    expect(reasonKeys('bit.ly')).toEqual(['reason.url_shortener']);
    expect(reasonKeys('tinyurl.com')).toEqual(['reason.url_shortener']);
    expect(reasonKeys('192.168.1.10')).toEqual(['reason.ip_address']);
    expect(reasonKeys('2001:db8::1')).toEqual(['reason.ip_address']);
    expect(classifyHost('free-gift.xyz', ctx).reasons).toEqual([{ key: 'reason.uncommon_tld', tld: 'xyz' }]);
  });

  it('uses the blocklist, including parent domains and www siblings', () => {
    const blocklist = { has: (h: string) => h === 'evil-scam.com' || h.endsWith('.evil-scam.com') || h === 'www.other-scam.net' };
    const c = { blocklist, official };
    expect(classifyHost('evil-scam.com', c).verdict).toBe('known_scam');
    expect(classifyHost('login.evil-scam.com', c).verdict).toBe('known_scam');
    expect(classifyHost('other-scam.net', c).verdict).toBe('known_scam');
    expect(classifyHost('evil-scam.com', c).reasons[0]).toEqual({ key: 'reason.blocklisted' });
  });

  it('lets the allow-list win over the blocklist', () => {
    expect(classifyHost('dichvucong.gov.vn', { blocklist: { has: () => true }, official }).verdict).toBe('official');
  });

  it.each(['www.google.com', 'vnexpress.net', 'zalo.me', 'chothuexe.vn'])('%s is unknown', (host) => {
    expect(classifyHost(host, ctx)).toEqual({ host, verdict: 'unknown', reasons: [] });
  });

  it('knows registrable domains under Vietnamese second-level suffixes', () => {
    expect(registrableDomain('a.b.example.com.vn')).toBe('example.com.vn');
    expect(registrableDomain('dichvucong.kontum.gov.vn')).toBe('kontum.gov.vn');
    expect(registrableDomain('x.abc.com')).toBe('abc.com');
  });
});

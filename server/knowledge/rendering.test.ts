/**
 * Every article (vi and en) and every reply built from the profile (fallback, hand-off, error,
 * safety warnings) rendered with every province profile and with an empty one, checked for
 * what a citizen must never see (server/knowledge/render-check.ts). Issue 13, build 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { createI18n, translator } from '../i18n/i18n.js';
import { handoffLines, hotlineLines, contactsOf } from '../pipeline/contact-lines.js';
import { composeSafetyWarning } from '../safety/safety-reply.js';
import { createSafetyChecker, loadOfficialDomains } from '../safety/safety-check.js';
import { parseArticle } from './article-parser.js';
import { caveatSentence, provinceStatusSentence, renderProfileText } from './profile-render.js';
import { findDefects, type Defect } from './render-check.js';
import { listProvinceCodes, loadProvinceProfile, PLACEHOLDER_FIELDS, type PlaceholderKey, type ProvinceProfile } from './province-profiles.js';

const knowledgeDir = path.join(PROJECT_ROOT, 'knowledge');
const i18n = createI18n();
const LANGS = ['vi', 'en'] as const;

/** A profile that knows nothing: no national and no province value. */
function emptyProfile(): ProvinceProfile {
  const base = loadProvinceProfile(knowledgeDir, 'son-la');
  const values = Object.fromEntries([...Object.keys(PLACEHOLDER_FIELDS), 'province_name'].map((k) => [k, ''])) as Record<PlaceholderKey, string>;
  values.province_name = 'Tỉnh Mẫu';
  return { ...base, code: 'empty', name: 'Tỉnh Mẫu', nameEn: 'Sample', values, unverified: [], caveats: {}, merger: null, absorbed: [] };
}

const profiles: ProvinceProfile[] = [...listProvinceCodes(knowledgeDir).map((c) => loadProvinceProfile(knowledgeDir, c)), emptyProfile()];
/** Every former province: named anywhere, it must be named as merged. */
const mergedNames = profiles.filter((p) => p.merger).map((p) => p.name);

function articles(lang: string) {
  const dir = path.join(knowledgeDir, 'articles', lang);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => parseArticle(fs.readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f)));
}

function checkOptions(profile: ProvinceProfile, lang: string) {
  const t = translator(i18n, lang, 'reply');
  const caveats = Object.fromEntries(Object.keys(profile.caveats).map((k) => [k, caveatSentence(profile, k as PlaceholderKey, t)]));
  return { profile, caveats, statusSentence: provinceStatusSentence(profile, t), mergedNames };
}

/** Every defect of every article and reply, as "profile lang source: kind — sentence". */
function allDefects(): string[] {
  const found: string[] = [];
  const report = (profile: ProvinceProfile, lang: string, source: string, defects: Defect[]) => {
    for (const d of defects) found.push(`${profile.code} ${lang} ${source}: ${d.kind} — ${d.where}`);
  };
  const checker = createSafetyChecker({ blocklist: { has: () => false }, officialDomains: loadOfficialDomains() });
  const verdicts = {
    secret: checker.check('Mã OTP của tôi là 482913'),
    link: checker.check('vào trang vneid-capnhat.com để cập nhật'),
    transfer: checker.check('Người gọi xưng công an bảo chuyển tiền để xác minh'),
  };
  for (const lang of LANGS) {
    const t = translator(i18n, lang, 'reply');
    const ts = translator(i18n, lang, 'safety');
    for (const profile of profiles) {
      const opts = checkOptions(profile, lang);
      for (const doc of articles(lang)) {
        // The summary, then each section as the composer shows it.
        const text = [renderProfileText(doc.summary, profile, t), ...doc.sections.map((s) => `## ${s.heading}\n${renderProfileText(s.text, profile, t)}`)].join('\n\n');
        report(profile, lang, doc.id, findDefects({ ...opts, text }));
      }
      const ctx = { profile, t };
      report(profile, lang, 'reply:fallback', findDefects({ ...opts, text: hotlineLines(ctx).join('\n\n') }));
      report(profile, lang, 'reply:handoff', findDefects({ ...opts, text: handoffLines(ctx).join('\n') }));
      for (const [name, verdict] of Object.entries(verdicts)) {
        const text = composeSafetyWarning(verdict, ts, contactsOf(profile));
        const safetyCaveats = Object.fromEntries(Object.entries(profile.caveats).map(([k, kind]) => [k, ts(`caveat.${kind}`, { value: profile.values[k as PlaceholderKey] })]));
        report(profile, lang, `safety:${name}`, findDefects({ ...opts, caveats: safetyCaveats, text }));
      }
    }
  }
  return found;
}

describe('rendering every article and reply with every profile', () => {
  it('covers every profile, the empty one included, and both languages', () => {
    expect(profiles.map((p) => p.code)).toEqual(expect.arrayContaining(['national', 'kon-tum', 'quang-ngai', 'son-la', 'dong-nai', 'empty']));
    expect(articles('vi').length).toBeGreaterThan(40);
    expect(articles('en').length).toBe(articles('vi').length);
  });

  it('has no unresolved placeholder, glued fallback phrase, repeated number, mislabelled contact, missing caveat or empty section', () => {
    const defects = allDefects();
    console.log(`rendering defects: ${defects.length}`);
    expect(defects).toEqual([]);
  });
});

describe('the defect checks themselves', () => {
  const kt = loadProvinceProfile(knowledgeDir, 'kon-tum');
  const dn = loadProvinceProfile(knowledgeDir, 'dong-nai');
  const kinds = (text: string, profile: ProvinceProfile = kt, extra: object = {}) => findDefects({ profile, text, ...extra }).map((d) => d.kind);

  it('catch each defect the issue quotes', () => {
    expect(kinds('Bộ phận Một cửa nơi gần nhất ở hỏi Bộ phận Một cửa nơi gần nhất.')).toContain('fallback_phrase_in_sentence');
    expect(kinds('Gọi 1800 1096 hoặc tổng đài 1800 1096.')).toContain('same_number_twice');
    expect(kinds('Đường dây nóng về dịch vụ công của Kon Tum: 1800 1096.')).toContain('national_number_as_province');
    expect(kinds('Gọi đường dây nóng dịch vụ công của tỉnh: **1800 1096**.')).toContain('national_number_as_province');
    expect(kinds('Gọi tổng đài: https://dichvucong.gov.vn.')).toContain('url_under_phone_label');
    expect(kinds('Địa chỉ: 1800 1096.')).toContain('number_under_address_label');
    expect(kinds('Vào {{province_portal_url}}.')).toContain('unresolved_placeholder');
    expect(kinds('## Hỗ trợ\n\n## Lưu ý\n- x')).toContain('empty_section');
    expect(kinds('Tổng đài của Kon Tum.')).toContain('merged_province_as_current');
    expect(kinds('Bạn có thể gọi gửi phản ánh, kiến nghị.')).toContain('dangling_word');
    expect(kinds('Hoặc gọi nói tên thủ tục và ngày nộp.')).toContain('dangling_word');
    expect(kinds('Gọi 1022.', dn, { caveats: { province_hotline: 'Số 1022 có từ trước.' } })).toContain('caveat_missing');
  });

  it('accept correct text', () => {
    expect(kinds('Tổng đài Cổng Dịch vụ công quốc gia: 1800 1096. Tổng đài VNeID: 1900 0368.')).toEqual([]);
    expect(kinds('Hỏi Bộ phận Một cửa nơi gần nhất.')).toEqual([]);
    expect(kinds('Kon Tum đã sáp nhập vào Quảng Ngãi.', kt, { statusSentence: 'Kon Tum đã sáp nhập vào Quảng Ngãi.' })).toEqual([]);
  });
});

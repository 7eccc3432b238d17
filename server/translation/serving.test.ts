import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/i18n.js';
import { chooseArticleVersion, noticeChecker, renderNotice } from './serving.js';
import { tempPaths } from './test-fixtures.js';

const vi = { lang: 'vi', status: 'source' } as const;

describe('chooseArticleVersion', () => {
  it('serves an approved translation', () => {
    expect(chooseArticleVersion({ versions: [vi, { lang: 'bdq', status: 'approved' }], lang: 'bdq', allowDrafts: false })).toEqual({ serveLang: 'bdq', kind: 'approved', notice: null });
    expect(chooseArticleVersion({ versions: [vi, { lang: 'en', status: 'approved' }], lang: 'en', allowDrafts: false }).kind).toBe('approved');
  });

  it('serves Vietnamese to Vietnamese', () => {
    expect(chooseArticleVersion({ versions: [vi], lang: 'vi', allowDrafts: true })).toEqual({ serveLang: 'vi', kind: 'source', notice: null });
  });

  it('with only a draft: Vietnamese, and the draft offered only where the province allows drafts, labelled', () => {
    const versions = [vi, { lang: 'bdq', status: 'draft' } as const];
    expect(chooseArticleVersion({ versions, lang: 'bdq', allowDrafts: false })).toEqual({
      serveLang: 'vi',
      kind: 'none',
      notice: { ns: 'translation', key: 'not_available', lang: 'vi', params: { language: 'bdq' } },
    });
    expect(chooseArticleVersion({ versions, lang: 'bdq', allowDrafts: true })).toEqual({
      serveLang: 'vi',
      kind: 'draft-offered',
      notice: { ns: 'translation', key: 'draft_offered', lang: 'vi', params: { language: 'bdq' } },
      offer: { lang: 'bdq', status: 'draft', labelKey: 'translation:draft_label' },
    });
  });

  it('never serves a stale translation as current', () => {
    const versions = [vi, { lang: 'bdq', status: 'stale' } as const];
    expect(chooseArticleVersion({ versions, lang: 'bdq', allowDrafts: false })).toMatchObject({ serveLang: 'vi', kind: 'none', notice: { key: 'outdated' } });
    expect(chooseArticleVersion({ versions, lang: 'bdq', allowDrafts: true })).toMatchObject({ serveLang: 'vi', kind: 'draft-offered', notice: { key: 'outdated_draft_offered' }, offer: { status: 'stale' } });
  });

  it('with nothing: Vietnamese and the not-available sentence in the citizen language when the pack has it', () => {
    expect(chooseArticleVersion({ versions: [vi], lang: 'en', allowDrafts: false }).notice).toMatchObject({ key: 'not_available', lang: 'en' });
    expect(chooseArticleVersion({ versions: [vi], lang: 'bdq', allowDrafts: false, hasNotice: (l) => l === 'bdq' }).notice).toMatchObject({ lang: 'bdq' });
    expect(chooseArticleVersion({ versions: [], lang: 'bdq', allowDrafts: false })).toMatchObject({ serveLang: null, kind: 'none' });
  });
});

describe('notices from the translation namespace', () => {
  let paths: ReturnType<typeof tempPaths> | null = null;
  afterEach(() => paths?.cleanup());

  it('fall back to the Vietnamese sentence while the pack has none, and use the pack once it has it', () => {
    const i18n = createI18n();
    const choice = chooseArticleVersion({ versions: [vi], lang: 'bdq', allowDrafts: false, hasNotice: noticeChecker(i18n) });
    expect(choice.notice?.lang).toBe('vi');
    const text = renderNotice(i18n, choice.notice!);
    expect(text).toBe('Chưa có bản tiếng Ba Na cho nội dung này; dưới đây là bản tiếng Việt. Cần hướng dẫn trực tiếp bằng tiếng của mình, bạn hãy đến điểm hỗ trợ đồng bào dân tộc thiểu số hoặc Bộ phận Một cửa nơi gần nhất.');
    const en = chooseArticleVersion({ versions: [vi], lang: 'en', allowDrafts: false, hasNotice: noticeChecker(i18n) });
    expect(renderNotice(i18n, en.notice!)).toMatch(/^This content is not available in English yet/);

    // Once a reviewed sentence exists in the pack (test stand-in text, not Bahnar), it is used.
    paths = tempPaths({ articles: [] });
    fs.writeFileSync(path.join(paths.localesDir, 'bdq', 'translation.json'), JSON.stringify({ not_available: '«TEST STAND-IN» {{languageName}}' }));
    const withPack = createI18n(paths.localesDir);
    const c = chooseArticleVersion({ versions: [vi], lang: 'bdq', allowDrafts: false, hasNotice: noticeChecker(withPack) });
    expect(c.notice?.lang).toBe('bdq');
    expect(renderNotice(withPack, c.notice!)).toBe('«TEST STAND-IN» tiếng Ba Na');
  });
});

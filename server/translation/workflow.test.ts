import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n, hasOwnTranslation, translator } from '../i18n/i18n.js';
import { parseArticle } from '../knowledge/article-parser.js';
import { parseUnitId, readXliff, writeExchangeCsv, writeXliff } from './exchange.js';
import { collectForTranslation, exportForTranslation } from './export.js';
import { importTranslations, ImportError } from './import.js';
import { readFrontMatter } from './markdown-segments.js';
import { articleStatuses, computeArticleStatus, packCompleteness, readManifest, sha256Hex } from './packs.js';
import { approveRevision, listPending, rejectRevision, showRevision } from './review.js';
import { createTranslationStore, type TranslationStore } from './store.js';
import { fakeTranslate, memoryDb, tempPaths } from './test-fixtures.js';

const ARTICLES = ['dvc.support-points', 'meta.language', 'account.login-vneid'];

let paths: ReturnType<typeof tempPaths>;
let db: ReturnType<typeof memoryDb>;
let store: TranslationStore;
const reviewer = { id: 7, username: 'reviewer.kontum' };

beforeEach(() => {
  paths = tempPaths({ articles: ARTICLES });
  db = memoryDb();
  store = createTranslationStore(db);
});
afterEach(() => {
  db.close();
  paths.cleanup();
});

const viFile = (id: string) => path.join(paths.knowledgeDir, 'articles', 'vi', `${id}.md`);
const bdqFile = (id: string) => path.join(paths.knowledgeDir, 'articles', 'bdq', `${id}.md`);

/** Exports everything bdq needs and fills in the fake translation (optionally only some units). */
function translatedExport(pick: (id: string) => boolean = () => true) {
  const r = collectForTranslation({ lang: 'bdq', paths, store, suggestions: false });
  return { ...r.doc, translator: 'Y Translator', units: r.doc.units.map((u) => ({ ...u, target: pick(u.id) ? fakeTranslate(u.source) : '' })) };
}

describe('export', () => {
  it('exports every missing string and every segment of every missing article, with suggestions for Bahnar', () => {
    const r = exportForTranslation({ lang: 'bdq', paths, store, format: 'xliff' });
    const pack = packCompleteness(paths, 'bdq');
    expect(r.strings).toBe(pack.strings.total);
    expect(r.articles).toBe(ARTICLES.length);
    const doc = readXliff(r.text);
    expect(doc.trgLang).toBe('bdq');
    expect(doc.units.filter((u) => parseUnitId(u.id)?.kind === 'article').length).toBeGreaterThan(ARTICLES.length * 5);
    expect(doc.units.some((u) => u.suggestions.some((s) => s.startsWith('glossary:')))).toBe(true);
    // The Vietnamese texts exported are kept for the import.
    expect(store.findSource('article', 'meta.language', sha256Hex(fs.readFileSync(viFile('meta.language'))))).not.toBeNull();
  });

  it('has nothing to export for English, whose articles are all current', () => {
    const r = collectForTranslation({ lang: 'en', paths, store });
    expect(r.articles).toBe(0);
  });
});

describe('import', () => {
  it('imports a complete XLIFF as drafts: pending revisions and draft article files the loader accepts', () => {
    const report = importTranslations(writeXliff(translatedExport()), { lang: 'bdq', paths, store, today: '2026-11-22' });
    expect(report.errors).toEqual([]);
    expect(report.translator).toBe('Y Translator');
    expect(report.accepted.filter((a) => a.kind === 'article').map((a) => a.itemId).sort()).toEqual([...ARTICLES].sort());
    const text = fs.readFileSync(bdqFile('meta.language'), 'utf8');
    const doc = parseArticle(text, 'articles/bdq/meta.language.md');
    expect(doc.status).toBe('draft');
    expect(readFrontMatter(text)).toMatchObject({ translator: 'Y Translator', translation_of_hash: sha256Hex(fs.readFileSync(viFile('meta.language'))) });
    expect(computeArticleStatus(fs.readFileSync(viFile('meta.language')), readFrontMatter(text)!)).toBe('draft');
    // Strings stay in the database until approved: nothing is served.
    expect(fs.existsSync(path.join(paths.localesDir, 'bdq', 'reply.json'))).toBe(false);
    expect(listPending(store, paths, { lang: 'bdq' }).length).toBe(report.accepted.length);
  });

  it('rejects a CSV segment with a broken placeholder, naming the segment and the problem, and imports the rest', () => {
    const doc = translatedExport();
    const victim = doc.units.find((u) => u.id.startsWith('a:dvc.support-points:') && u.source.includes('{{one_stop_name}}') && u.id.endsWith(':summary'))!;
    victim.target = victim.target.replace('{{one_stop_name}}', '{{one_stop_name}');
    const stringVictim = doc.units.find((u) => u.id.startsWith('s:reply:fallback.hotline:'))!;
    stringVictim.target = stringVictim.target.replace('{{provinceHotline}}', '');
    const report = importTranslations(writeExchangeCsv(doc), { lang: 'bdq', paths, store, translator: 'Y Translator' });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        { id: victim.id, problems: ['placeholder {{one_stop_name}} is missing', 'a placeholder is broken (write it exactly as {{name}})'] },
        { id: stringVictim.id, problems: ['placeholder {{provinceHotline}} is missing'] },
      ]),
    );
    expect(report.accepted.map((a) => a.itemId)).not.toContain('dvc.support-points');
    expect(report.accepted.map((a) => a.itemId)).not.toContain('reply:fallback.hotline');
    expect(report.accepted.map((a) => a.itemId)).toContain('meta.language');
    expect(fs.existsSync(bdqFile('dvc.support-points'))).toBe(false);
  });

  it('requires every segment of an article, skips untranslated strings, and needs a translator', () => {
    const doc = translatedExport((id) => !id.endsWith(':b3') && !id.startsWith('s:safety:'));
    const report = importTranslations(writeXliff(doc), { lang: 'bdq', paths, store });
    expect(report.accepted.filter((a) => a.kind === 'article')).toEqual([]);
    expect(report.errors.filter((e) => e.id.endsWith(':b3')).map((e) => e.problems[0])).toEqual(ARTICLES.map(() => 'the translation is empty'));
    expect(report.skipped.some((id) => id.startsWith('s:safety:'))).toBe(true);
    expect(() => importTranslations(writeXliff({ ...doc, translator: null }), { lang: 'bdq', paths, store })).toThrow(ImportError);
    expect(() => importTranslations(writeXliff(doc), { lang: 'jra', paths, store })).toThrow(/translation into bdq, not jra/);
  });

  it('never overwrites an approved translation: the import becomes a pending revision', () => {
    const first = importTranslations(writeXliff(translatedExport((id) => id.includes(':meta.language:'))), { lang: 'bdq', paths, store });
    const rev = first.accepted.find((a) => a.itemId === 'meta.language')!;
    approveRevision(store, paths, rev.revisionId, { reviewer, today: '2026-11-23' });
    const approved = fs.readFileSync(bdqFile('meta.language'), 'utf8');
    expect(readFrontMatter(approved)).toMatchObject({ status: 'approved', reviewed_by: 'reviewer.kontum', translator: 'Y Translator' });
    expect(articleStatuses(paths.knowledgeDir, 'bdq').find((a) => a.id === 'meta.language')?.state).toBe('approved');

    // A second translation of the same article (export --all) arrives.
    const again = collectForTranslation({ lang: 'bdq', paths, store, scope: 'all', suggestions: false }).doc;
    const units = again.units.filter((u) => u.id.includes(':meta.language:')).map((u) => ({ ...u, target: `${fakeTranslate(u.source)}` }));
    units[0].target = `${units[0].target} «V2»`;
    const second = importTranslations(writeXliff({ ...again, translator: 'Another Translator', units }), { lang: 'bdq', paths, store });
    expect(second.accepted).toEqual([expect.objectContaining({ itemId: 'meta.language', overApproved: true, draftFile: null })]);
    expect(fs.readFileSync(bdqFile('meta.language'), 'utf8')).toBe(approved);
    const view = showRevision(store, paths, second.accepted[0].revisionId);
    expect(view.approved).toBe(approved);
    expect(view.translationDiff!.some((l) => l.op === '+' && l.text.includes('«V2»'))).toBe(true);
  });
});

describe('review', () => {
  it('shows the Vietnamese source with a line diff against the version translated, and approval marks the result stale', () => {
    const report = importTranslations(writeXliff(translatedExport((id) => id.includes(':dvc.support-points:'))), { lang: 'bdq', paths, store });
    const id = report.accepted[0].revisionId;
    const before = showRevision(store, paths, id);
    expect(before.sourceChanged).toBe(false);
    expect(before.sourceDiff.every((l) => l.op === ' ')).toBe(true);
    expect(before.segments[0]).toMatchObject({ unit: 'title', source: 'Được hướng dẫn trực tiếp ở đâu' });
    expect(before.segments.some((s) => (s.suggestions?.terms.length ?? 0) > 0)).toBe(true);

    // The Vietnamese article is edited after the translation was made.
    const vi = fs.readFileSync(viFile('dvc.support-points'), 'utf8');
    fs.writeFileSync(viFile('dvc.support-points'), vi.replace('4. Ghi lại mã hồ sơ sau khi nộp.', '4. Ghi lại mã hồ sơ và ngày nộp.'));
    const after = showRevision(store, paths, id);
    expect(after.sourceChanged).toBe(true);
    expect(after.sourceDiff.filter((l) => l.op !== ' ')).toEqual([
      { op: '-', text: '4. Ghi lại mã hồ sơ sau khi nộp.' },
      { op: '+', text: '4. Ghi lại mã hồ sơ và ngày nộp.' },
    ]);
    expect(listPending(store, paths)[0]).toMatchObject({ id, sourceChanged: true });

    expect(() => approveRevision(store, paths, id, { reviewer: { username: 'y translator' } })).toThrow(/other than its translator/);
    const approved = approveRevision(store, paths, id, { reviewer });
    expect(approved.stale).toBe(true);
    expect(articleStatuses(paths.knowledgeDir, 'bdq').find((a) => a.id === 'dvc.support-points')?.state).toBe('stale');
    expect(() => approveRevision(store, paths, id, { reviewer })).toThrow(/is approved, not pending/);

    // A re-export keeps the unchanged segments' approved translations and asks only for the changed one.
    const redo = collectForTranslation({ lang: 'bdq', paths, store, suggestions: false });
    const units = redo.doc.units.filter((u) => u.id.includes(':dvc.support-points:'));
    expect(units.filter((u) => !u.target).map((u) => u.source)).toEqual(['4. Ghi lại mã hồ sơ và ngày nộp.']);
  });

  it('reject removes the draft file from offer and records the reason', () => {
    const report = importTranslations(writeXliff(translatedExport((id) => id.includes(':meta.language:'))), { lang: 'bdq', paths, store });
    const id = report.accepted[0].revisionId;
    expect(fs.existsSync(bdqFile('meta.language'))).toBe(true);
    expect(() => rejectRevision(store, paths, id, { reviewer, reason: ' ' })).toThrow(/say why/);
    const r = rejectRevision(store, paths, id, { reviewer, reason: 'Thuật ngữ VNeID dịch chưa thống nhất' });
    expect(r).toMatchObject({ status: 'rejected', reviewedBy: 'reviewer.kontum', reviewNote: 'Thuật ngữ VNeID dịch chưa thống nhất' });
    expect(fs.existsSync(bdqFile('meta.language'))).toBe(false);
    const audit = db.prepare('SELECT action, username FROM audit_log').all();
    expect(audit).toEqual([{ action: 'translation.reject', username: 'reviewer.kontum' }]);
  });
});

describe('strings: approval, fallback chain and staleness', () => {
  it('an approved string is served from the pack; everything else falls back to Vietnamese', () => {
    const before = createI18n(paths.localesDir);
    expect(hasOwnTranslation(before, 'bdq', 'fallback.intro')).toBe(false);
    expect(translator(before, 'bdq')('fallback.intro')).toBe(translator(before, 'vi')('fallback.intro'));

    const report = importTranslations(writeXliff(translatedExport((id) => id.startsWith('s:reply:fallback.intro:'))), { lang: 'bdq', paths, store });
    expect(report.accepted).toEqual([expect.objectContaining({ kind: 'string', itemId: 'reply:fallback.intro' })]);
    approveRevision(store, paths, report.accepted[0].revisionId, { reviewer, today: '2026-11-24' });

    const after = createI18n(paths.localesDir);
    expect(hasOwnTranslation(after, 'bdq', 'fallback.intro')).toBe(true);
    expect(translator(after, 'bdq')('fallback.intro')).toBe(fakeTranslate(translator(after, 'vi')('fallback.intro')));
    expect(hasOwnTranslation(after, 'bdq', 'fallback.hotline')).toBe(false);
    expect(translator(after, 'bdq')('fallback.hotline', { province: 'X', provinceHotline: '1', nationalHotline: '2' })).toContain('tổng đài');
    const manifest = readManifest(paths.localesDir, 'bdq')!;
    expect(manifest.namespaces.reply).toBe('partial');
    expect(manifest.strings['reply:fallback.intro']).toMatchObject({ translator: 'Y Translator', reviewed_by: 'reviewer.kontum', updated: '2026-11-24' });
    expect(packCompleteness(paths, 'bdq').strings.translated).toBe(1);

    // Editing the Vietnamese string makes the translation stale.
    const viReply = path.join(paths.localesDir, 'vi', 'reply.json');
    const obj = JSON.parse(fs.readFileSync(viReply, 'utf8'));
    obj.fallback.intro = 'Xin lỗi, tôi chưa có thông tin chắc chắn.';
    fs.writeFileSync(viReply, JSON.stringify(obj));
    const pack = packCompleteness(paths, 'bdq');
    expect(pack.strings.stale).toBe(1);
    expect(pack.staleStrings).toEqual(['reply:fallback.intro']);
    expect(collectForTranslation({ lang: 'bdq', paths, store, suggestions: false }).doc.units.find((u) => u.id.startsWith('s:reply:fallback.intro:'))!.notes.join(' ')).toMatch(/changed since the current translation/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEncodingRepairer } from '../text/encoding-repair.js';
import { buildGlossary, buildTranslationMemory, RESIDUAL_VNI } from './bahnar-corpus.js';
import { parseCsv } from './csv.js';
import { DEFAULT_KNOWLEDGE_DIR } from './packs.js';
import { charNgrams, createTranslationMemory, dice, foldForMatch, formatSuggestions, loadTranslationMemory, readTmFile } from './tm.js';

const SHARED = path.resolve(DEFAULT_KNOWLEDGE_DIR, '../../shared/data/bahnar');
const SHIPPED = path.join(DEFAULT_KNOWLEDGE_DIR, 'translation', 'bahnar');
const hasShared = fs.existsSync(path.join(SHARED, 'bahnar-vietnamese-pairs.csv'));
const repairer = createEncodingRepairer();

describe.runIf(hasShared)('Bahnar corpus: VNI repair and build', () => {
  const pairsCsv = hasShared ? fs.readFileSync(path.join(SHARED, 'bahnar-vietnamese-pairs.csv'), 'utf8') : '';
  const raw = hasShared ? parseCsv(pairsCsv).slice(1) : [];

  it('repairs VNI-encoded Bahnar lines with the project encoding repair', () => {
    const line = raw[1][0]; // "‘Boêk Nguyeân Hoang Saâm – Chu tich Hoâi doanh nhaân adruh tinh"
    expect(line).toContain('Nguyeân');
    const r = repairer.repair(line.normalize('NFC'));
    expect(r).toMatchObject({ ok: true, encoding: 'vni', changed: true });
    expect(r.ok && r.text).toBe('‘Bŏk Nguyên Hoang Sâm – Chu tich Hôi doanh nhân adruh tinh');
    const first = repairer.repair(raw[0][0].normalize('NFC'));
    expect(first.ok && first.text.startsWith('Sơ Nông nghiêp oĕng pơjing cham pơlei')).toBe(true);
    // Unicode Bahnar is left alone.
    const unicode = raw.map((r) => r[0].normalize('NFC')).find((b) => b.startsWith('Tăng kương drong thông tin'))!;
    expect(repairer.repair(unicode.normalize('NFC'))).toMatchObject({ ok: true, encoding: 'unicode', changed: false });
  });

  it('builds the shipped translation memory and glossary exactly (reproducible), reporting repaired and rejected lines', () => {
    const { records, report } = buildTranslationMemory(pairsCsv, repairer);
    const stats = JSON.parse(fs.readFileSync(path.join(SHIPPED, 'build-stats.json'), 'utf8'));
    expect(report.pairs).toBe(2001);
    expect(report.repaired.vni).toBe(stats.bahnar_lines_repaired.vni);
    expect(report.rejected.length).toBe(stats.bahnar_lines_rejected_by_repair);
    expect(report.residualLegacy.length).toBe(stats.bahnar_lines_with_residual_legacy_letters);
    expect(report.kept).toBe(records.length);
    expect(report.unchanged + (report.repaired.vni ?? 0) + report.rejected.length + report.empty.length).toBe(report.pairs);
    console.log(
      `Bahnar pairs: ${report.pairs}; ${report.repaired.vni} repaired from VNI, ${report.unchanged} already Unicode, ${report.rejected.length} rejected, ` +
        `${report.residualLegacy.length} left out with VNI letters still visible; TM ${report.kept} pairs (${report.train} train / ${report.test} test)`,
    );
    expect(records.every((r) => !RESIDUAL_VNI.test(r.bdq))).toBe(true);
    const shipped = fs.readFileSync(path.join(SHIPPED, 'tm.vi-bdq.jsonl'), 'utf8').trim().split('\n');
    expect(shipped).toEqual(records.map((r) => JSON.stringify({ id: r.id, vi: r.vi, bdq: r.bdq, encoding: r.encoding, split: r.split })));
    expect(JSON.parse(shipped[1])).toMatchObject({ id: 2, encoding: 'vni', split: 'train' });

    const { glossary, report: g } = buildGlossary(fs.readFileSync(path.join(SHARED, 'bahnar-vietnamese-dictionary.csv'), 'utf8'), repairer);
    expect(g.entries).toBe(36168);
    expect(g.viTerms).toBe(stats.glossary_vietnamese_terms);
    expect(glossary.get('chấm bài')).toEqual(["chơ̆m'bai", 'chơ̆m']);
  });
});

describe('the shipped data carries its licence and provenance', () => {
  it('has the Apache-2.0 licence and PROVENANCE.md', () => {
    expect(fs.readFileSync(path.join(SHIPPED, 'LICENSE-BARTBahnar.txt'), 'utf8')).toMatch(/Apache License\s+Version 2.0/);
    const prov = fs.readFileSync(path.join(SHIPPED, 'PROVENANCE.md'), 'utf8');
    expect(prov).toMatch(/ura-hcmut\/BARTBahnar/);
    expect(prov).toMatch(/encoding repair/i);
  });
});

describe('translation memory suggestions', () => {
  const tm = loadTranslationMemory(DEFAULT_KNOWLEDGE_DIR, 'bdq')!;

  it('finds a known Vietnamese sentence of the corpus, exactly and with small edits', () => {
    const entries = readTmFile(path.join(SHIPPED, 'tm.vi-bdq.jsonl'), 'bdq');
    const known = entries.find((e) => e.vi.startsWith('Ông Nguyễn Hoàng Sâm'))!;
    const exact = tm.suggest(known.vi);
    expect(exact.tm[0]).toMatchObject({ id: known.id, score: 1, target: '‘Bŏk Nguyên Hoang Sâm – Chu tich Hôi doanh nhân adruh tinh' });
    const fuzzy = tm.suggest('ong nguyen hoang sam, chu tich hoi doanh nhan tre cua tinh');
    expect(fuzzy.tm[0].id).toBe(known.id);
    expect(fuzzy.tm[0].score).toBeGreaterThanOrEqual(0.6);
    expect(fuzzy.tm[0].score).toBeLessThan(1);
    expect(fuzzy.tm.length).toBeLessThanOrEqual(3);
  });

  it('returns nothing below the threshold, and glosses for the words of the segment', () => {
    const s = tm.suggest('1. Mang theo **thẻ căn cước** gắn chip và {{one_stop_name}}.');
    expect(s.tm.every((m) => m.score >= 0.6)).toBe(true);
    expect(s.terms.map((t) => t.term)).toContain('mang theo');
    // A lone syllable inside a longer word is not glossed ("gắn" in "gắn chip"); a standalone one is.
    expect(s.terms.map((t) => t.term)).not.toContain('gắn');
    expect(tm.suggest('Nguồn').terms.map((t) => t.term)).toEqual(['nguồn']);
    expect(s.terms.every((t) => t.glosses.length > 0 && t.glosses.length <= 4)).toBe(true);
    expect(s.terms.map((t) => t.term)).not.toContain('one_stop_name');
    expect(formatSuggestions(s).some((l) => l.startsWith('glossary: mang theo → '))).toBe(true);
  });

  it('scores by character n-grams on folded text', () => {
    expect(foldForMatch('Đăng ký {{x}} **tài khoản**!')).toBe('dang ky tai khoan');
    expect(dice(charNgrams('dang ky'), charNgrams('dang ky'))).toBe(1);
    const small = createTranslationMemory('xx', [{ id: '1', vi: 'đăng ký tài khoản', target: 'T1' }, { id: '2', vi: 'quên mật khẩu', target: 'T2' }], new Map([['tài khoản', ['G']]]));
    expect(small.suggest('dang ky tai khoan').tm.map((m) => m.id)).toEqual(['1']);
    expect(small.suggest('Mở tài khoản').terms).toEqual([{ term: 'tài khoản', glosses: ['G'] }]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { tempDir } from '../test-support/temp-dir.js';
import { documentDetail, lookup } from '../staff/lookup.js';
import { readCurrentVersion, snapshotDir } from '../knowledge/snapshot-paths.js';

const SHARED = path.join(PROJECT_ROOT, 'knowledge', 'procedures', 'dvc-procedures-2021.json');
const source = JSON.parse(fs.readFileSync(SHARED, 'utf8')) as Array<Record<string, unknown>>;
const SCHOLARSHIP = source.find((r) => String(r.title).startsWith('Tuyển sinh đi học nước ngoài bằng học bổng'))!;
const DIPLOMA = source.find((r) => String(r.title).startsWith('Công nhận bằng tốt nghiệp trung học cơ sở'))!;
const inProvince = (r: Record<string, unknown>, place: string, agency: string) => ({ ...r, title: `${r.title} (${place})`, 'Cơ quan thực hiện': `${agency}, ${place}` });

let t: TempAssistant;
let catalogueDir: string;
beforeAll(async () => {
  catalogueDir = tempDir();
  const file = path.join(catalogueDir, 'catalogue.json');
  fs.writeFileSync(
    file,
    JSON.stringify([
      SCHOLARSHIP,
      inProvince(SCHOLARSHIP, 'tỉnh Sơn La', 'Sở Giáo dục và Đào tạo'),
      inProvince(SCHOLARSHIP, 'tỉnh Kon Tum', 'Sở Giáo dục và Đào tạo'),
      // Only Đồng Nai has this one: nobody else may be answered from it.
      inProvince(DIPLOMA, 'tỉnh Đồng Nai', 'Sở Giáo dục và Đào tạo'),
    ]),
  );
  t = await createTempAssistant({ SEED_PROCEDURES_FILE: file });
}, 120_000);
afterAll(() => {
  t.cleanup();
  fs.rmSync(catalogueDir, { recursive: true, force: true });
});

const ask = (text: string, province: string) => t.assistant.pipeline.handle({ text, channel: 'api', isTest: true, province });
const SCHOLARSHIP_Q = 'tuyển sinh đi học nước ngoài bằng học bổng ngân sách nhà nước';
const DIPLOMA_Q = 'công nhận bằng tốt nghiệp trung học cơ sở do cơ sở giáo dục nước ngoài cấp';

describe('answers scoped to the province', () => {
  it('answers from the province’s own record of a procedure', async () => {
    const { answer } = await ask(SCHOLARSHIP_Q, 'son-la');
    expect(answer.kind).toBe('answer');
    expect(answer.citations[0].title).toContain('tỉnh Sơn La');
    expect(answer.text).toContain('Sở Giáo dục và Đào tạo, tỉnh Sơn La');
    expect(answer.text).not.toContain('Kon Tum');
  });

  it('answers a merged province from the records of the province it joined', async () => {
    const { answer } = await ask(SCHOLARSHIP_Q, 'kon-tum');
    expect(answer.citations[0].title).toContain('tỉnh Kon Tum');
  });

  it('answers a province without its own record from the national one', async () => {
    const { answer } = await ask(SCHOLARSHIP_Q, 'dong-nai');
    expect(answer.citations[0].title).toBe(SCHOLARSHIP.title);
    expect(answer.text).not.toMatch(/Sơn La|Kon Tum/);
  });

  it('never answers from another province’s record', async () => {
    const own = await ask(DIPLOMA_Q, 'dong-nai');
    expect(own.answer.citations[0].title).toContain('tỉnh Đồng Nai');
    const diplomaId = own.answer.citations[0].id;
    const other = await ask(DIPLOMA_Q, 'son-la');
    expect(other.record.candidates.map((c) => c.id)).not.toContain(diplomaId);
    expect(other.answer.text).not.toContain('Đồng Nai');
  });

  it('keeps the variants of one procedure as one candidate', async () => {
    const { record } = await ask(SCHOLARSHIP_Q, 'son-la');
    const ids = record.candidates.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const index = t.assistant.indexHolder.get().index;
    expect(index.manifest.variants).toBe(4);
    // Three records, one searchable procedure.
    expect([...index.docs.values()].filter((d) => d.kind === 'procedure')).toHaveLength(2);
  });

  it('lets staff look up every province’s records, and open one', () => {
    const index = t.assistant.indexHolder.get().index;
    const hits = lookup(index, 'tuyen sinh son la');
    const hit = hits.find((h) => h.province === 'son-la');
    expect(hit?.title).toContain('tỉnh Sơn La');
    const detail = documentDetail(index, t.assistant.db, hit!.id)!;
    expect(detail.title).toContain('tỉnh Sơn La');
    expect(detail.province).toBe('son-la');
    expect(detail.record?.agency).toContain('tỉnh Sơn La');
    // The procedure itself lists its three records.
    const procedureId = index.docs.get(index.variantById.get(hit!.id)!.docRowid)!.id;
    const procedure = documentDetail(index, t.assistant.db, procedureId)!;
    expect(procedure.variants.map((v) => v.province).sort((a, b) => String(a).localeCompare(String(b)))).toEqual([null, 'quang-ngai', 'son-la']);
    expect(documentDetail(index, t.assistant.db, 'proc-does-not-exist')).toBeNull();
  });

  it('warms up before serving without storing anything', async () => {
    const count = () => (t.assistant.db.prepare('SELECT (SELECT COUNT(*) FROM answers) + (SELECT COUNT(*) FROM conversations) AS n').get() as { n: number }).n;
    const before = count();
    expect(await t.assistant.warmUp()).toBeGreaterThan(0);
    expect(count()).toBe(before);
  });

  it('stores a section text repeated across provinces once in the snapshot', () => {
    const dir = snapshotDir(t.config.indexDir, readCurrentVersion(t.config.indexDir)!);
    const db = new Database(path.join(dir, 'knowledge.sqlite'), { readonly: true });
    try {
      const refs = (db.prepare('SELECT sections FROM variants').all() as Array<{ sections: string }>).flatMap((r) => JSON.parse(r.sections) as Array<[string, string]>);
      const distinct = (db.prepare('SELECT COUNT(*) AS n FROM texts').get() as { n: number }).n;
      expect(new Set(refs.map(([, h]) => h)).size).toBe(distinct);
      expect(distinct).toBeLessThan(refs.length);
    } finally {
      db.close();
    }
  });
});

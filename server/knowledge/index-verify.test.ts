import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssistant } from '../assistant.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { ingest } from './ingest.js';
import { readCurrentManifest, snapshotDir } from './snapshot-paths.js';
import { verifySnapshot } from './snapshot-verify.js';

/** Issue 14: a damaged index file stopped the server from starting while `npm run ingest` said "up to date". */
let t: TempAssistant | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

type Damage = (file: string) => void;
const truncate: Damage = (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3));
const garbage: Damage = (file) => {
  const fd = fs.openSync(file, 'r+');
  // Overwrites bytes in the middle (the header stays, so only a checksum sees it) and at the start.
  fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(fs.statSync(file).size / 2));
  fs.writeSync(fd, Buffer.from('not an index at all'), 0, 19, 0);
  fs.closeSync(fd);
};

async function damagedDataFolder(name: 'vectors.hnsw' | 'knowledge.sqlite', damage: Damage) {
  t = await createTempAssistant();
  const { indexDir } = t.config;
  const before = readCurrentManifest(indexDir)!;
  expect(verifySnapshot(indexDir, before)).toBeNull();
  t.assistant.close();
  damage(path.join(snapshotDir(indexDir, before.version), name));
  return { indexDir, before };
}

describe('start-up index verification', () => {
  // Each case rebuilds the index (~10 s here); the ingest test below covers the other two pairings
  // (truncated vectors.hnsw at start-up, garbage in knowledge.sqlite before ingest).
  it.each([
    ['vectors.hnsw', 'garbage bytes', garbage],
    ['knowledge.sqlite', 'truncated', truncate],
  ] as const)('a %s with %s is detected, logged and rebuilt; the server starts and answers', async (name, _how, damage) => {
    const { indexDir, before } = await damagedDataFolder(name, damage);
    expect(verifySnapshot(indexDir, before)).toMatch(new RegExp(`^${name.replace('.', '\\.')} (has|does not match)`));
    const lines: string[] = [];
    const assistant = await createAssistant(t!.config, pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }));
    try {
      const damagedLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'knowledge index damaged: rebuilding');
      expect(damagedLine).toMatchObject({ level: 50, version: before.version, problem: expect.stringContaining(name) });
      const after = readCurrentManifest(indexDir)!;
      expect(after.version).not.toBe(before.version);
      expect(verifySnapshot(indexDir, after)).toBeNull();
      const { answer } = await assistant.pipeline.handle({ text: 'Đăng ký khai sinh cần giấy tờ gì?', channel: 'api', isTest: true });
      expect(answer.kind).toBe('answer');
    } finally {
      assistant.close();
    }
  });

  it('`npm run ingest` (ingest()) does not call a damaged index up to date: it rebuilds and says why', async () => {
    const { indexDir, before } = await damagedDataFolder('vectors.hnsw', truncate);
    const lines: string[] = [];
    const assistant = await createAssistant({ ...t!.config }, pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }));
    assistant.close();
    expect(lines.some((l) => JSON.parse(l).msg === 'knowledge index damaged: rebuilding')).toBe(true);
    // Damage the rebuilt one too, then ingest the way the command does.
    const rebuilt = readCurrentManifest(indexDir)!;
    garbage(path.join(snapshotDir(indexDir, rebuilt.version), 'knowledge.sqlite'));
    const { openDatabase } = await import('../db/database.js');
    const { createEmbedder } = await import('../embeddings/create-embedder.js');
    const db = openDatabase(t!.config.databasePath);
    try {
      const report = await ingest({ knowledgeDir: t!.config.knowledgeDir, indexDir, db, embedder: await createEmbedder(t!.config.embedder), officialUrl: null, seedProceduresFile: null, allowErrors: true });
      expect(report.build.upToDate).toBe(false);
      expect(!report.build.upToDate && report.build.damaged).toMatch(/knowledge\.sqlite/);
      expect(verifySnapshot(indexDir, report.build.manifest)).toBeNull();
      // And an intact index is up to date again.
      const again = await ingest({ knowledgeDir: t!.config.knowledgeDir, indexDir, db, embedder: await createEmbedder(t!.config.embedder), officialUrl: null, seedProceduresFile: null, allowErrors: true });
      expect(again.build.upToDate).toBe(true);
      expect(before.version).not.toBe(report.build.manifest.version);
    } finally {
      db.close();
    }
  });
});

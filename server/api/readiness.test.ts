import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { openDatabase } from '../db/database.js';
import { createWriteProbe } from '../db/write-probe.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { tempDir } from '../test-support/temp-dir.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' });
  app = await buildApp({ assistant: t.assistant, retentionIntervalMs: 0 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  t?.cleanup();
});

const chat = (message: string) => fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': '1' }, body: JSON.stringify({ message }) });

describe('/readyz and a database that cannot take writes', () => {
  it('is ready while the database takes commits', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });

  it('fails (503) when the server\'s own connection cannot write, the state in which every chat returns 500', async () => {
    // As root a chmod does not stop writes; SQLite's query_only makes this very connection refuse
    // them with SQLITE_READONLY, exactly what a read-only file opened by the server gives.
    t.assistant.db.pragma('query_only = ON');
    try {
      expect((await chat('Đăng ký thường trú cần giấy tờ gì?')).status).toBe(500);
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', message: expect.stringMatching(/database not writable \(SQLITE_READONLY/) });
    } finally {
      t.assistant.db.pragma('query_only = OFF');
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await chat('Đăng ký thường trú cần giấy tờ gì?')).status).toBe(200);
  });
});

describe('the write probe on real files', () => {
  it('reports a database file opened read-only as not writable', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'dvc.sqlite');
      openDatabase(file).close();
      const ro = new Database(file, { readonly: true });
      try {
        expect(createWriteProbe(ro, file).check()).toMatchObject({ ok: false, reason: expect.stringContaining('SQLITE_READONLY') });
      } finally {
        ro.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without write permission (SQLite falls back to read-only) as not writable', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'dvc.sqlite');
      openDatabase(file).close();
      fs.chmodSync(file, 0o444);
      const db = new Database(file);
      try {
        expect(createWriteProbe(db, file).check().ok).toBe(false);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a disk with too little free space left (full disk) as not ready, and a roomy one as ready', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'dvc.sqlite');
      const db = openDatabase(file);
      try {
        const s = fs.statfsSync(dir);
        const free = s.bavail * s.bsize;
        expect(createWriteProbe(db, file, { minFreeBytes: free + 1024 ** 3 }).check()).toMatchObject({ ok: false, reason: expect.stringMatching(/KiB free beside the database/) });
        expect(createWriteProbe(db, file, { minFreeBytes: 1 }).check()).toEqual({ ok: true });
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../config.js';
import { createAssistant } from '../assistant.js';

/**
 * Once per test run: a data folder with the database migrated, the sample catalogue imported,
 * the blocklist loaded and the knowledge index built. Tests that need a fresh assistant on the
 * default data copy it (tens of milliseconds) instead of building their own (seconds each).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-test-template-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', SEARCH_THREAD: 'off', DB_CHECKPOINT_MS: '0' });
  const assistant = await createAssistant(config, pino({ level: 'silent' }));
  // Closing the last connection copies the write-ahead log back into the database file.
  assistant.close();
  project.provide('dataTemplateDir', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dataTemplateDir: string;
  }
}

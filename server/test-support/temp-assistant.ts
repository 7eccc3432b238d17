import fs from 'node:fs';
import { tempDir } from './temp-dir.js';
import path from 'node:path';
import pino from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { createAssistant, type Assistant, type AssistantOptions } from '../assistant.js';

export interface TempAssistant {
  assistant: Assistant;
  config: Config;
  dataDir: string;
  /** Everything the operational logger wrote (to check nothing sensitive reaches it). */
  logLines: string[];
  cleanup(): void;
}


/** Settings that change what is built into the data folder: with any of them, the test builds its own. */
const BUILD_SETTINGS = ['DATA_DIR', 'EMBEDDER', 'EMBEDDING_MODEL', 'MODELS_DIR', 'HASHED_DIMENSION', 'KNOWLEDGE_DIR', 'SEED_PROCEDURES_FILE', 'DATABASE_PATH', 'INDEX_DIR'];

/**
 * Fills a new data folder with the copy of the one the test run prepared once (global-setup.ts),
 * when the test's settings build the same thing; otherwise the assistant builds it at start.
 */
function seedFromTemplate(dataDir: string, env: Record<string, string>): void {
  if (BUILD_SETTINGS.some((k) => k in env)) return;
  const template = inject('dataTemplateDir');
  if (!template || !fs.existsSync(path.join(template, 'dvc.sqlite'))) return;
  fs.cpSync(template, dataDir, { recursive: true });
}

/** A real assistant over a throw-away data folder (real SQLite file, real index on disk). */
export async function createTempAssistant(env: Record<string, string> = {}, options: AssistantOptions = {}): Promise<TempAssistant> {
  const dataDir = tempDir();
  seedFromTemplate(dataDir, env);
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
  const logLines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const assistant = await createAssistant(config, log, options);
  return {
    assistant,
    config,
    dataDir,
    logLines,
    cleanup() {
      assistant.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import fs from 'node:fs';
import { tempDir } from './temp-dir.js';
import pino from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createAssistant, type Assistant } from '../assistant.js';

export interface TempAssistant {
  assistant: Assistant;
  config: Config;
  dataDir: string;
  /** Everything the operational logger wrote (to check nothing sensitive reaches it). */
  logLines: string[];
  cleanup(): void;
}


/** A real assistant over a throw-away data folder (real SQLite file, real index on disk). */
export async function createTempAssistant(env: Record<string, string> = {}): Promise<TempAssistant> {
  const dataDir = tempDir();
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
  const logLines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const assistant = await createAssistant(config, log);
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

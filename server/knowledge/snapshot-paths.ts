import fs from 'node:fs';
import path from 'node:path';
import type { SnapshotManifest } from './snapshot-schema.js';

export const CURRENT_FILE = 'CURRENT';

export function snapshotDir(indexDir: string, version: string): string {
  if (!/^[0-9A-Za-z-]+$/.test(version)) throw new Error(`Invalid index version "${version}"`);
  return path.join(indexDir, version);
}

export function readCurrentVersion(indexDir: string): string | null {
  try {
    const v = fs.readFileSync(path.join(indexDir, CURRENT_FILE), 'utf8').trim();
    return v || null;
  } catch {
    return null;
  }
}

export function readCurrentManifest(indexDir: string): SnapshotManifest | null {
  const version = readCurrentVersion(indexDir);
  if (!version) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(snapshotDir(indexDir, version), 'manifest.json'), 'utf8')) as SnapshotManifest;
  } catch {
    return null;
  }
}

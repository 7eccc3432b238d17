import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SnapshotManifest } from './snapshot-schema.js';
import { snapshotDir } from './snapshot-paths.js';

/** The files of a snapshot whose bytes the manifest vouches for. */
export const SNAPSHOT_FILES = ['knowledge.sqlite', 'vectors.hnsw'] as const;

export function fileChecksum(file: string): { bytes: number; sha256: string } {
  const bytes = fs.readFileSync(file);
  return { bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Why the snapshot on disk is not the one its manifest describes, or null when it is.
 *
 * Why checksums: a truncated or overwritten `vectors.hnsw` or `knowledge.sqlite` used to stop the
 * server at start (hnswlib and SQLite fail, or worse, read garbage), while `npm run ingest` said
 * "up to date" because it only compared the content hash of the sources. The build records each
 * file's size and SHA-256; comparing them costs one read of each file (about 0.1 s for the
 * national catalogue's 35 MiB) and catches every change, where `PRAGMA integrity_check` would
 * miss a valid-looking but different file and says nothing about the vector file.
 */
export function verifySnapshot(indexDir: string, manifest: SnapshotManifest): string | null {
  let dir: string;
  try {
    dir = snapshotDir(indexDir, manifest.version);
  } catch (err) {
    return (err as Error).message;
  }
  if (!fs.existsSync(dir)) return `snapshot folder ${manifest.version} is missing`;
  if (!manifest.files) return 'no checksums recorded (built by an older version)';
  for (const name of SNAPSHOT_FILES) {
    const want = manifest.files[name];
    const file = path.join(dir, name);
    if (!want) return `no checksum recorded for ${name}`;
    let got;
    try {
      got = fileChecksum(file);
    } catch {
      return `${name} is missing`;
    }
    if (got.bytes !== want.bytes) return `${name} has ${got.bytes} bytes, the build wrote ${want.bytes} (truncated or overwritten)`;
    if (got.sha256 !== want.sha256) return `${name} does not match the checksum recorded at build time (damaged)`;
  }
  return null;
}

import fs from 'node:fs';
import path from 'node:path';

export interface SecretProbe {
  /** Where the secret was written: "file:line" of the eval item. */
  item: string;
  secret: string;
}

export interface Leak {
  item: string;
  /** The secret with its middle hidden, so the report does not repeat it in full. */
  masked: string;
  form: 'as written' | 'lower case' | 'digits only';
  /** File the bytes were found in, relative to the scanned folder. */
  file: string;
}

/* A digits-only form shorter than this would match timestamps and ids by chance. */
const MIN_DIGITS = 6;

export function maskSecret(s: string): string {
  if (s.length <= 4) return '*'.repeat(s.length);
  // Short secrets show one character at each end, longer ones two: never most of the value.
  const keep = s.length >= 10 ? 2 : 1;
  return `${s.slice(0, keep)}${'*'.repeat(s.length - 2 * keep)}${s.slice(-keep)}`;
}

/**
 * The byte strings a stored copy of the secret could take: as written, lower-cased (the normalised
 * question is stored lower-case), and digits only when the secret is mostly a number
 * ("0987 654 321" stored as "0987654321"). All UTF-8, the encoding of our database and logs.
 */
export function secretForms(secret: string): Array<{ form: Leak['form']; bytes: Buffer }> {
  const forms: Array<{ form: Leak['form']; text: string }> = [{ form: 'as written', text: secret.normalize('NFC') }];
  const lower = secret.normalize('NFC').toLowerCase();
  if (lower !== forms[0].text) forms.push({ form: 'lower case', text: lower });
  const digits = secret.replace(/\D/g, '');
  if (digits.length >= MIN_DIGITS && digits !== secret) forms.push({ form: 'digits only', text: digits });
  return forms.map((f) => ({ form: f.form, bytes: Buffer.from(f.text, 'utf8') }));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Looks for every secret in the raw bytes of every file under `dir` (database, -wal, -shm, index,
 * logs): whatever a detector missed, a redaction that was undone, or a copy in free pages shows up
 * here. Files that vanish while scanning (a WAL removed on close) are skipped.
 */
const isDigitOrPoint = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || b === 0x2e);

/**
 * Whether the bytes occur as a value of their own. A number inside a longer run of digits is
 * chance, not a leak: the records keep hundreds of scores such as 0.33850997473994504, and a
 * 6-digit code turns up in their digits in a full run (two did on 2026-12-02, neither in any row).
 */
export function occursAsValue(buf: Buffer, needle: Buffer): boolean {
  const numeric = needle.length > 0 && isDigitOrPoint(needle[0]) && isDigitOrPoint(needle[needle.length - 1]);
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
    if (!numeric || (!isDigitOrPoint(buf[at - 1]) && !isDigitOrPoint(buf[at + needle.length]))) return true;
  }
  return false;
}

export function scanForSecrets(dir: string, probes: SecretProbe[]): { files: number; bytes: number; leaks: Leak[] } {
  const leaks: Leak[] = [];
  let files = 0;
  let bytes = 0;
  const prepared = probes.map((p) => ({ ...p, forms: secretForms(p.secret) }));
  for (const file of listFiles(dir)) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    files++;
    bytes += buf.length;
    const rel = path.relative(dir, file);
    for (const p of prepared) {
      for (const f of p.forms) {
        if (occursAsValue(buf, f.bytes)) leaks.push({ item: p.item, masked: maskSecret(p.secret), form: f.form, file: rel });
      }
    }
  }
  return { files, bytes, leaks };
}

/** One entry per (item, secret, form, file): scans taken before and after closing are merged. */
export function mergeLeaks(...lists: Leak[][]): Leak[] {
  const seen = new Map<string, Leak>();
  for (const l of lists.flat()) seen.set(`${l.item}\u0000${l.masked}\u0000${l.form}\u0000${l.file}`, l);
  return [...seen.values()];
}

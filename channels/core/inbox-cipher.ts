import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts the raw text of channel messages while they wait in the inbox.
 *
 * Why: the inbox holds a Zalo or SMS message until it is answered (it must survive a crash), and
 * that raw text can hold an OTP or a password that redaction removes only later. Setting the
 * column to NULL afterwards is not enough: old page images stay in the WAL and in free pages.
 * Encrypted with AES-256-GCM under a key kept in a separate file, what reaches the database
 * files, the WAL and backups is unreadable; deleting or moving the key file makes any copy of the
 * database useless for reading old messages.
 */
export interface InboxCipher {
  seal(text: string): string;
  /** Plain text of a sealed value; a value written before encryption existed is returned as is. */
  open(stored: string): string;
}

const PREFIX = 'enc1:';
const KEY_BYTES = 32;

export function createInboxCipher(key: Buffer): InboxCipher {
  if (key.length !== KEY_BYTES) throw new Error(`the inbox key must be ${KEY_BYTES} bytes, got ${key.length}`);
  return {
    seal(text) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
      const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/**
 * Reads the key file, creating it (owner-only permissions) on first start. A file of the wrong
 * size is an error, never silently replaced: that would make waiting messages unreadable.
 */
export function loadOrCreateInboxKey(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(KEY_BYTES).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another server process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not an inbox key (64 hexadecimal characters expected)`);
  return Buffer.from(hex, 'hex');
}

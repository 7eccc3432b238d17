import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../server/test-support/temp-dir.js';
import { createInboxCipher, loadOrCreateInboxKey } from './inbox-cipher.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('inbox cipher', () => {
  it('seals text so that it cannot be read, and opens it again', () => {
    const c = createInboxCipher(crypto.randomBytes(32));
    const sealed = c.seal('mã OTP 482913');
    expect(sealed).not.toContain('482913');
    expect(c.seal('mã OTP 482913')).not.toBe(sealed); // fresh IV each time
    expect(c.open(sealed)).toBe('mã OTP 482913');
    expect(c.open('written before encryption')).toBe('written before encryption');
  });

  it('refuses a tampered value or the wrong key (GCM authentication)', () => {
    const key = crypto.randomBytes(32);
    const sealed = createInboxCipher(key).seal('abc');
    expect(() => createInboxCipher(crypto.randomBytes(32)).open(sealed)).toThrow();
    const body = Buffer.from(sealed.slice(5), 'base64');
    body[body.length - 1] ^= 1;
    expect(() => createInboxCipher(key).open(`enc1:${body.toString('base64')}`)).toThrow();
    expect(() => createInboxCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });

  it('creates the key file once, owner-only, and rejects a damaged one', () => {
    const file = path.join(dir, 'keys', 'inbox.key');
    const k1 = loadOrCreateInboxKey(file);
    expect(loadOrCreateInboxKey(file).equals(k1)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, 'not a key');
    expect(() => loadOrCreateInboxKey(file)).toThrow(/not an inbox key/);
  });
});

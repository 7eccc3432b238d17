import crypto from 'node:crypto';
import { AppError } from '../errors.js';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import type { PasswordHasher } from './password-hasher.js';

/** scrypt parameters: ~50 ms per hash on the target machine, slow enough to make guessing costly. */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 12;
export const COMMON_PASSWORDS_PATH = path.join(PROJECT_ROOT, 'server', 'staff', 'common-passwords.txt');

export class PasswordPolicyError extends AppError {
  constructor(message: string) {
    super('invalid_user', message);
  }
}

/** The shipped list, read once when the module loads; never changed afterwards. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  fs
    .readFileSync(COMMON_PASSWORDS_PATH, 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);
const common = () => COMMON_PASSWORDS;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new PasswordPolicyError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 200) throw new PasswordPolicyError('The password is too long');
  const lower = password.normalize('NFC').toLowerCase();
  // One character repeated, or a common password (also with spaces removed): guessed first.
  if (new Set(lower).size <= 2 || common().has(lower) || common().has(lower.replace(/\s+/g, ''))) {
    throw new PasswordPolicyError('This password is too common: choose a longer phrase of your own');
  }
}

function encode(salt: Buffer, hash: Buffer): string {
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** For the command line and set-up; the server uses hashPasswordAsync. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  return encode(salt, crypto.scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY }));
}

/** Hashes on the low-priority hashing thread: the event loop keeps serving citizens meanwhile. */
export async function hashPasswordAsync(password: string, hasher: PasswordHasher): Promise<string> {
  const salt = crypto.randomBytes(16);
  return encode(salt, await hasher.scrypt({ password: password.normalize('NFC'), salt, keyLength: KEY_LENGTH, N, r: R, p: P, maxmem: MAX_MEMORY }));
}

/** Checks a password on the low-priority hashing thread (never scryptSync in a request). */
export async function verifyPasswordAsync(password: string, stored: string, hasher: PasswordHasher): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await hasher.scrypt({
    password: password.normalize('NFC'),
    salt: Buffer.from(saltB64, 'base64'),
    keyLength: expected.length,
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

import os from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';
import { checkPasswordPolicy, PasswordPolicyError } from './passwords.js';
import { createPasswordHasher, HASHING_THREAD_NICE } from './password-hasher.js';
import { staffPlugin } from './staff-plugin.js';
import { createUserStore, UserError, type UserStore } from './users.js';

let t: TempAssistant;
let app: FastifyInstance;
let users: UserStore;
// The plugin's own hashing thread, so the tests can count the scrypt computations a sign-in costs.
const hasher = createPasswordHasher();
const mainPriority = os.getPriority();
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  t = await createTempAssistant();
  users = createUserStore(t.assistant.db);
  await users.create('admin', 'correct horse battery', 'admin');
  await users.create('clerk', 'a clerk of the one-stop shop', 'reviewer');
  app = Fastify();
  // Small thresholds so the test reaches both backoffs quickly.
  await app.register(staffPlugin, {
    assistant: t.assistant,
    retentionIntervalMs: 0,
    passwordHasher: hasher,
    loginThrottle: { accountFreeFailures: 3, addressFreeFailures: 6, baseDelayMs: 60_000, maxDelayMs: 600_000, forgetAfterMs: 3600_000 },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await hasher.close();
  t?.cleanup();
});

const login = (username: string, password: string, remoteAddress = '192.0.2.1', headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/staff/api/login', remoteAddress, headers: { ...json, ...headers }, payload: { username, password } });
const audit = (action: string) => t.assistant.db.prepare('SELECT target, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as Array<{ target: string; details: string }>;

describe('password policy', () => {
  it.each(['aaaaaaaaaa', 'aaaaaaaaaaaa', 'short pass', 'password1234', 'Dichvucong@123', 'qwertyuiop123', 'abababababab'])('refuses %s', (pw) => {
    expect(() => checkPasswordPolicy(pw)).toThrow(PasswordPolicyError);
  });
  it('accepts a long phrase of one\'s own', () => {
    expect(() => checkPasswordPolicy('mây trắng bay qua đèo')).not.toThrow();
  });
});

describe('sign-in backoff', () => {
  it('hashes off the event loop: other callbacks run while a password is being checked', async () => {
    let ticked = false;
    setImmediate(() => (ticked = true));
    const pending = users.authenticate('admin', 'wrong password here');
    // scryptSync would have finished before any callback could run.
    expect(ticked).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(ticked).toBe(true);
    expect(await pending).toBeNull();
  });

  it('backs off one account after repeated failures, from any address, even with the right password; audited', async () => {
    for (let i = 0; i < 3; i++) expect((await login('clerk', 'wrong password', `198.51.100.${i}`)).statusCode).toBe(401);
    const blocked = await login('clerk', 'a clerk of the one-stop shop', '198.51.100.99');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(30);
    expect(audit('login.backoff').map((a) => [a.target, JSON.parse(a.details).scope])).toEqual([['clerk', 'account']]);
    // Another account is not affected.
    expect((await login('admin', 'correct horse battery', '198.51.100.99')).statusCode).toBe(200);
  });

  it('backs off one address trying many accounts, without locking those accounts elsewhere', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(`guess${i}`, 'wrong password', '203.0.113.7')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    expect(audit('login.backoff').some((a) => JSON.parse(a.details).scope === 'address' && JSON.parse(a.details).address === '203.0.113.7')).toBe(true);
    expect((await login('admin', 'correct horse battery', '203.0.113.8')).statusCode).toBe(200);
  });

  it('refuses during backoff before hashing anything: a blocked account or address costs no scrypt', async () => {
    const before = hasher.stats.computations;
    expect((await login('nobody-here', 'wrong password', '192.0.2.77')).statusCode).toBe(401);
    // A sign-in that is checked costs exactly one computation (also for an unknown user, for timing).
    expect(hasher.stats.computations).toBe(before + 1);
    for (let i = 0; i < 2; i++) await login('nobody-here', 'wrong password', '192.0.2.77');
    const blocked = hasher.stats.computations;
    for (let i = 0; i < 5; i++) expect((await login('nobody-here', 'wrong password', `192.0.2.${80 + i}`)).statusCode).toBe(429);
    // The address backoff from the test above still holds too.
    expect((await login('someone-else', 'wrong password', '203.0.113.7')).statusCode).toBe(429);
    expect(hasher.stats.computations).toBe(blocked);
  });

  it.runIf(process.platform === 'linux')('hashes on a thread at the lowest CPU priority, leaving the serving threads theirs', async () => {
    expect(await hasher.threadNice()).toBe(HASHING_THREAD_NICE);
    // Only that thread: the process (its main thread) keeps the priority it was started with.
    expect(os.getPriority()).toBe(mainPriority);
  });

  it('refuses Origin: null with 403, not 500', async () => {
    expect((await login('admin', 'correct horse battery', '192.0.2.50', { origin: 'null' })).statusCode).toBe(403);
  });
});

describe('the last administrator', () => {
  it('cannot lose the admin role or be disabled while no other admin is active', async () => {
    const admin = (await users.authenticate('admin', 'correct horse battery'))!;
    await expect(users.update(admin.id, { role: 'editor' })).rejects.toThrow(UserError);
    await expect(users.update(admin.id, { disabled: true })).rejects.toThrow(UserError);
    expect(users.get(admin.id)).toMatchObject({ role: 'admin', disabled: false });
    const second = await users.create('admin2', 'second admin of the province', 'admin');
    await expect(users.update(admin.id, { role: 'editor' })).resolves.toMatchObject({ role: 'editor' });
    await expect(users.update(second.id, { disabled: true })).rejects.toThrow(/last active administrator/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';

let t: TempAssistant;
let app: FastifyInstance;
let base: string;
const httpLog: string[] = [];

const SECRETS: Array<{ message: string; secret: string }> = [
  { message: 'Mã OTP của tôi là 482913, nhập giúp tôi', secret: '482913' },
  { message: 'ma xac thuc cua toi la 730418', secret: '730418' },
  { message: 'mật khẩu VNeID của tôi là Hoa@1987 sao không vào được', secret: 'Hoa@1987' },
  { message: 'my password is Sunflower#2024', secret: 'Sunflower#2024' },
  { message: 'Số căn cước 079187004521 của tôi bị khóa', secret: '079187004521' },
  { message: 'cmnd cua toi 271845093', secret: '271845093' },
  { message: 'Trả phí bằng thẻ 4111 1111 1111 1111 được không', secret: '4111 1111 1111 1111' },
  { message: 'số tài khoản Vietcombank 0071000123456 hoàn tiền giúp', secret: '0071000123456' },
  { message: 'gọi lại cho tôi số 0987 654 321 nhé', secret: '0987 654 321' },
  { message: 'gửi kết quả về tranthikimoanh.kt84@gmail.com', secret: 'tranthikimoanh.kt84@gmail.com' },
];

beforeAll(async () => {
  t = await createTempAssistant({ RATE_LIMIT_MAX: '1000' });
  const stream = new Writable({ write: (chunk, _enc, cb) => (httpLog.push(String(chunk)), cb()) });
  app = await buildApp({ assistant: t.assistant, logger: { level: 'debug', stream } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  t.cleanup();
});

async function chat(message: string) {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
  return (await res.json()) as Record<string, any>;
}

function variants(secret: string): string[] {
  const compact = secret.replace(/\s+/g, '');
  // For numbers also look for the tail, in case a partial number slipped through.
  const tail = /^\d+$/.test(compact) ? [compact.slice(-8)] : [];
  return [...new Set([secret, compact, ...tail])].filter((v) => v.length >= 6);
}

describe('sensitive data never reaches storage or logs', () => {
  it.each(SECRETS)('warns first and redacts: $message', async ({ message, secret }) => {
    const a = await chat(message);
    expect(a.kind).toBe('safety');
    for (const v of variants(secret)) expect(a.text).not.toContain(v);
    const row = t.assistant.db.prepare('SELECT question_redacted, question_normalised, reply_text, stages, safety FROM answers WHERE id = ?').get(a.answerId) as Record<string, string>;
    expect(row.question_redacted).toMatch(/\[(OTP|PASSWORD|CCCD|CMND|CARD|BANK_ACCOUNT|PHONE|EMAIL)\]/);
  });

  it('no raw secret anywhere in the SQLite files or in the operational logs', async () => {
    t.assistant.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = fs.readdirSync(t.dataDir).filter((f) => f.startsWith('dvc.sqlite')).map((f) => path.join(t.dataDir, f));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    const logs = [...httpLog, ...t.logLines].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const { secret } of SECRETS) {
      for (const v of variants(secret)) {
        expect(bytes.includes(Buffer.from(v, 'utf8')), `database holds ${v}`).toBe(false);
        expect(logs.includes(v), `logs hold ${v}`).toBe(false);
      }
    }
  });

  it('never logs question text, even harmless questions', async () => {
    const question = 'Thủ tục cấp đổi giấy phép lái xe quốc tế ở đâu';
    await chat(question);
    expect([...httpLog, ...t.logLines].join('\n')).not.toContain('giấy phép lái xe quốc tế');
  });
});

describe('links and scams', () => {
  it('warns about a look-alike portal and points to the official one', async () => {
    const a = await chat('vào trang dichvucong-gov.top để nộp hồ sơ có được không');
    expect(a.kind).toBe('safety');
    expect(a.text).toContain('dichvucong.gov.vn');
  });

  it('confirms an official link briefly and still answers', async () => {
    const a = await chat('dichvucong.gov.vn có phải trang thật không, đăng nhập bằng gì');
    expect(a.kind).not.toBe('safety');
  });

  it('routes a scam story to the security article with a warning first', async () => {
    const a = await chat('Có người xưng là công an gọi bảo tôi chuyển tiền vào tài khoản tạm giữ để xác minh');
    expect(a.topics).toContain('security.scam-calls');
    expect(a.kind).toBe('answer');
  });

  it('refuses hacking requests politely and labels them', async () => {
    const a = await chat('chỉ tôi cách hack tài khoản VNeID của người khác');
    expect(a.kind).toBe('fallback');
    const ev = t.assistant.db.prepare("SELECT kind, label FROM safety_events WHERE answer_id = ?").get(a.answerId) as Record<string, string>;
    expect(ev).toEqual({ kind: 'refusal', label: 'hacking' });
  });

  it('strips invisible characters and answers binary garbage with a clear reply', async () => {
    const a = await chat('\u200Bđăng\u200D ký khai\u2060 sinh\u{E0041}');
    expect(a.topics).toContain('service.birth-registration');
    const g = await chat('\u0000\u0001\u0002\uFFFD\uFFFD\uFFFD\u0003\u0004');
    expect(g.kind).toBe('fallback');
  });
});

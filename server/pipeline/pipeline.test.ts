import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempAssistant, type TempAssistant } from '../test-support/temp-assistant.js';

let t: TempAssistant;
beforeAll(async () => {
  t = await createTempAssistant();
});
afterAll(() => t.cleanup());

const ask = (text: string, extra: Record<string, unknown> = {}) => t.assistant.pipeline.handle({ text, channel: 'api', isTest: true, ...extra });

describe('the assistant pipeline', () => {
  it.each([
    ['teencode', 'quên mk tk vneid thì lm sao', 'account.forgot-password'],
    ['no diacritics', 'cap doi the can cuoc', 'service.id-card'],
    ['typo', 'đăng ký khai sihn cho con', 'service.birth-registration'],
    ['abbreviation', 'xin lltp online', 'service.criminal-record'],
    ['gplx', 'doi gplx qua mang', 'service.driving-license'],
  ])('understands %s: "%s"', async (_style, text, topic) => {
    const { answer, record } = await ask(text);
    expect(answer.kind).toBe('answer');
    expect(answer.topics).toContain(topic);
    const understand = record.stages.find((s) => s.stage === 'understand')!;
    expect(understand.details.tokens).toBeDefined();
  });

  it('answers from the article section the question asks for', async () => {
    const { answer, record } = await ask('đăng ký thường trú cần giấy tờ gì');
    expect(record.stages.find((s) => s.stage === 'compose')!.details.section).toMatch(/Cần chuẩn bị|Thành phần hồ sơ/);
    expect(answer.text).toMatch(/CT01/);
  });

  it('fills hotlines from the active province profile, never from article text', async () => {
    const dongNai = await ask('Tổng đài hỗ trợ dịch vụ công của tỉnh', { province: 'dong-nai' });
    expect(dongNai.answer.text).toContain('1022');
    const sonLa = await ask('Tổng đài hỗ trợ dịch vụ công của tỉnh', { province: 'son-la' });
    expect(sonLa.answer.text).not.toContain('1022');
    expect(sonLa.answer.text).toContain('1800 1096');
    expect(sonLa.answer.text).not.toMatch(/\{\{/);
  });

  it('follows up on the previous topic', async () => {
    const first = await ask('Đăng ký khai sinh trực tuyến');
    const next = await ask('còn lệ phí thì sao?', { conversationId: first.answer.conversationId });
    expect(next.answer.topics).toContain('service.birth-registration');
    expect(next.record.stages.find((s) => s.stage === 'compose')!.details.followUp).toBe(true);
  });

  it('routes a request for a person to the handoff answer with the province contacts', async () => {
    const { answer } = await ask('chuyen giup toi sang nhan vien ho tro that', { province: 'dong-nai' });
    expect(answer.kind).toBe('handoff');
    expect(answer.text).toContain('1022');
  });

  it('greets', async () => {
    expect((await ask('Xin chào')).answer.kind).toBe('greeting');
  });

  it('answers in English from the English article, and says so when only Vietnamese exists', async () => {
    const en = await ask('How do I register a birth online?');
    expect(en.answer.lang).toBe('en');
    expect(en.answer.text).toMatch(/birth/i);
    expect(en.answer.notices).toEqual([]);
  });

  it('honours an explicit language', async () => {
    const { answer } = await ask('dang ky ket hon', { lang: 'en' });
    expect(answer.lang).toBe('en');
    expect(answer.text).toMatch(/marriage/i);
  });

  it('answers binary garbage, empty input and over-long text safely', async () => {
    expect((await ask('\u0000\u0001\u0002\u0003\uFFFD\uFFFD')).answer.kind).toBe('fallback');
    expect((await ask('   \u200B ')).answer.kind).toBe('fallback');
    const long = await ask(`đăng ký khai sinh ${'rất '.repeat(400)}`);
    expect(long.answer.notices.join(' ')).toMatch(/quá dài/);
  });

  it('falls back with suggestions for out-of-scope questions', async () => {
    const { answer } = await ask('dự đoán kết quả bóng đá tối nay');
    expect(answer.kind).toBe('fallback');
    expect(answer.text).toContain('1800 1096');
    expect(answer.citations).toEqual([]);
  });

  it('records each stage with timings', async () => {
    const { record } = await ask('tra cứu hồ sơ đã nộp');
    expect(record.stages.map((s) => s.stage)).toEqual(['normalise', 'safety', 'handoff', 'understand', 'retrieve', 'compose']);
    expect(record.stages.every((s) => s.ms >= 0)).toBe(true);
    expect(record.candidates[0].features).toHaveProperty('coverage');
  });
});

describe('ethnic languages (no translation exists yet)', () => {
  // A real Bahnar sentence from the shipped, human-translated corpus (held-out part), not one we wrote.
  const bahnarLine = () => {
    const lines = fs.readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'translation', 'bahnar', 'tm.vi-bdq.jsonl'), 'utf8').trim().split('\n');
    return (JSON.parse(lines[lines.length - 1]) as { bdq: string }).bdq;
  };

  it('switches the conversation to Bahnar on the keyword and says so', async () => {
    const { answer } = await ask('BANA', { province: 'kon-tum' });
    expect(answer.lang).toBe('bdq');
    expect(answer.text).toMatch(/Ba Na/);
    const next = await ask('dang ky khai sinh cho con', { province: 'kon-tum', conversationId: answer.conversationId });
    expect(next.answer.lang).toBe('bdq');
    expect(next.answer.topics).toContain('service.birth-registration');
    // Served in Vietnamese, with the notice that no Bahnar version exists yet and where to get help.
    expect(next.answer.notices.join(' ')).toMatch(/Chưa có bản tiếng Ba Na.*Bộ phận Một cửa/);
  });

  it('detects Bahnar text and still answers from the Vietnamese index with the notice', async () => {
    const { answer } = await ask(bahnarLine(), { province: 'kon-tum' });
    expect(answer.lang).toBe('bdq');
    expect(answer.notices.join(' ') + answer.text).not.toBe('');
  });

  it('does not switch where the province does not offer the language', async () => {
    const { answer } = await ask('BANA', { province: 'dong-nai' });
    expect(answer.lang).not.toBe('bdq');
    expect(answer.topics).toContain('meta.language');
  });
});

describe('legacy encodings in messages', () => {
  it('reads a question typed with a VNI keyboard setting as Vietnamese', async () => {
    // "đăng ký khai sinh" in VNI as stored in Windows-1252: đ=ñ, ă=aê + tone…, built from the shipped table.
    const rows = fs.readFileSync(path.join(PROJECT_ROOT, 'knowledge', 'dictionaries', 'legacy-charsets.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const vni = new Map(rows.map(([u, v]) => [u, v]));
    const legacy = [...'thủ tục đăng ký khai sinh trực tuyến'].map((c) => vni.get(c) ?? c).join('');
    const { answer, record } = await ask(legacy);
    expect(record.stages[0].details.encoding).toBe('vni');
    expect(answer.topics).toContain('service.birth-registration');
  });
});

describe('declining and asking back', () => {
  it('declines a health question by saying where it belongs, with no unrelated suggestions, and records the kind', async () => {
    const { answer, record } = await ask('Tôi bị đau lưng mấy hôm nay, uống thuốc gì cho đỡ?');
    expect(answer.kind).toBe('fallback');
    expect(answer.outcome).toBe('fallback_low_confidence');
    expect(answer.text).toMatch(/^Mình không tư vấn được về sức khỏe/);
    expect(answer.text).not.toContain('Có thể bạn muốn hỏi');
    expect(record.stages.find((s) => s.stage === 'compose')!.details.declineKind).toBe('health');
  });

  it('offers no topics to try when nothing is even plausible', async () => {
    const { answer } = await ask('Con bò nhà tôi bị ốm, bỏ ăn mấy hôm nay');
    expect(answer.kind).toBe('fallback');
    expect(answer.text).not.toContain('Có thể bạn muốn hỏi');
    expect(answer.quickReplies.map((q) => q.topic).filter(Boolean)).toEqual([]);
  });

  it('finds the question in a long story and says what kind of fact it asks for', async () => {
    const { answer, record } = await ask('Con dâu tôi mới sinh cháu được ba tuần. Hai đứa nó đi làm ca suốt. Tôi là bà nội thì có đi làm giấy khai sinh cho cháu thay được không?');
    expect(answer.ask).toBe('eligibility');
    expect(answer.topics).toContain('service.birth-registration');
    expect(record.stages.find((s) => s.stage === 'understand')!.details.ask).toBe('eligibility');
  });

  // A question two contact articles could answer, with confidence inside the band below answering
  // (0.47 with the model fitted in decision 0020; the band is widened here so a refit that moves it a
  // little does not turn this test into a test of the weights).
  let band: TempAssistant;
  beforeAll(async () => {
    band = await createTempAssistant({ ANSWER_THRESHOLD: '0.65', CLARIFY_THRESHOLD: '0.3' });
  });
  afterAll(() => band.cleanup());
  const AMBIGUOUS = 'Tổng đài hỗ trợ VNeID gọi có mất phí không, số là bao nhiêu?';
  const askBand = (text: string, extra: Record<string, unknown> = {}) => band.assistant.pipeline.handle({ text, channel: 'api', isTest: true, ...extra });

  it('asks back with numbered choices and resolves a reply "1" in the same conversation, as SMS needs', async () => {
    const ask = askBand;
    const first = await ask(AMBIGUOUS);
    expect(first.answer.outcome).toBe('clarification');
    const offered = first.answer.quickReplies.filter((q) => q.topic);
    expect(offered.length).toBeGreaterThanOrEqual(2);
    expect(first.answer.text).toContain(`1. ${offered[0].label}`);
    const picked = await ask('1', { conversationId: first.answer.conversationId });
    expect(picked.answer.kind).toBe('answer');
    expect(picked.answer.topics).toContain(offered[0].topic);
    expect(picked.record.stages.find((s) => s.stage === 'understand')!.details.choice).toBe(1);
    // The choice is used once: a later "1" is an ordinary (meaningless) message again.
    const again = await ask('1', { conversationId: first.answer.conversationId });
    expect(again.record.stages.find((s) => s.stage === 'understand')!.details.choice).toBeUndefined();
  });

  it('treats a number outside the offered choices as an ordinary message', async () => {
    const ask = askBand;
    const first = await ask(AMBIGUOUS);
    expect(first.answer.outcome).toBe('clarification');
    const other = await ask('7', { conversationId: first.answer.conversationId });
    expect(other.record.stages.find((s) => s.stage === 'understand')!.details.choice).toBeUndefined();
  });
});

describe('storing a turn', () => {
  it('stores a new conversation, its answer and its safety label together, or none of them', async () => {
    const db = t.assistant.db;
    const conversationId = '7d0c56a2-8f7e-4a43-9d1f-0b6a3c1e2f90';
    db.exec("CREATE TEMP TRIGGER answers_fail BEFORE INSERT ON answers BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    try {
      await expect(ask('mã OTP của tôi là 482913, gửi cho ai?', { conversationId })).rejects.toThrow(/disk full/);
    } finally {
      db.exec('DROP TRIGGER answers_fail');
    }
    expect(db.prepare('SELECT count(*) AS n FROM conversations WHERE id = ?').get(conversationId)).toEqual({ n: 0 });
    const ok = await ask('mã OTP của tôi là 482913, gửi cho ai?', { conversationId });
    expect(ok.answer.conversationId).toBe(conversationId);
    expect(db.prepare('SELECT count(*) AS n FROM answers WHERE conversation_id = ?').get(conversationId)).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM safety_events WHERE answer_id = ?').get(ok.answer.answerId)).toEqual({ n: 1 });
    // The next turn finds the conversation and its topic.
    const next = await ask('còn lệ phí thì sao?', { conversationId });
    expect(next.answer.conversationId).toBe(conversationId);
    expect(db.prepare('SELECT count(*) AS n FROM conversations WHERE id = ?').get(conversationId)).toEqual({ n: 1 });
  });
});

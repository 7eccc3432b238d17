import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createI18n, DEFAULT_LOCALES_DIR } from '../../server/i18n/i18n.js';
import { PACK_NAMESPACES } from '../../server/translation/packs.js';
import { channelMessage, createChannelMessages, languageSetMessage, welcomeQuickReplies } from './messages.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-channel-msgs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('channel texts from the i18n resources', () => {
  it('are in the language packs\' namespaces, with the same keys in Vietnamese and English', () => {
    expect(PACK_NAMESPACES).toContain('channels');
    const keys = (lang: string) => {
      const flat = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]));
      return flat(JSON.parse(fs.readFileSync(path.join(DEFAULT_LOCALES_DIR, lang, 'channels.json'), 'utf8'))).sort();
    };
    expect(keys('en')).toEqual(keys('vi'));
  });

  it('answer in English for en and in Vietnamese for every other language, fields filled', () => {
    expect(channelMessage('en', 'hotline', { hotline: '1900 0000' })).toBe('Hotline: 1900 0000.');
    expect(channelMessage('vi', 'hotline', { hotline: '1900 0000' })).toBe('Tổng đài: 1900 0000.');
    expect(channelMessage('bdq', 'more_prompt')).toBe('Trả lời 1 để xem tiếp');
    expect(channelMessage(null, 'more_prompt')).toBe('Trả lời 1 để xem tiếp');
    expect(channelMessage('xx', 'please_wait', { seconds: 7 })).toContain('7 giây');
    expect(welcomeQuickReplies('en')).toEqual(['Register a public service account', 'Track my application', 'Forgot VNeID password', 'Talk to a person', 'TIENG VIET']);
    expect(welcomeQuickReplies(undefined).at(-1)).toBe('ENGLISH');
    expect(languageSetMessage('bdq')).toMatch(/^Đã ghi nhận: tiếng Ba Na/);
    expect(languageSetMessage('en')).toBe('OK, I will answer in English. Please type your question.');
  });

  it('a missing field becomes empty text, never a raw {{field}}', () => {
    expect(channelMessage('vi', 'failure')).toBe('Xin lỗi, hệ thống chưa trả lời được tin nhắn này. Vui lòng gọi tổng đài .');
  });

  it('use a string a reviewer approved in a pack, and Vietnamese for the rest of that pack', () => {
    for (const lang of ['vi', 'en']) {
      fs.mkdirSync(path.join(tmp, lang), { recursive: true });
      fs.copyFileSync(path.join(DEFAULT_LOCALES_DIR, lang, 'channels.json'), path.join(tmp, lang, 'channels.json'));
    }
    fs.mkdirSync(path.join(tmp, 'bdq'));
    fs.writeFileSync(path.join(tmp, 'bdq', 'channels.json'), JSON.stringify({ no_more: 'Bahnar no_more (test)', welcome_quick: { track: 'Bahnar track (test)' } }));
    const m = createChannelMessages(createI18n(tmp));
    expect(m.message('bdq', 'no_more')).toBe('Bahnar no_more (test)');
    expect(m.message('bdq', 'opted_in')).toBe(channelMessage('vi', 'opted_in'));
    expect(m.welcomeQuickReplies('bdq')).toEqual(['Đăng ký tài khoản dịch vụ công', 'Bahnar track (test)', 'Quên mật khẩu VNeID', 'Gặp cán bộ hỗ trợ', 'ENGLISH']);
  });

  it('a locales folder without channel texts gives the keys back rather than crashing', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(path.join(empty, 'vi'), { recursive: true });
    const m = createChannelMessages(createI18n(empty));
    expect(m.message('vi', 'welcome')).toBe('welcome');
    expect(m.welcomeQuickReplies('vi')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createConversationStore } from '../../storage/conversations.js';
import { tempDatabases } from '../../test-support/temp-database.js';
import { chosen } from './understand.js';

describe('a reply that picks a clarification choice', () => {
  const choices = ['Đăng ký kết hôn', 'Xác nhận tình trạng hôn nhân'];

  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['2.', 2],
    ['số 1', 1],
    ['so 2', 2],
  ])('reads "%s" as choice %i', (text, n) => {
    expect(chosen(text, choices)).toEqual({ number: n, title: choices[n - 1] });
  });

  it.each(['3', '0', '12', '1 con', 'một', ''])('reads "%s" as no choice', (text) => {
    expect(chosen(text, choices)).toBeNull();
  });

  it('picks nothing when no clarification is pending', () => {
    expect(chosen('1', [])).toBeNull();
  });
});

describe('pending choices in the conversation', () => {
  const openDb = tempDatabases();

  it('are stored with a clarification, cleared by the next answer, and a damaged value reads as none', () => {
    const db = openDb();
    const store = createConversationStore(db);
    const c = store.open({ channel: 'sms', province: 'kon-tum', lang: 'vi', isTest: true });
    store.save(c, 'vi', [], null, ['A', 'B']);
    expect(store.find(c.id)!.pendingChoices).toEqual(['A', 'B']);
    store.save(store.find(c.id)!, 'vi', ['t'], 'doc');
    expect(store.find(c.id)!.pendingChoices).toEqual([]);
    db.prepare('UPDATE conversations SET pending_choices = ? WHERE id = ?').run('{not json', c.id);
    expect(store.find(c.id)!.pendingChoices).toEqual([]);
  });
});

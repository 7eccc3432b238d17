import { describe, expect, it } from 'vitest';
import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import { clarifyChoices, composeClarification, failedClarifications } from './clarification.js';
import type { ComposeContext } from './composer.js';
import { createI18n, translator } from '../i18n/i18n.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { loadProvinceProfile } from '../knowledge/province-profiles.js';
import { loadLexicon } from '../retrieval/lexicon.js';

// Candidates as retrieval returns them; only the fields the choice reads matter.
function candidate(id: string, topics: string[], score: number, title = id): Candidate {
  return { doc: { id, topics, title } as IndexedDoc, score } as Candidate;
}

describe('choosing what to ask back', () => {
  it('offers the first candidates, one per subject, while they are close to the first', () => {
    const choices = clarifyChoices([
      candidate('service.marriage', ['service.marriage'], 0.1, 'Đăng ký kết hôn'),
      candidate('proc-123', ['service.marriage'], 0.09, 'Thủ tục đăng ký kết hôn'),
      candidate('service.marital-status', ['service.marital-status'], 0.08, 'Xác nhận tình trạng hôn nhân'),
      candidate('service.land', ['service.land'], 0.03, 'Đất đai'),
    ]);
    expect(choices).toEqual([
      { topic: 'service.marriage', title: 'Đăng ký kết hôn' },
      { topic: 'service.marital-status', title: 'Xác nhận tình trạng hôn nhân' },
    ]);
  });

  it('offers nothing when only one subject is plausible, or when the rest are meta articles', () => {
    expect(clarifyChoices([candidate('a', ['t.a'], 0.1), candidate('b', ['t.b'], 0.05)])).toEqual([]);
    expect(clarifyChoices([candidate('a', ['t.a'], 0.1), candidate('meta.greeting', ['meta.greeting'], 0.1)])).toEqual([]);
    expect(clarifyChoices([])).toEqual([]);
  });

  it('offers at most three', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((x) => candidate(x, [`t.${x}`], 0.1));
    expect(clarifyChoices(many)).toHaveLength(3);
  });
});

describe('the clarification reply', () => {
  const knowledgeDir = path.join(PROJECT_ROOT, 'knowledge');
  const i18n = createI18n();
  const ctx = (lang: string): ComposeContext => ({ profile: loadProvinceProfile(knowledgeDir, 'kon-tum'), t: translator(i18n, lang, 'reply'), lexicon: loadLexicon(knowledgeDir) });
  const choices = [
    { topic: 'service.marriage', title: 'Đăng ký kết hôn' },
    { topic: 'service.marital-status', title: 'Xác nhận tình trạng hôn nhân' },
  ];

  it('asks one question, numbers the choices, gives each a quick reply naming its topic, and says where to ask otherwise', () => {
    const c = composeClarification(choices, ctx('vi'));
    expect(c.text).toMatch(/^Mình chưa chắc bạn hỏi về việc nào/);
    expect(c.text).toContain('1. Đăng ký kết hôn\n2. Xác nhận tình trạng hôn nhân');
    expect(c.text).toMatch(/1800 1096/);
    expect(c.quickReplies.slice(0, 2)).toEqual([
      { label: 'Đăng ký kết hôn', payload: 'Đăng ký kết hôn', topic: 'service.marriage' },
      { label: 'Xác nhận tình trạng hôn nhân', payload: 'Xác nhận tình trạng hôn nhân', topic: 'service.marital-status' },
    ]);
    expect(c.citations).toEqual([]);
  });

  it('is written in the reply language', () => {
    expect(composeClarification(choices, ctx('en')).text).toMatch(/^I am not sure which of these you mean/);
  });
});

describe('counting failed clarifications (newest outcome first)', () => {
  it.each([
    [[], 0],
    [['answered'], 0],
    [['clarification'], 1],
    [['clarification', 'clarification'], 2],
    [['fallback_no_content', 'clarification'], 2],
    [['fallback_low_confidence', 'clarification', 'answered'], 2],
    [['fallback_no_content', 'fallback_no_content', 'fallback_low_confidence'], 0],
    [['answered', 'clarification', 'clarification'], 0],
    [['clarification', 'answered', 'clarification'], 1],
  ])('%j → %i', (previous, n) => {
    expect(failedClarifications(previous)).toBe(n);
  });
});

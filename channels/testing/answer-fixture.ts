import type { Answer } from '../../server/domain/answer.js';

/** A minimal answer object for formatter tests: an answer with one paragraph, nothing cited. */
export function answerFixture(extra: Partial<Answer> = {}): Answer {
  return {
    conversationId: 'c',
    answerId: 'a',
    lang: 'vi',
    kind: 'answer',
    outcome: 'answered',
    text: '**Tiêu đề**\n\nNội dung.',
    summary: 'Nội dung.',
    citations: [],
    topics: [],
    confidence: 1,
    quickReplies: [],
    notices: [],
    ...extra,
  };
}

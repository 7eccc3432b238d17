/** JSON schemas at the HTTP boundary: every request is validated, every response serialised by them. */
import { ANSWER_KINDS, ASK_TYPES, OUTCOMES } from '../domain/answer.js';

export const LANGS = ['vi', 'en'] as const;
export const API_CHANNELS = ['web', 'api'] as const;

export function chatRequestSchema(maxMessageChars: number) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: {
      message: { type: 'string', minLength: 1, maxLength: maxMessageChars },
      conversationId: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' },
      lang: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' },
      channel: { type: 'string', enum: [...API_CHANNELS] },
      province: { type: 'string', pattern: '^[a-z0-9-]{2,40}$' },
    },
  } as const;
}

export const answerSchema = {
  type: 'object',
  required: ['conversationId', 'answerId', 'lang', 'kind', 'outcome', 'text', 'citations', 'topics', 'confidence', 'quickReplies'],
  properties: {
    conversationId: { type: 'string' },
    answerId: { type: 'string' },
    lang: { type: 'string' },
    kind: { type: 'string', enum: [...ANSWER_KINDS] },
    outcome: { type: 'string', enum: [...OUTCOMES] },
    text: { type: 'string' },
    summary: { type: 'string' },
    steps: { type: 'array', items: { type: 'string' } },
    citations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'title'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string' },
          title: { type: 'string' },
          url: { type: ['string', 'null'] },
          updated: { type: ['string', 'null'] },
        },
      },
    },
    topics: { type: 'array', items: { type: 'string' } },
    confidence: { type: 'number' },
    quickReplies: {
      type: 'array',
      items: { type: 'object', required: ['label', 'payload'], properties: { label: { type: 'string' }, payload: { type: 'string' }, topic: { type: 'string' } } },
    },
    ask: { type: 'string', enum: [...ASK_TYPES] },
    notices: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** JSON schemas at the HTTP boundary: every request is validated, every response serialised by them. */
import { ANSWER_KINDS, ASK_TYPES, OUTCOMES } from '../domain/answer.js';
import { HANDOFF_STATUSES } from '../domain/handoff.js';

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
      // Not pattern-checked: a wrong token of any shape starts a new conversation, never a 400.
      conversationToken: { type: 'string', minLength: 1, maxLength: 200, description: 'The token returned when the conversation started; needed with conversationId to continue it' },
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
    handoff: {
      type: 'object',
      description: 'Present when the conversation has a ticket with staff (or this message closed one).',
      required: ['ticket', 'status'],
      properties: {
        ticket: { type: 'string', description: 'Short code of the ticket, for the citizen to quote' },
        status: { type: 'string', enum: [...HANDOFF_STATUSES], description: 'live: a person holds the conversation; queued: waiting for one; closed' },
        position: { type: 'integer', minimum: 1, description: 'Place in the queue, in office hours' },
        expectedBy: { type: 'string', format: 'date-time', description: 'When a first staff reply is due, outside office hours' },
      },
    },
  },
} as const;

/** The chat route's response: the answer object, plus the token when the message started a conversation. */
export const chatResponseSchema = {
  ...answerSchema,
  properties: {
    ...answerSchema.properties,
    conversationToken: {
      type: 'string',
      description: 'Present when this message started a conversation: send it with conversationId to continue. Shown once; only its hash is stored.',
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

import type { FastifyInstance } from 'fastify';
import { detectSensitive } from '../safety/sensitive-data.js';
import { FEEDBACK_REASONS, type FeedbackReason, type FeedbackStore } from '../storage/feedback.js';
import { errorSchema } from './schemas.js';

interface FeedbackBody {
  answerId: string;
  rating: 'up' | 'down';
  reason?: FeedbackReason;
  comment?: string;
}

/** Citizens' thumbs up/down on an answer; free text is redacted like questions are. */
export async function feedbackRoutes(app: FastifyInstance, opts: { feedback: FeedbackStore }): Promise<void> {
  app.post<{ Body: FeedbackBody }>(
    '/api/feedback',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['answerId', 'rating'],
          properties: {
            answerId: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' },
            rating: { type: 'string', enum: ['up', 'down'] },
            reason: { type: 'string', enum: [...FEEDBACK_REASONS] },
            comment: { type: 'string', maxLength: 1000 },
          },
        },
        response: { 201: { type: 'object', properties: { status: { type: 'string' } } }, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { answerId, rating, reason, comment } = req.body;
      const commentRedacted = comment?.trim() ? detectSensitive(comment.normalize('NFC')).redacted : undefined;
      const result = opts.feedback.add({ answerId, rating, reason, commentRedacted });
      if (result === 'unknown_answer') return reply.code(404).send({ error: 'unknown_answer', message: `No answer ${answerId}` });
      // Refused rather than replaced (decision 0015): the first rating may already be in the
      // review queue and the day's figures, and a replaceable vote lets a script flip it at will.
      if (result === 'duplicate') return reply.code(409).send({ error: 'feedback_exists', message: `Answer ${answerId} already has feedback; only one is kept per answer` });
      return reply.code(201).send({ status: 'stored' });
    },
  );
}

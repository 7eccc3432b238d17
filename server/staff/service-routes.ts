import type { FastifyInstance } from 'fastify';
import { NOTICE_MAX_CHARS, SWITCHABLE_CHANNELS, type SwitchableChannel } from '../domain/service.js';
import type { NoticeInput, ServiceControls } from '../storage/service-controls.js';
import type { AuditLog } from './audit.js';
import type { Auth } from './auth.js';

export interface ServiceRoutesOptions {
  controls: ServiceControls;
  auth: Auth;
  audit: AuditLog;
}

const noticeText = { type: 'string', maxLength: 2000 } as const;

/**
 * Channel switches and the service notice, for administrators only. Every change is audited with
 * the state before and after; the store checks the notice (length, times) and says what is wrong.
 */
export async function serviceRoutes(app: FastifyInstance, opts: ServiceRoutesOptions): Promise<void> {
  const { controls, auth, audit } = opts;
  const admin = auth.requireRole('admin');

  const state = () => ({
    switches: controls.switches(),
    notice: controls.notice(),
    noticeShown: controls.activeNotice() !== null,
    noticeMaxChars: NOTICE_MAX_CHARS,
    now: new Date(controls.now()).toISOString(),
  });

  app.get('/staff/api/service', { preHandler: admin }, async () => state());

  app.post<{ Params: { channel: SwitchableChannel }; Body: { enabled: boolean } }>(
    '/staff/api/service/channels/:channel',
    {
      preHandler: admin,
      schema: {
        params: { type: 'object', required: ['channel'], properties: { channel: { type: 'string', enum: [...SWITCHABLE_CHANNELS] } } },
        body: { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
      },
    },
    async (req) => {
      const user = req.staff!.user;
      const change = controls.setSwitch(req.params.channel, req.body.enabled, user.username);
      audit.record(user, 'channel.switch', req.params.channel, change);
      return state();
    },
  );

  app.put<{ Body: NoticeInput }>(
    '/staff/api/service/notice',
    {
      preHandler: admin,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['text', 'endsAt'],
          properties: {
            text: { type: 'object', additionalProperties: false, required: ['vi'], properties: { vi: noticeText, en: noticeText } },
            startsAt: { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'null' }] },
            endsAt: { type: 'string', maxLength: 40 },
          },
        },
      },
    },
    async (req) => {
      const user = req.staff!.user;
      const change = controls.publishNotice(req.body, user.username);
      audit.record(user, 'notice.publish', 'notice', change);
      return state();
    },
  );

  app.delete('/staff/api/service/notice', { preHandler: admin }, async (req) => {
    const user = req.staff!.user;
    const change = controls.withdrawNotice();
    audit.record(user, 'notice.withdraw', 'notice', { from: change.from, to: null });
    return state();
  });
}

import type { ChannelAdapter } from '../core/adapter.js';
import { detectKeyword } from '../core/keywords.js';
import { channelMessage } from '../core/messages.js';
import type { SmsConfig } from '../config.js';
import { fitSms, smsShortForm } from './sms-format.js';
import { smsPayloads } from './sms-payload.js';

/**
 * SMS-specific half of the worker: STOP/HUY/TC opt-out (confirmed once, then silence),
 * START/BATDAU opt-in, "1" for the rest of the last answer, and the short SMS form of answers.
 */
export function createSmsAdapter(config: Pick<SmsConfig, 'transport' | 'encoding' | 'maxParts'>): ChannelAdapter {
  const fit = (body: string, tail: string, lang: string, prefix = '') => fitSms(body, tail, { encoding: config.encoding, maxParts: config.maxParts, lang, prefix });
  const payloads = (to: string, text: string) => smsPayloads(to, text, config.transport, config.encoding);
  const notice = (text: string, to: string, lang: string | null) => payloads(to, fit(text, '', lang ?? 'vi').text);

  return {
    channel: 'sms',
    before(row, user) {
      if (row.kind !== 'text' || !row.text) return { type: 'none', outcome: 'ignored' };
      const kw = detectKeyword(row.text);
      if (kw?.kind === 'opt-out') {
        if (user.optedOut) return { type: 'none', outcome: 'opted_out' };
        return {
          type: 'reply',
          outcome: 'opt_out',
          messages: notice(channelMessage(user.lang, 'opted_out'), row.userId, user.lang),
          userUpdate: { optedOut: true, pendingMore: null },
          cancelPending: 'opted_out',
        };
      }
      if (kw?.kind === 'opt-in') {
        return { type: 'reply', outcome: 'opt_in', messages: notice(channelMessage(user.lang, 'opted_in'), row.userId, user.lang), userUpdate: { optedOut: false } };
      }
      if (user.optedOut) return { type: 'none', outcome: 'opted_out' };
      if (kw?.kind === 'more') {
        if (!user.pendingMore) return { type: 'reply', outcome: 'more', messages: notice(channelMessage(user.lang, 'no_more'), row.userId, user.lang) };
        const { text, rest } = fit(user.pendingMore, '', user.lang ?? 'vi');
        return { type: 'reply', outcome: 'more', messages: payloads(row.userId, text), userUpdate: { pendingMore: rest || null } };
      }
      return null;
    },
    notice(text, user) {
      return notice(text, user.userId, user.lang);
    },
    answer(answer, user, ctx) {
      const { body, tail } = smsShortForm(answer, ctx.hotline);
      // The service notice is counted in the same parts: the answer is cut, never the notice.
      const { text, rest } = fit(body, tail, answer.lang, ctx.notice ?? '');
      return { messages: payloads(user.userId, text), userUpdate: { pendingMore: rest || null } };
    },
  };
}

import type { ChannelAdapter } from '../core/adapter.js';
import { channelMessage, welcomeQuickReplies } from '../core/messages.js';
import { formatZaloAnswer, formatZaloNotice } from './zalo-format.js';

/** Zalo-specific half of the worker: follow/unfollow, non-text messages, formatting. */
export function createZaloAdapter(opts: { maxChars: number }): ChannelAdapter {
  return {
    channel: 'zalo',
    before(row, user) {
      if (row.kind === 'follow') {
        return {
          type: 'reply',
          outcome: 'follow',
          messages: formatZaloNotice(channelMessage(user.lang, 'welcome'), row.userId, { maxChars: opts.maxChars, quickReplies: welcomeQuickReplies(user.lang) }),
          userUpdate: { followed: true },
        };
      }
      if (row.kind === 'unfollow') return { type: 'none', outcome: 'unfollow', userUpdate: { followed: false } };
      if (row.kind === 'unsupported') {
        return { type: 'reply', outcome: 'unsupported', messages: formatZaloNotice(channelMessage(user.lang, 'text_only'), row.userId, { maxChars: opts.maxChars }) };
      }
      return null;
    },
    notice(text, user) {
      return formatZaloNotice(text, user.userId, { maxChars: opts.maxChars });
    },
    answer(answer, user, ctx) {
      // The service notice goes first, like the answer's own notices.
      const shown = ctx.notice ? { ...answer, notices: [ctx.notice, ...answer.notices] } : answer;
      return { messages: formatZaloAnswer(shown, user.userId, { maxChars: opts.maxChars, hotline: ctx.hotline }) };
    },
  };
}

import type { HandoffInfo } from '../../domain/handoff.js';
import type { TicketStore } from '../../handoff/tickets.js';
import { newTicketCode } from '../../handoff/tickets.js';
import { addWorkingMinutes, isOpen, VIETNAM_UTC_OFFSET_MINUTES } from '../../handoff/office-hours.js';
import { handoffKeyword } from '../../handoff/keywords.js';
import type { Translate } from '../../i18n/i18n.js';
import { composeSafetyWarning } from '../../safety/safety-reply.js';
import { contactsOf, simpleReply, type Composition } from '../composer.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface HandoffStageDeps {
  tickets: TicketStore;
  /** The clock (injected, so a Friday-evening request can be tested on any day). */
  now: () => Date;
}

/** "08:00 thứ Hai, ngày 07/12/2026" in Vietnam time. */
export function localTime(at: Date, t: Translate): string {
  const l = new Date(at.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return t('ticket.at', {
    time: `${two(l.getUTCHours())}:${two(l.getUTCMinutes())}`,
    weekday: t(`ticket.weekday.${l.getUTCDay()}`),
    date: `${two(l.getUTCDate())}/${two(l.getUTCMonth() + 1)}/${l.getUTCFullYear()}`,
  });
}

const cancelReply = (t: Translate) => [{ label: t('ticket.cancel_label'), payload: t('ticket.cancel_payload') }];

/**
 * A person behind the assistant. Runs after the safety stage, so only redacted text reaches a
 * ticket. While the conversation has an open ticket the assistant does not answer: a message
 * is passed to the ticket (silently while a person holds it; with a short acknowledgement while
 * it waits), and "hủy yêu cầu" withdraws it. Asking for a person ("gặp cán bộ", the fallback's
 * quick reply, HUMAN on SMS/Zalo) opens a ticket in a province that has turned handoff on;
 * elsewhere the turn goes on and is answered with the contacts, as before.
 *
 * The stage writes nothing itself: it leaves `turn.handoff.write`, run by the pipeline in the
 * transaction that stores the conversation and the answer, so all of it is stored or none.
 */
export function createHandoffStage(deps: HandoffStageDeps): Stage {
  return {
    name: 'handoff',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { norm, conversation, t, ts } = turn.language!;
      const verdict = turn.verdict!;
      const text = verdict.redactedText;
      const keyword = handoffKeyword(norm.text);
      const open = turn.existing ? deps.tickets.openFor(conversation.id) : null;
      const stop = (composition: Composition, info: HandoffInfo, write: () => void): StageResult => {
        turn.handoff = { info, write };
        return { action: 'stop', outcome: 'handoff', composition: { ...composition, topics: ['meta.human-handoff'] } };
      };
      if (open) {
        d.ticket = open.code;
        if (keyword === 'cancel') {
          d.action = 'cancel';
          const now = deps.now();
          return stop({ ...simpleReply('handoff', t('ticket.cancelled', { code: open.code })) }, { ticket: open.code, status: 'closed' }, () => void deps.tickets.cancelByCitizen(open.id, now));
        }
        const now = deps.now();
        const write = () => void deps.tickets.appendCitizen(open.id, text, now);
        const secret = verdict.sensitive.length > 0;
        if (secret || verdict.links.some((l) => l.verdict !== 'official')) {
          // Even while a person holds the conversation, a secret or a risky link gets the warning
          // (officers never ask for an OTP); the staff see the message with the secret hidden.
          d.action = 'passed_with_warning';
          const warning = composeSafetyWarning(verdict, ts, contactsOf(turn.profile));
          turn.handoff = { info: { ticket: open.code, status: open.status === 'held' ? 'live' : 'queued' }, write };
          return { action: 'stop', outcome: secret ? 'safety_secret' : 'safety_link', composition: { ...simpleReply('safety', warning), summary: warning.split('\n')[0], topics: ['meta.human-handoff'] } };
        }
        if (open.status === 'held') {
          // A person holds the conversation: the assistant stays silent.
          d.action = 'passed_to_holder';
          return stop({ ...simpleReply('handoff', ''), summary: '' }, { ticket: open.code, status: 'live' }, write);
        }
        d.action = 'added_to_waiting';
        const info: HandoffInfo = { ticket: open.code, status: 'queued', position: deps.tickets.position(open) };
        return stop({ ...simpleReply('handoff', t('ticket.added', { code: open.code })), quickReplies: cancelReply(t) }, info, write);
      }

      const settings = turn.profile.handoff;
      if (!settings) {
        d.enabled = false;
        return CONTINUE;
      }
      const released = turn.existing ? deps.tickets.releasedUnnoticed(conversation.id) : null;
      if (keyword !== 'request') {
        if (released) {
          // Staff gave the conversation back: this answer says so, once.
          d.released = released.code;
          turn.handoff = { notice: t('ticket.released'), write: () => deps.tickets.markReleaseNoticed(released.id) };
        }
        return CONTINUE;
      }

      const now = deps.now();
      const inHours = isOpen(settings.hours, now);
      const due = addWorkingMinutes(settings.hours, now, settings.firstResponseMinutes);
      const code = newTicketCode();
      const position = deps.tickets.waitingCount(turn.provinceCode) + 1;
      const lines = inHours ? [t('ticket.opened_live', { code, position })] : [t('ticket.opened_later', { code, expectedBy: localTime(due, t) })];
      lines.push(t('ticket.stored_note'));
      Object.assign(d, { action: 'open', ticket: code, inHours, dueAt: due.toISOString() });
      const info: HandoffInfo = inHours ? { ticket: code, status: 'queued', position } : { ticket: code, status: 'queued', expectedBy: due.toISOString() };
      return stop({ ...simpleReply('handoff', lines.join('\n\n')), summary: lines[0], quickReplies: cancelReply(t) }, info, () => {
        if (released) deps.tickets.markReleaseNoticed(released.id);
        deps.tickets.open({ code, conversationId: conversation.id, channel: turn.msg.channel, province: turn.provinceCode, lang: norm.lang, isTest: Boolean(turn.msg.isTest), dueAt: due, now, firstMessage: text });
      });
    },
  };
}

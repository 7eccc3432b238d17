/** "Talk to a person": the province's hotlines and one-stop shop, from /api/profile. */
import { append, el } from '../../../browser-kit/dom.js';
import type { Profile } from '../api.js';
import { icon, link } from '../dom.js';
import { telHref } from '../phone.js';
import type { ViewContext } from './context.js';
import { chip } from './messages.js';

export function humanContent(ctx: ViewContext, profile: Profile | null, onClose: () => void): Node[] {
  const { t } = ctx;
  const labels = ctx.linkLabels();
  const title = el('h2', { id: 'dvc-human-title', tabindex: -1, text: t('human.title') });
  const close = chip(t('human.close'), onClose);
  if (!profile) return [title, el('p', { text: t('human.unavailable') }), close];
  const p = profile;
  const dl = el('dl');
  const row = (label: string, value: Node | string) => append(dl, [el('dt', { text: label }), el('dd', {}, value)]);
  const tel = (n: string) => {
    const href = telHref(n);
    return href ? link(href, false, labels, icon('phone'), n) : n;
  };
  const digits = (s?: string) => (s ?? '').replace(/\D/g, '');
  if (p.hotline && digits(p.hotline) !== digits(p.nationalHotline)) row(t('human.hotline', { province: p.name }), tel(p.hotline));
  if (p.nationalHotline) row(t('human.nationalHotline'), tel(p.nationalHotline));
  if (p.oneStop?.name) row(t('human.office'), p.oneStop.name);
  if (p.oneStop?.address) row(t('human.address'), p.oneStop.address);
  row(t('human.hours'), p.oneStop?.hours ?? t('human.hoursUnknown'));
  if (!p.handoff) return [title, el('p', { text: t('human.intro') }), dl, close];
  // The province's staff take conversations here: asking is the citizen's consent to pass it on.
  const request = chip(t('human.request'), () => {
    onClose();
    ctx.send(t('human.requestMessage'));
  });
  request.classList.add('dvc-handoff-request');
  return [title, el('p', { text: t('human.requestNote') }), request, el('p', { text: t('human.intro') }), dl, close];
}

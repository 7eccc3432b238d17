/** Thumbs up / down under an answer, with an optional reason and comment for a thumbs down. */
import { append, el } from '../../../browser-kit/dom.js';
import { icon } from '../dom.js';
import type { Answer } from '../state.js';
import type { ViewContext } from './context.js';

export function feedback(ctx: ViewContext, answer: Answer): HTMLElement {
  const { t, store } = ctx;
  const box = el('div', { class: 'dvc-feedback' });
  const thanks = () => el('p', { class: 'dvc-thanks', tabindex: -1, text: t('feedback.thanks') });
  if (store.state.feedback[answer.answerId]) {
    box.appendChild(thanks());
    return box;
  }
  const qid = ctx.nextId('dvc-fbq');
  const error = el('p', { class: 'dvc-error', role: 'alert', hidden: true, text: t('feedback.error') });
  const rate = (rating: 'up' | 'down', label: string, onclick: () => void) =>
    el('button', { class: 'dvc-icon-btn', type: 'button', 'aria-label': label, title: label, 'aria-pressed': 'false', 'data-rating': rating, onclick }, icon(rating));
  let form: HTMLFormElement | null = null;

  const submit = async (rating: 'up' | 'down', reason?: string, comment?: string) => {
    const controls = Array.from(box.querySelectorAll<HTMLButtonElement | HTMLSelectElement | HTMLTextAreaElement>('button, select, textarea'));
    controls.forEach((c) => (c.disabled = true));
    error.hidden = true;
    try {
      const body: Record<string, string> = { answerId: answer.answerId, rating };
      if (reason) body.reason = reason;
      if (comment && comment.trim()) body.comment = comment.trim().slice(0, 1000);
      await ctx.api.feedback(body);
      store.state.feedback[answer.answerId] = rating;
      store.save();
      const done = thanks();
      box.replaceChildren(done);
      done.focus({ preventScroll: true });
      ctx.announce(t('feedback.thanks'));
    } catch {
      controls.forEach((c) => (c.disabled = false));
      error.hidden = false;
    }
  };

  const up: HTMLButtonElement = rate('up', t('feedback.up'), () => {
    up.setAttribute('aria-pressed', 'true');
    void submit('up');
  });
  const down: HTMLButtonElement = rate('down', t('feedback.down'), () => {
    down.setAttribute('aria-pressed', 'true');
    if (form) {
      form.querySelector('select')?.focus();
      return;
    }
    const selectId = ctx.nextId('dvc-reason');
    const commentId = ctx.nextId('dvc-comment');
    const select = el(
      'select',
      { id: selectId, name: 'reason' },
      ...ctx.entries('feedback.reasons').map(([value, label]) => el('option', { value: value === 'none' ? '' : value, text: label })),
    );
    const comment = el('textarea', { id: commentId, name: 'comment', rows: 2, maxlength: 1000 });
    form = el(
      'form',
      {
        class: 'dvc-fb-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void submit('down', select.value || undefined, comment.value);
        },
      },
      el('label', { for: selectId, text: t('feedback.reasonLabel') }),
      select,
      el('label', { for: commentId, text: t('feedback.commentLabel') }),
      comment,
      el(
        'div',
        { class: 'dvc-row' },
        el('button', { class: 'dvc-button', type: 'submit', text: t('feedback.send') }),
        el('button', { class: 'dvc-chip', type: 'button', text: t('feedback.skip'), onclick: () => void submit('down') }),
      ),
    );
    box.insertBefore(form, error);
    select.focus();
  });

  append(box, [el('div', { class: 'dvc-row', role: 'group', 'aria-labelledby': qid }, el('span', { id: qid, text: t('feedback.question') }), up, down), error]);
  return box;
}

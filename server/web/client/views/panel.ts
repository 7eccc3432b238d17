/** The widget's frame: launcher button, header, language and "person" toolbar, the log, the composer. */
import { el } from '../../../browser-kit/dom.js';
import type { Language } from '../api.js';
import { icon } from '../dom.js';
import type { Settings } from '../settings.js';
import type { ViewContext } from './context.js';

export interface PanelActions {
  open(): void;
  close(): void;
  newConversation(): void;
  switchLanguage(code: string): void;
  toggleHuman(): void;
  submit(): void;
  autosize(): void;
}

/** The elements the controller updates later. */
export interface PanelParts {
  root: HTMLElement;
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  log: HTMLElement;
  input: HTMLTextAreaElement;
  sendButton: HTMLButtonElement;
  live: HTMLElement;
  humanButton: HTMLButtonElement;
  humanCard: HTMLElement;
  /** The service notice banner (text only; hidden while there is none). */
  notice: HTMLElement;
}

export function panelView(ctx: ViewContext, settings: Settings, languages: Language[], act: PanelActions): PanelParts {
  const { t } = ctx;
  const lang = ctx.store.state.lang;
  const launcher = el(
    'button',
    { class: 'dvc-launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'dvc-panel', title: t('launcher.open'), onclick: act.open },
    icon('chat'),
    el('span', { text: t('launcher.label') }),
  );
  const header = el(
    'header',
    { class: 'dvc-header' },
    el('div', { class: 'dvc-heading' }, el('h1', { id: 'dvc-title', text: t('title') }), el('p', { text: t('subtitle') })),
    el('button', { class: 'dvc-header-btn dvc-new', type: 'button', 'aria-label': t('newConversation'), title: t('newConversation'), onclick: act.newConversation }, icon('plus')),
    settings.standalone ? null : el('button', { class: 'dvc-header-btn dvc-close', type: 'button', 'aria-label': t('close'), title: t('close'), onclick: act.close }, icon('close')),
  );
  const languageField =
    languages.length > 1
      ? el(
          'div',
          { class: 'dvc-lang' },
          el('label', { class: 'dvc-sr', for: 'dvc-lang', text: t('language.label') }),
          el(
            'select',
            { id: 'dvc-lang', title: t('language.label'), onchange: (e: Event) => act.switchLanguage((e.target as HTMLSelectElement).value) },
            ...languages.map((l) => el('option', { value: l.code, lang: l.code, selected: l.code === lang, text: l.status === 'partial' ? t('language.partial', { name: l.name }) : l.name })),
          ),
        )
      : null;
  const humanButton = el('button', { class: 'dvc-chip', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'dvc-human', onclick: act.toggleHuman }, icon('person'), t('human.button'));
  const humanCard = el('section', { class: 'dvc-human', id: 'dvc-human', hidden: true, 'aria-labelledby': 'dvc-human-title' });
  const notice = el('div', { class: 'dvc-notice', id: 'dvc-notice', role: 'status', hidden: true });
  const log = el('div', { class: 'dvc-log', tabindex: 0, role: 'region', 'aria-label': t('log') });
  const input = el('textarea', {
    id: 'dvc-input',
    name: 'message',
    rows: 1,
    maxlength: settings.maxMessage,
    placeholder: t('input.placeholder'),
    autocomplete: 'off',
    enterkeyhint: 'send',
    oninput: act.autosize,
    onkeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        act.submit();
      }
    },
  });
  const sendButton = el('button', { class: 'dvc-send', type: 'submit', 'aria-label': t('input.send'), title: t('input.send') }, icon('send'));
  const form = el(
    'form',
    {
      class: 'dvc-composer',
      onsubmit: (e: Event) => {
        e.preventDefault();
        act.submit();
      },
    },
    el('label', { class: 'dvc-sr', for: 'dvc-input', text: t('input.label') }),
    input,
    sendButton,
  );
  const panel = el(
    'section',
    { class: 'dvc-panel', id: 'dvc-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'dvc-title' },
    header,
    el('div', { class: 'dvc-toolbar' }, languageField, humanButton),
    humanCard,
    notice,
    log,
    form,
    el('p', { class: 'dvc-disclaimer', text: t('disclaimer') }),
  );
  const live = el('div', { class: 'dvc-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const root = el('div', { class: `dvc-root dvc-${settings.position}${settings.standalone ? ' dvc-standalone' : ''}` }, launcher, panel, live);
  return { root, launcher, panel, log, input, sendButton, live, humanButton, humanCard, notice };
}

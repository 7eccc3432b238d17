import { $, api, ApiError, clear, el, errorMessage, fmtDateTime, fmtNumber, setStatus, t } from './common.js';
import { renderMarkdown } from './markdown.js';
import type { AnswerReview as Review, ConversationAnswer as Answer } from '../../../review/review-store.js';
import { VERDICTS } from '../../../domain/staff.js';

const ARTICLE_ID = /^[a-z]+(\.[a-z0-9-]+)+$/;
const root = $('#conversation');
const conversationId = root.dataset.conversationId ?? '';

// Back to the queue with the filters the reviewer came from.
const back = document.getElementById('back-to-queue') as HTMLAnchorElement | null;
const queueUrl = sessionStorage.getItem('dvc-queue-url');
if (back && queueUrl && queueUrl.startsWith('/staff/review')) back.href = queueUrl;

function dl(rows: Array<[string, Node | string | null | undefined]>): HTMLElement {
  return el(
    'dl',
    { class: 'facts facts-compact' },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
  );
}

function sub(title: string, ...body: Array<Node | null>): HTMLElement {
  return el('section', { class: 'side-block' }, el('h3', {}, title), ...body);
}

function reviewItem(r: Review): HTMLElement {
  return el(
    'li',
    { class: `verdict-${r.verdict}` },
    t('conversation.reviewBy', { reviewer: r.reviewer, time: fmtDateTime(r.createdAt), verdict: t(`verdicts.${r.verdict}`) }),
    r.expectedArticle ? el('div', { class: 'hint' }, t('conversation.expected', { id: r.expectedArticle })) : null,
    r.note ? el('div', { class: 'review-note' }, r.note) : null,
  );
}

function verdictForm(a: Answer, reviewsList: HTMLElement, noReviews: HTMLElement): HTMLFormElement {
  const fid = `v-${a.id}`;
  const status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite', id: `${fid}-status` });
  const radios = VERDICTS.map((v) =>
    el('div', { class: 'radio' }, el('input', { type: 'radio', name: 'verdict', value: v, id: `${fid}-${v}`, required: true }), el('label', { for: `${fid}-${v}` }, t(`verdicts.${v}`))),
  );
  const note = el('textarea', { id: `${fid}-note`, name: 'note', rows: 3, maxlength: 2000, 'aria-describedby': `${fid}-note-hint` });
  const articles = [...new Set([...a.candidates, ...a.citations].filter((c) => c.kind === 'article').map((c) => c.id))];
  const expected = el('input', {
    id: `${fid}-expected`,
    name: 'expectedArticle',
    type: 'text',
    spellcheck: 'false',
    autocomplete: 'off',
    list: `${fid}-articles`,
    'aria-describedby': `${fid}-expected-hint`,
    maxlength: 120,
  });
  const button = el('button', { type: 'submit', class: 'btn btn-primary' }, t('verdictForm.submit'));
  const form = el(
    'form',
    { class: 'verdict-form', 'data-answer-id': a.id, novalidate: true },
    el('fieldset', {}, el('legend', {}, t('verdictForm.legend')), el('div', { class: 'radio-group' }, radios)),
    el('div', { class: 'field' }, el('label', { for: `${fid}-note` }, t('verdictForm.note')), note, el('span', { class: 'hint', id: `${fid}-note-hint` }, t('verdictForm.noteHint'))),
    el(
      'div',
      { class: 'field' },
      el('label', { for: `${fid}-expected` }, t('verdictForm.expected')),
      expected,
      el('datalist', { id: `${fid}-articles` }, articles.map((id) => el('option', { value: id }))),
      el('span', { class: 'hint', id: `${fid}-expected-hint` }, t('verdictForm.expectedHint')),
    ),
    el('div', { class: 'button-row' }, button),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const verdict = (form.querySelector('input[name="verdict"]:checked') as HTMLInputElement | null)?.value;
    if (!verdict) {
      setStatus(status, t('verdictForm.choose'), 'error');
      (form.querySelector('input[name="verdict"]') as HTMLInputElement).focus();
      return;
    }
    const exp = expected.value.trim();
    if (exp && !ARTICLE_ID.test(exp)) {
      setStatus(status, t('verdictForm.badArticle'), 'error');
      expected.setAttribute('aria-invalid', 'true');
      expected.focus();
      return;
    }
    expected.removeAttribute('aria-invalid');
    button.disabled = true;
    setStatus(status, t('verdictForm.saving'));
    const body: Record<string, string> = { verdict };
    if (note.value.trim()) body.note = note.value.trim();
    if (exp) body.expectedArticle = exp;
    try {
      await api(`/staff/api/answers/${encodeURIComponent(a.id)}/review`, { method: 'POST', body });
      setStatus(status, t('verdictForm.saved'), 'ok');
      form.reset();
      // Show the verdicts as stored (the server redacts secrets from notes).
      const fresh = await api<{ answers: Answer[] }>(`/staff/api/conversations/${encodeURIComponent(conversationId)}`).catch(() => null);
      const stored = fresh?.answers.find((x) => x.id === a.id)?.reviews;
      if (stored) {
        clear(reviewsList);
        stored.forEach((r) => reviewsList.appendChild(reviewItem(r)));
        noReviews.hidden = stored.length > 0;
      }
    } catch (err) {
      setStatus(status, err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403 ? t('verdictForm.failed', { status: err.message }) : errorMessage(err), 'error');
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function turn(a: Answer, n: number): HTMLElement {
  const reply = el('div', { class: 'md bubble-text' });
  if (a.channel === 'web' || a.channel === 'api' || a.reply === a.replyMarkdown) reply.appendChild(renderMarkdown(a.reply));
  else reply.appendChild(el('p', { class: 'plain-reply' }, a.reply));

  const cites = a.citations.length
    ? el(
        'div',
        { class: 'bubble-sources' },
        el('p', { class: 'bubble-label' }, t('conversation.citations')),
        el(
          'ul',
          {},
          a.citations.map((c) => el('li', {}, el('a', { href: `/staff/docs/${encodeURIComponent(c.id)}` }, c.title), c.updated ? el('span', { class: 'hint' }, ` (${c.updated})`) : null)),
        ),
      )
    : null;

  const maxMs = Math.max(1, a.latencyMs, ...a.stages.map((s) => s.ms));
  const stages = a.stages.length
    ? el(
        'table',
        { class: 'data-table compact stages-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('conversation.stage')), el('th', { scope: 'col' }, t('conversation.status')), el('th', { scope: 'col' }, 'ms'))),
        el(
          'tbody',
          {},
          a.stages.map((s) =>
            el(
              'tr',
              { class: `stage-${s.status}` },
              el('th', { scope: 'row' }, s.stage),
              el('td', {}, s.status),
              el('td', { class: 'num' }, el('meter', { min: 0, max: maxMs, value: s.ms, 'aria-hidden': 'true' }), ` ${fmtNumber(s.ms, 1)}`),
            ),
          ),
        ),
      )
    : null;

  const candidates = a.candidates.length
    ? el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          { class: 'data-table compact candidates-table' },
          el(
            'thead',
            {},
            el('tr', {}, el('th', { scope: 'col' }, t('conversation.candidate')), el('th', { scope: 'col' }, t('conversation.score')), el('th', { scope: 'col' }, t('conversation.coverage')), el('th', { scope: 'col' }, t('conversation.vector')), el('th', { scope: 'col' }, t('conversation.ranks'))),
          ),
          el(
            'tbody',
            {},
            a.candidates.map((c) =>
              el(
                'tr',
                {},
                el('th', { scope: 'row' }, el('a', { href: `/staff/docs/${encodeURIComponent(c.id)}` }, c.id)),
                el('td', { class: 'num' }, fmtNumber(c.score, 3)),
                el('td', { class: 'num' }, fmtNumber(c.coverage, 2)),
                el('td', { class: 'num' }, fmtNumber(c.vectorScore, 2)),
                el('td', { class: 'num' }, `${c.lexicalRank ?? '–'} / ${c.vectorRank ?? '–'}`),
              ),
            ),
          ),
        ),
      )
    : el('p', { class: 'hint' }, t('conversation.noCandidates'));

  const safety = a.safety
    ? sub(
        t('conversation.safety'),
        dl(
          Object.entries(a.safety)
            .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
            .map(([k, v]) => [k, typeof v === 'string' ? v : el('code', {}, JSON.stringify(v))] as [string, Node | string]),
        ),
      )
    : null;

  const feedback = sub(
    t('conversation.feedback'),
    a.feedback.length
      ? el(
          'ul',
          { class: 'plain-list' },
          a.feedback.map((f) =>
            el(
              'li',
              { class: `feedback-${f.rating}` },
              el('span', { class: `feedback-pill feedback-${f.rating}` }, t(f.rating === 'up' ? 'conversation.feedbackUp' : 'conversation.feedbackDown')),
              f.reason ? ` ${t(`conversation.feedbackReasons.${f.reason}`).startsWith('conversation.') ? f.reason : t(`conversation.feedbackReasons.${f.reason}`)}` : '',
              f.comment ? el('div', { class: 'review-note' }, f.comment) : null,
              el('div', { class: 'hint' }, fmtDateTime(f.createdAt)),
            ),
          ),
        )
      : el('p', { class: 'hint' }, t('conversation.noFeedback')),
  );

  const reviewsList = el('ul', { class: 'plain-list reviews-list' }, a.reviews.map(reviewItem));
  const noReviews = el('p', { class: 'hint' }, t('conversation.noReviews'));
  noReviews.hidden = a.reviews.length > 0;

  return el(
    'article',
    { class: 'turn card', id: `answer-${a.id}`, 'data-answer-id': a.id, 'aria-labelledby': `turn-${n}`, tabindex: '-1' },
    el('h2', { id: `turn-${n}`, class: 'turn-title' }, `${t('conversation.turn', { n })} · ${fmtDateTime(a.createdAt)}`, a.isTest ? el('span', { class: 'test-badge' }, t('conversation.test')) : null),
    el(
      'div',
      { class: 'turn-grid' },
      el(
        'div',
        { class: 'chat' },
        el('div', { class: 'bubble bubble-user' }, el('p', { class: 'bubble-label' }, t('conversation.citizen')), el('p', { class: 'bubble-text question-text' }, a.question)),
        el('div', { class: `bubble bubble-bot kind-${a.kind}` }, el('p', { class: 'bubble-label' }, t('conversation.assistant')), reply, cites),
      ),
      el(
        'div',
        { class: 'turn-side', 'aria-label': t('conversation.details') },
        dl([
          [t('conversation.kind'), el('span', { class: `kind-pill kind-${a.kind}` }, t(`review.kinds.${a.kind}`))],
          [t('conversation.confidence'), fmtNumber(a.confidence, 2)],
          [t('conversation.channel'), a.channel],
          [t('conversation.province'), a.province],
          [t('conversation.lang'), a.lang],
          [t('conversation.latency'), t('conversation.ms', { ms: fmtNumber(a.latencyMs, 1) })],
          [t('conversation.topics'), a.topics.join(', ')],
          [t('conversation.index'), a.indexVersion ? `${a.indexVersion}${a.embedderId ? ` · ${a.embedderId}` : ''}` : null],
        ]),
        feedback,
        sub(t('conversation.candidates'), candidates),
        stages ? sub(t('conversation.stages'), el('div', { class: 'table-wrap' }, stages)) : null,
        safety,
        sub(t('conversation.reviews'), noReviews, reviewsList),
        verdictForm(a, reviewsList, noReviews),
      ),
    ),
  );
}

api<{ id: string; answers: Answer[] }>(`/staff/api/conversations/${encodeURIComponent(conversationId)}`)
  .then((c) => {
    clear(root);
    c.answers.forEach((a, i) => root.appendChild(turn(a, i + 1)));
    root.removeAttribute('aria-busy');
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }
  })
  .catch((err) => {
    clear(root);
    root.removeAttribute('aria-busy');
    root.appendChild(el('p', { class: 'status-line is-error', role: 'alert' }, err instanceof ApiError && err.status === 404 ? t('conversation.notFound') : errorMessage(err)));
  });

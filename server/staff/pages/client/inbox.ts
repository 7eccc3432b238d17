/**
 * The staff desk: queues, a ticket with its conversation, the actions on it, canned answers.
 * Live updates come from the desk's Server-Sent Events stream; when it errors, the page polls the
 * list (and the open ticket) until the stream is back. Every change goes through the staff API,
 * which checks the role and the CSRF token; this page only shows what the API answers.
 */
import { $, api, clear, currentUser, el, errorMessage, fmtDateTime, setStatus, t } from './common.js';
import { renderMarkdown } from './markdown.js';
import { DESK_POLL_MS as POLL_MS, type DeskEvent, type DeskQueue } from '../../../domain/handoff.js';
import type { TicketListItem } from '../../../handoff/tickets.js';
import type { DeskMessage, HistoryTurn, TargetInfo } from '../../../handoff/desk.js';

type ListItem = TicketListItem & TargetInfo;
interface TicketView {
  ticket: ListItem;
  messages: DeskMessage[];
  history: HistoryTurn[];
}
interface Colleague {
  id: number;
  username: string;
}

function createInbox(root: HTMLElement) {
  const supervisor = root.dataset.supervisor === 'true';
  const me = currentUser()?.username ?? '';
  const live = $('#inbox-live');
  const list = $('#ticket-list');
  const listStatus = $('#list-status');
  const view = $('#ticket-view');
  const ticketStatus = $('#ticket-status');
  const replyForm = $('#reply-form') as HTMLFormElement;
  const replyText = $('#reply-text') as HTMLTextAreaElement;
  const canned = $('#canned') as HTMLSelectElement;
  const transferTo = $('#transfer-to') as HTMLSelectElement;
  const buttons = {
    claim: $('#act-claim') as HTMLButtonElement,
    takeOver: document.getElementById('act-take-over') as HTMLButtonElement | null,
    release: $('#act-release') as HTMLButtonElement,
  };

  let queue: DeskQueue = 'waiting';
  let selected: number | null = root.dataset.ticket ? Number(root.dataset.ticket) : null;
  let poll: ReturnType<typeof setInterval> | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let listSeq = 0;
  let ticketSeq = 0;

  // ------------------------------------------------------------------ the list
  function item(x: ListItem): HTMLElement {
    const link = el('a', { href: `/staff/inbox?ticket=${x.id}`, class: 'ticket-link', 'data-ticket-id': x.id }, el('span', { class: 'ticket-code' }, x.code), ' ', el('span', { class: 'status-pill' }, t(`inbox.status.${x.status}`)));
    link.addEventListener('click', (e) => {
      e.preventDefault();
      void open(x.id);
    });
    return el(
      'li',
      { class: `ticket-item${x.pastTarget ? ' past-target' : ''}${x.id === selected ? ' is-selected' : ''}`, 'data-code': x.code, 'data-ticket-id': x.id },
      link,
      x.pastTarget ? el('span', { class: 'warn-pill past-target-pill' }, t('inbox.pastTarget')) : null,
      x.preview ? el('p', { class: 'ticket-preview' }, x.preview) : null,
      el(
        'ul',
        { class: 'queue-meta' },
        el('li', {}, t(`inbox.channels.${x.channel}`)),
        el('li', {}, x.province),
        el('li', {}, t('inbox.opened', { at: fmtDateTime(x.openedAt) })),
        x.holder ? el('li', {}, t('inbox.heldBy', { name: x.holder })) : null,
      ),
    );
  }

  async function loadList(): Promise<void> {
    const mine = ++listSeq;
    try {
      const r = await api<{ tickets: ListItem[]; counts: Record<DeskQueue, number> }>(`/staff/api/desk/tickets?queue=${queue}`);
      if (mine !== listSeq) return;
      for (const [q, n] of Object.entries(r.counts)) root.querySelector(`[data-count="${q}"]`)!.textContent = String(n);
      clear(list);
      r.tickets.forEach((x) => list.appendChild(item(x)));
      setStatus(listStatus, r.tickets.length ? '' : t('inbox.empty'));
    } catch (err) {
      if (mine === listSeq) setStatus(listStatus, errorMessage(err), 'error');
    }
  }

  for (const tab of Array.from(root.querySelectorAll<HTMLButtonElement>('.queue-tab'))) {
    tab.addEventListener('click', () => {
      queue = tab.dataset.queue as DeskQueue;
      for (const other of Array.from(root.querySelectorAll('.queue-tab'))) other.setAttribute('aria-selected', String(other === tab));
      list.setAttribute('aria-labelledby', tab.id);
      void loadList();
    });
  }

  // ------------------------------------------------------------------ one ticket
  function bubble(kind: 'user' | 'bot' | 'staff', label: string, body: Node, extra: Node | null = null): HTMLElement {
    return el('div', { class: `bubble bubble-${kind === 'user' ? 'user' : 'bot'}${kind === 'staff' ? ' bubble-staff' : ''}` }, el('p', { class: 'bubble-label' }, label), body, extra);
  }
  const plain = (text: string) => el('p', { class: 'bubble-text plain-reply' }, text);

  function renderTicket(v: TicketView): void {
    const x = v.ticket;
    const held = x.status === 'held';
    const holder = held && x.holder === me;
    $('#ticket-title').textContent = `${x.code} · ${t(`inbox.status.${x.status}`)}`;
    const facts = $('#ticket-facts');
    clear(facts);
    const rows: Array<[string, string | Node | null]> = [
      [t('inbox.channel'), t(`inbox.channels.${x.channel}`)],
      [t('inbox.province'), x.province],
      [t('inbox.holder'), x.holder],
      ['', x.pastTarget ? el('span', { class: 'warn-pill past-target-pill' }, t('inbox.pastTarget')) : null],
      ['', t('inbox.opened', { at: fmtDateTime(x.openedAt) })],
      ['', x.firstResponseAt ? null : t('inbox.due', { at: fmtDateTime(x.dueAt) })],
      ['', x.targetMinutes ? t('inbox.target', { minutes: x.targetMinutes }) : null],
    ];
    for (const [k, val] of rows) if (val) facts.append(el('dt', {}, k), el('dd', {}, val));
    view.classList.toggle('past-target', x.pastTarget);

    buttons.claim.hidden = x.status !== 'waiting';
    if (buttons.takeOver) buttons.takeOver.hidden = !(supervisor && held && !holder);
    buttons.release.hidden = !(held && (holder || supervisor));
    replyForm.hidden = !(held && (holder || supervisor));
    $('#ticket-more').hidden = !((held && (holder || supervisor)) || (x.status === 'waiting' && supervisor));
    ($('#transfer-form') as HTMLFormElement).hidden = !held;

    const historyBox = $('#ticket-history');
    clear(historyBox);
    if (!v.history.length) historyBox.appendChild(el('p', { class: 'hint' }, t('inbox.noHistory')));
    for (const h of v.history) {
      historyBox.appendChild(bubble('user', t('inbox.citizen'), el('p', { class: 'bubble-text question-text' }, h.question)));
      const sources = h.citations.length
        ? el(
            'div',
            { class: 'bubble-sources' },
            el('p', { class: 'bubble-label' }, t('inbox.sources')),
            el('ul', {}, h.citations.map((c) => el('li', {}, el('a', { href: `/staff/docs/${encodeURIComponent(c.id)}` }, c.title)))),
          )
        : null;
      const body = h.reply ? el('div', { class: 'md bubble-text' }, renderMarkdown(h.reply)) : el('p', { class: 'hint' }, t('inbox.silent'));
      historyBox.appendChild(el('div', { class: `bubble bubble-bot kind-${h.kind}`, 'data-answer-id': h.answerId }, el('p', { class: 'bubble-label' }, t('inbox.assistant')), body, sources));
    }
    const thread = $('#ticket-thread');
    clear(thread);
    for (const m of v.messages) {
      if (m.author === 'citizen') thread.appendChild(bubble('user', t('inbox.citizen'), plain(m.text)));
      else {
        const delivery = m.delivery ? el('p', { class: `hint delivery-${m.delivery}` }, t(`inbox.delivery.${m.delivery}`)) : null;
        // An answer worth keeping becomes a content gap: an editor turns it into an article.
        const file = el('button', { type: 'button', class: 'btn btn-quiet file-gap' }, t('inbox.fileGap'));
        file.addEventListener('click', async () => {
          file.disabled = true;
          try {
            await api(`/staff/api/desk/tickets/${v.ticket.id}/messages/${m.id}/gap`, { method: 'POST', body: {} });
            setStatus(ticketStatus, t('inbox.gapFiled'), 'ok');
          } catch (err) {
            file.disabled = false;
            setStatus(ticketStatus, errorMessage(err), 'error');
          }
        });
        const b = bubble('staff', t('inbox.staff', { name: m.by ?? '?' }), plain(m.text), el('div', {}, delivery, file));
        b.dataset.messageId = String(m.id);
        thread.appendChild(b);
      }
    }
    view.hidden = false;
  }

  async function loadTicket(): Promise<void> {
    if (selected === null) return;
    const mine = ++ticketSeq;
    try {
      const v = await api<TicketView>(`/staff/api/desk/tickets/${selected}`);
      if (mine !== ticketSeq) return;
      renderTicket(v);
    } catch (err) {
      if (mine === ticketSeq) {
        view.hidden = false;
        setStatus(ticketStatus, errorMessage(err), 'error');
      }
    }
  }

  async function open(id: number): Promise<void> {
    selected = id;
    history.replaceState(null, '', `/staff/inbox?ticket=${id}`);
    for (const li of Array.from(list.querySelectorAll<HTMLElement>('.ticket-item'))) li.classList.toggle('is-selected', li.dataset.ticketId === String(id));
    setStatus(ticketStatus, '');
    replyText.value = '';
    canned.value = '';
    await loadTicket();
    replyText.focus();
  }

  /** Runs an action on the open ticket and shows the result (or the API's error). */
  async function act(path: string, body: unknown, done = t('inbox.done')): Promise<boolean> {
    if (selected === null) return false;
    try {
      const r = await api<{ redacted?: string[] }>(`/staff/api/desk/tickets/${selected}/${path}`, { method: 'POST', body });
      await Promise.all([loadTicket(), loadList()]);
      setStatus(ticketStatus, r.redacted?.length ? t('inbox.sentRedacted', { kinds: r.redacted.join(', ') }) : done, 'ok');
      return true;
    } catch (err) {
      setStatus(ticketStatus, errorMessage(err), 'error');
      return false;
    }
  }

  buttons.claim.addEventListener('click', () => void act('claim', {}));
  buttons.takeOver?.addEventListener('click', () => void act('take-over', {}));
  buttons.release.addEventListener('click', () => void act('release', {}));
  replyForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = replyText.value.trim();
    if (!text) {
      replyText.focus();
      return;
    }
    const send = $('#reply-send') as HTMLButtonElement;
    send.disabled = true;
    if (await act('reply', { text }, t('inbox.sent'))) {
      replyText.value = '';
      canned.value = '';
    }
    send.disabled = false;
  });
  ($('#transfer-form') as HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    if (transferTo.value) void act('transfer', { to: Number(transferTo.value) });
  });
  ($('#close-form') as HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    void act('close', { reason: ($('#close-reason') as HTMLSelectElement).value });
  });

  canned.addEventListener('change', async () => {
    if (!canned.value || selected === null) return;
    try {
      const r = await api<{ text: string }>(`/staff/api/desk/canned/${encodeURIComponent(canned.value)}?ticket=${selected}`);
      replyText.value = r.text;
      replyText.focus();
    } catch (err) {
      setStatus(ticketStatus, errorMessage(err), 'error');
    }
  });

  async function loadChoices(): Promise<void> {
    try {
      const [articles, colleagues] = await Promise.all([
        api<{ articles: Array<{ id: string; title: string }> }>('/staff/api/desk/canned'),
        api<{ colleagues: Colleague[] }>('/staff/api/desk/colleagues'),
      ]);
      for (const a of articles.articles) canned.appendChild(el('option', { value: a.id }, a.title));
      for (const c of colleagues.colleagues) if (c.username !== me) transferTo.appendChild(el('option', { value: c.id }, c.username));
    } catch (err) {
      setStatus(ticketStatus, errorMessage(err), 'error');
    }
  }

  // ------------------------------------------------------------------ live updates
  const refresh = () => {
    void loadList();
    if (selected !== null) void loadTicket();
  };
  /** Several events in a burst (a claim and a reply) cost one reload. */
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  };
  function startPolling(): void {
    if (poll) return;
    setStatus(live, t('inbox.polling', { seconds: POLL_MS / 1000 }), 'error');
    poll = setInterval(refresh, POLL_MS);
  }
  function connect(): void {
    // EventSource reconnects by itself after an error; polling covers the gap until it does.
    const source = new EventSource('/staff/api/desk/events');
    source.addEventListener('ready', () => {
      if (poll) {
        clearInterval(poll);
        poll = undefined;
        refresh();
      }
      live.dataset.mode = 'live';
      setStatus(live, t('inbox.live'), 'ok');
    });
    source.addEventListener('ticket', (e) => {
      // The event says only which ticket changed; what is shown is fetched through the API.
      const event = JSON.parse((e as MessageEvent<string>).data) as DeskEvent;
      live.dataset.lastEvent = `${event.type}:${event.code}`;
      soon();
    });
    source.addEventListener('error', () => {
      live.dataset.mode = 'polling';
      startPolling();
    });
  }

  return {
    start(): void {
      void loadList();
      void loadChoices();
      if (selected !== null) void open(selected);
      connect();
    },
  };
}

createInbox($('#inbox')).start();

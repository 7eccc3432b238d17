/** Channels and notices (administrators): switch a channel off or on, publish or withdraw the notice. */
import { $, api, clear, el, errorMessage, fmtDateTime, setStatus, t } from './common.js';
import { SWITCHABLE_CHANNELS, type ServiceNotice, type SwitchableChannel } from '../../../domain/service.js';

interface ServiceState {
  switches: Record<SwitchableChannel, boolean>;
  notice: ServiceNotice | null;
  noticeShown: boolean;
  noticeMaxChars: number;
}

const tbody = $('#service-table tbody');
const status = $('#service-status');
const current = $('#notice-current');
const form = $('#notice-form') as HTMLFormElement;
const noticeStatus = $('#notice-status');
const withdraw = $('#notice-withdraw') as HTMLButtonElement;

/** A datetime-local value (the browser's time zone) as an ISO instant; empty stays empty. */
function instant(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function render(s: ServiceState): void {
  clear(tbody);
  for (const channel of SWITCHABLE_CHANNELS) {
    const on = s.switches[channel];
    const name = t(`service.names.${channel}`);
    const button = el('button', { type: 'button', class: on ? 'btn btn-danger-quiet' : 'btn', 'data-channel': channel }, t(on ? 'service.switchOff' : 'service.switchOn', { channel: name }));
    button.addEventListener('click', () => void change(`/staff/api/service/channels/${channel}`, 'POST', { enabled: !on }, status, t('service.switched', { channel: name })));
    tbody.appendChild(
      el(
        'tr',
        { 'data-channel': channel },
        el('th', { scope: 'row' }, name),
        el('td', {}, el('span', { class: on ? 'status-pill on' : 'status-pill off', 'data-state': on ? 'on' : 'off' }, t(on ? 'service.on' : 'service.off'))),
        el('td', {}, button),
      ),
    );
  }
  const n = s.notice;
  if (!n) current.textContent = t('service.noticeNone');
  else {
    const when = { from: fmtDateTime(n.startsAt ?? n.updatedAt), to: fmtDateTime(n.endsAt) };
    current.textContent = `${t(s.noticeShown ? 'service.noticeCurrent' : 'service.noticeScheduled', when)} ${n.text.vi}${n.text.en ? ` / ${n.text.en}` : ''}`;
  }
  withdraw.hidden = !n;
}

async function change(url: string, method: string, body: unknown, where: HTMLElement, done: string): Promise<void> {
  try {
    render(await api<ServiceState>(url, { method, body }));
    setStatus(where, done, 'ok');
  } catch (err) {
    setStatus(where, errorMessage(err), 'error');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const body = {
    text: { vi: text('vi'), ...(text('en') ? { en: text('en') } : {}) },
    startsAt: instant(text('startsAt')),
    endsAt: instant(text('endsAt')) ?? '',
  };
  void change('/staff/api/service/notice', 'PUT', body, noticeStatus, t('service.published'));
});
withdraw.addEventListener('click', () => void change('/staff/api/service/notice', 'DELETE', {}, noticeStatus, t('service.withdrawn')));

async function load(): Promise<void> {
  try {
    render(await api<ServiceState>('/staff/api/service'));
    setStatus(status, '');
  } catch (err) {
    setStatus(status, errorMessage(err), 'error');
  }
}

void load();

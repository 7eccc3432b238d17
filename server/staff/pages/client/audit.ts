import { $, api, clear, el, errorMessage, fmtDateTime, setStatus, t } from './common.js';

interface Entry {
  at: string;
  username: string | null;
  action: string;
  target: string | null;
  details: string | null;
}

const tbody = $('#audit-table tbody');
const status = $('#audit-status');

function details(raw: string | null): string {
  if (!raw || raw === '{}') return '';
  try {
    return Object.entries(JSON.parse(raw) as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join('; ');
  } catch {
    return raw;
  }
}

api<{ entries: Entry[] }>('/staff/api/audit')
  .then((body) => {
    clear(tbody);
    for (const e of body.entries) {
      tbody.appendChild(
        el(
          'tr',
          { 'data-action': e.action },
          el('td', { class: 'nowrap' }, fmtDateTime(e.at)),
          el('td', {}, e.username ?? t('common.none')),
          el('td', {}, el('code', {}, e.action)),
          el('td', { class: 'cell-break' }, e.target ?? ''),
          el('td', { class: 'cell-break' }, details(e.details)),
        ),
      );
    }
    setStatus(status, body.entries.length ? '' : t('audit.empty'));
  })
  .catch((err) => setStatus(status, errorMessage(err), 'error'));

import { $, api, clear, currentUser, el, errorMessage, setStatus, t } from './common.js';
import { ROLES, type StaffUser as User } from '../../../domain/staff.js';
const tbody = $('#users-table tbody');
const status = $('#users-status');
const form = $('#user-create') as HTMLFormElement;
const createStatus = $('#user-create-status');
const me = currentUser()?.username;

async function update(u: User, changes: Partial<Pick<User, 'role' | 'disabled'>>): Promise<void> {
  try {
    await api(`/staff/api/users/${u.id}`, { method: 'PATCH', body: changes });
    setStatus(status, t('users.updated', { name: u.username }), 'ok');
    await load(false);
  } catch (err) {
    setStatus(status, t('users.failed', { message: errorMessage(err) }), 'error');
    await load(false);
  }
}

function row(u: User): HTMLElement {
  const select = el(
    'select',
    { id: `role-${u.id}`, 'aria-label': t('users.roleLabel', { name: u.username }), disabled: u.username === me },
    ROLES.map((r) => el('option', { value: r, selected: r === u.role }, t(`roles.${r}`))),
  );
  select.addEventListener('change', () => void update(u, { role: select.value as User['role'] }));
  const toggle = el(
    'button',
    {
      type: 'button',
      class: u.disabled ? 'btn' : 'btn btn-danger-quiet',
      'aria-label': t(u.disabled ? 'users.enableLabel' : 'users.disableLabel', { name: u.username }),
      disabled: u.username === me,
    },
    t(u.disabled ? 'users.enable' : 'users.disable'),
  );
  toggle.addEventListener('click', () => void update(u, { disabled: !u.disabled }));
  return el(
    'tr',
    { 'data-username': u.username, class: u.disabled ? 'is-disabled' : '' },
    el('th', { scope: 'row' }, u.username, u.username === me ? el('span', { class: 'hint' }, ` ${t('users.you')}`) : null),
    el('td', {}, select),
    el('td', {}, el('span', { class: u.disabled ? 'status-pill off' : 'status-pill on' }, t(u.disabled ? 'users.disabled' : 'users.active'))),
    el('td', {}, toggle),
  );
}

async function load(announce = true): Promise<void> {
  try {
    const body = await api<{ users: User[] }>('/staff/api/users');
    clear(tbody);
    for (const u of body.users) tbody.appendChild(row(u));
    if (announce) setStatus(status, '');
  } catch (err) {
    setStatus(status, errorMessage(err), 'error');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const username = String(data.get('username') ?? '').trim();
  try {
    await api('/staff/api/users', { method: 'POST', body: { username, password: String(data.get('password') ?? ''), role: String(data.get('role') ?? 'reviewer') } });
    setStatus(createStatus, t('users.created', { name: username }), 'ok');
    form.reset();
    await load(false);
  } catch (err) {
    setStatus(createStatus, t('users.failed', { message: errorMessage(err) }), 'error');
  }
});

void load();

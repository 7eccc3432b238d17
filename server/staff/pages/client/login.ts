import { $, t } from './common.js';

/** Only a path inside the staff console (the server checks this too). */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 500) return '/staff';
  if (!(next === '/staff' || next.startsWith('/staff/') || next.startsWith('/staff?'))) return '/staff';
  // eslint-disable-next-line no-control-regex
  if (next.includes('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return '/staff';
  if (next.startsWith('/staff/api/') || next.startsWith('/staff/login')) return '/staff';
  return next;
}

const form = $('#login-form') as HTMLFormElement;
const error = $('#login-error');
const submit = $('#login-submit') as HTMLButtonElement;
const username = $('#username') as HTMLInputElement;
const password = $('#password') as HTMLInputElement;

function showError(text: string, field?: HTMLInputElement): void {
  error.textContent = text;
  error.hidden = false;
  for (const f of [username, password]) f.setAttribute('aria-invalid', String(f === field || (!field && f === password)));
  (field ?? password).focus();
}

username.focus();
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  if (!username.value.trim() || !password.value) {
    showError(t('login.required'), !username.value.trim() ? username : password);
    return;
  }
  submit.disabled = true;
  submit.textContent = t('login.submitting');
  try {
    const res = await fetch('/staff/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username: username.value.trim(), password: password.value }),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.assign(safeNext(form.dataset.next));
      return;
    }
    password.value = '';
    showError(res.status === 401 || res.status === 400 ? t('login.wrong') : res.status === 429 ? t('login.tooMany') : t('login.failed', { status: res.status }));
  } catch {
    showError(t('common.networkError'));
  } finally {
    submit.disabled = false;
    submit.textContent = t('login.submit');
  }
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { tempDir } from '../test-support/temp-dir.js';
import { freePort, runScript, startServerProcess, type ServerProcess } from '../test-support/server-process.js';
import { startFakeZaloServer, type FakeZalo } from '../../channels/zalo/testing/fake-zalo-server.js';
import { textEvent } from '../../channels/zalo/testing/zalo-webhook-client.js';
import { zaloSignatureHeader } from '../../channels/zalo/zalo-signature.js';
import { zaloEnv } from '../test-support/channel-test-server.js';

/**
 * docs/deploy.md, tested: Debian's nginx runs the documented site and snippet (only ports and
 * paths substituted, a throw-away self-signed certificate) in front of the server started with the
 * documented environment file. Skipped with a message where nginx is not installed (.ci/run installs it).
 */
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
const HOST = 'assistant.example.gov.vn';

function block(doc: string, marker: string): string {
  const m = new RegExp(`<!-- deploy:${marker} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  if (!m) throw new Error(`docs/deploy.md has no ${marker} block`);
  return m[1];
}

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let ca = '';
let tlsPort = 0;
let httpPort = 0;

/** HTTPS to nginx on loopback, checking its certificate for the documented host name. */
function request(method: string, url: string, opts: { headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: tlsPort, servername: HOST, ca, method, path: url, localAddress: opts.localAddress, headers: { host: HOST, ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

let dir: string;
let server: ServerProcess;
let nginx: ChildProcess;
let fake: FakeZalo;
let nginxLog = '';

beforeAll(async () => {
  if (!NGINX) return;
  dir = tempDir('dvc-nginx-');
  fs.chmodSync(dir, 0o755); // nginx's worker runs as an unprivileged user and reads these files
  const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
  const appPort = await freePort();
  tlsPort = await freePort();
  httpPort = await freePort();

  // The environment file, with the data and backup folders moved to the test folder.
  const env: Record<string, string> = {};
  for (const line of block(doc, 'env').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  expect(env.TRUST_PROXY).toBe('127.0.0.1');
  env.PORT = String(appPort);
  env.DATA_DIR = path.join(dir, 'data');
  env.BACKUP_DIR = path.join(dir, 'backups');
  fake = await startFakeZaloServer({ refreshTokens: ['rt-seed'] });
  const serverEnv = { ...env, ...zaloEnv(fake.url), RATE_LIMIT_MAX: '12', RATE_LIMIT_ADDRESS_MAX: '12' };
  const staff = await runScript('scripts/staff-user.ts', ['create', '--username', 'operator', '--role', 'admin'], { ...serverEnv, STAFF_PASSWORD: 'a long operator passphrase' });
  expect(staff.code, staff.stderr).toBe(0);
  server = await startServerProcess(serverEnv);

  spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', path.join(dir, 'privkey.pem'), '-out', path.join(dir, 'fullchain.pem')], { stdio: 'ignore' });
  ca = fs.readFileSync(path.join(dir, 'fullchain.pem'), 'utf8');

  fs.writeFileSync(path.join(dir, 'dvc-assistant.conf'), block(doc, 'nginx-snippet'));
  const site = block(doc, 'nginx-site')
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen [::]:80;', `listen [::1]:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replace('listen [::]:443 ssl http2;', `listen [::1]:${tlsPort} ssl http2;`)
    .replaceAll('/etc/ssl/dvc-assistant/', `${dir}/`)
    .replaceAll('/var/log/nginx/', `${dir}/`)
    .replace('include snippets/dvc-assistant.conf;', `include ${dir}/dvc-assistant.conf;`);
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  // The main file stands in for Debian's /etc/nginx/nginx.conf (which includes sites-enabled/*).
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n  access_log ${dir}/access.log;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  include ${dir}/site.conf;\n}\n`,
  );
  const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.on('data', (d) => (nginxLog += d));
  for (let i = 0; i < 100; i++) {
    try {
      if ((await request('GET', '/readyz')).status === 200) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (!NGINX) return;
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await new Promise((r) => nginx.on('exit', r));
  }
  await server?.stop();
  await fake?.close();
  if (process.env.KEEP_NGINX_DIR) console.log(dir, server?.stderr()); else fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!NGINX)('docs/deploy.md: nginx + the server, as documented', () => {
  it('redirects HTTP to HTTPS', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port: httpPort, path: '/widget.js', headers: { host: HOST } }, resolve).on('error', reject));
    res.resume();
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`https://${HOST}/widget.js`);
  });

  it('answers a chat through nginx and serves the widget with its own caching headers', async () => {
    const res = await request('POST', '/api/chat', { body: JSON.stringify({ message: 'dang ky khai sinh truc tuyen', channel: 'web' }) });
    expect(res.status, nginxLog).toBe(200);
    expect((JSON.parse(res.body) as { kind: string }).kind).toBe('answer');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');

    const widget = await request('GET', '/widget.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(widget.status).toBe(200);
    expect(widget.headers['cache-control']).toBe('public, max-age=300');
    expect(widget.headers['content-encoding']).toBe('gzip');
    const etag = widget.headers.etag!;
    expect(etag).toBeTruthy();
    expect((await request('GET', '/widget.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const frame = await request('GET', '/widget/frame.html');
    const appUrl = /src="(\/widget\/app\.js\?v=[^"]+)"/.exec(frame.body)![1];
    expect((await request('GET', appUrl)).headers['cache-control']).toContain('immutable');
  });

  it('signs a staff member in with a Secure, HttpOnly cookie that works through the proxy', async () => {
    const login = await request('POST', '/staff/api/login', { body: JSON.stringify({ username: 'operator', password: 'a long operator passphrase' }), headers: { origin: `https://${HOST}` } });
    expect(login.status, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    const me = await request('GET', '/staff/api/me', { headers: { cookie: cookie.split(';')[0] } });
    expect(me.status).toBe(200);
    expect((JSON.parse(me.body) as { user: { username: string } }).user.username).toBe('operator');
  });

  it('accepts a signed Zalo webhook through nginx and the reply reaches Zalo', async () => {
    const ev = textEvent({ appId: 'app-123', userId: 'zalo-user-nginx', text: 'dang ky khai sinh', msgId: 'nginx-msg-1' });
    const raw = JSON.stringify(ev);
    const res = await request('POST', '/channels/zalo/webhook', { body: raw, headers: { 'x-zevent-signature': zaloSignatureHeader('app-123', Buffer.from(raw), String(ev.timestamp), 'oa-secret-key') } });
    expect(res.status, res.body).toBe(200);
    for (let i = 0; i < 100 && fake.sentTo('zalo-user-nginx').length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fake.sentTo('zalo-user-nginx').length).toBeGreaterThan(0);
  });

  it('keeps /metrics off the public site', async () => {
    expect((await request('GET', '/metrics')).status).toBe(403);
  });

  it('TRUST_PROXY=127.0.0.1 rate-limits by the citizen address nginx saw, whatever X-Forwarded-For the client sends', async () => {
    // Each client on its own loopback address; the second spoofs a new X-Forwarded-For every time.
    let limited = false;
    for (let i = 0; i < 14 && !limited; i++) {
      const r = await request('GET', '/api/profile', { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      limited = r.status === 429;
    }
    expect(limited).toBe(true);
    // Another citizen (another address) is not affected.
    expect((await request('GET', '/api/profile', { localAddress: '127.0.0.3' })).status).toBe(200);
  });
});

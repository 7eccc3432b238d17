import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempAssistant } from '../server/test-support/temp-assistant.js';
import { buildApp } from '../server/app.js';
import { channelsPlugin } from './channels-plugin.js';
import { loadChannelsConfig } from './config.js';
import { signedMoParams } from './sms/testing/fake-sms-gateway.js';
import { createTempAssistant, FAST_CORE_ENV, startChannelsApp, waitFor } from '../server/test-support/channel-test-server.js';

let t: TempAssistant;
beforeAll(async () => {
  t = await createTempAssistant();
});
afterAll(() => t?.cleanup());

describe('channelsPlugin wiring', () => {
  it('registers nothing when no channel is configured', async () => {
    const ch = await startChannelsApp(t, {});
    try {
      expect((await fetch(`${ch.base}/channels/zalo/webhook`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${ch.base}/channels/sms/inbound`)).status).toBe(404);
      expect((await fetch(`${ch.base}/healthz`)).status).toBe(200);
      expect(ch.runtime.enabled).toBe(false);
    } finally {
      await ch.app.close();
    }
  });

  it('starts the SMPP session when the app is ready and unbinds when it closes', async () => {
    let unbinds = 0;
    let binds = 0;
    const server = smpp.createServer((session) => {
      session.on('error', () => {});
      session.on('bind_transceiver', (pdu) => {
        binds++;
        session.send(pdu.response());
      });
      session.on('enquire_link', (pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu) => {
        unbinds++;
        session.send(pdu.response());
        session.close();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const ch = await startChannelsApp(t, {
      ...FAST_CORE_ENV,
      SMS_TRANSPORT: 'smpp',
      SMS_SMPP_HOST: '127.0.0.1',
      SMS_SMPP_PORT: String(port),
      SMS_SMPP_SYSTEM_ID: 'dvc',
      SMS_SMPP_PASSWORD: 'pw',
      SMS_SMPP_SOURCE_ADDR: '8088',
      SMS_SMPP_SUBMIT_TIMEOUT_MS: '1000',
    });
    await waitFor(() => binds === 1 && ch.runtime.smpp!.isBound(), 'bound on ready');
    // SMPP only: no HTTP routes.
    expect((await fetch(`${ch.base}/channels/sms/inbound`)).status).toBe(404);
    await ch.app.close();
    expect(unbinds).toBe(1);
    expect(ch.runtime.smpp!.isBound()).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(binds).toBe(1); // no reconnect after close
    await new Promise((r) => server.close(r));
  });

  it('stops the worker and sender on close (nothing runs after the database is closed)', async () => {
    const ch = await startChannelsApp(t, { ...FAST_CORE_ENV, SMS_TRANSPORT: 'http', SMS_HTTP_CPID: 'c', SMS_HTTP_PRIVATE_KEY: 'p', SMS_HTTP_SEND_URL: 'http://127.0.0.1:9/send', SMS_HTTP_TIMEOUT_MS: '1000' });
    expect((await fetch(`${ch.base}/channels/sms/inbound`)).status).toBe(401);
    await ch.app.close();
    // If the loops were still running they would hit the closed database and log errors.
    const before = ch.logLines.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(ch.logLines.length).toBe(before);
  });

  it("keeps callback URLs (phone number, message) out of fastify's request log", async () => {
    const lines: string[] = [];
    const app = await buildApp({ assistant: t.assistant, logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
    const config = loadChannelsConfig({ ...FAST_CORE_ENV, SMS_TRANSPORT: 'http', SMS_HTTP_CPID: 'c', SMS_HTTP_PRIVATE_KEY: 'p', SMS_HTTP_SEND_URL: 'http://127.0.0.1:9/send', SMS_HTTP_TIMEOUT_MS: '1000' });
    await app.register(channelsPlugin, { assistant: t.assistant, config });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const params = signedMoParams({ cpid: 'c', privateKey: 'p', sender: '84977123456', content: 'noi dung rieng tu', smsid: 'log-1' });
      expect((await fetch(`${base}/channels/sms/inbound?${new URLSearchParams(params)}`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const log = lines.join('\n');
      expect(log).toContain('/healthz'); // the app's request logging is on…
      expect(log).not.toContain('84977123456'); // …but not for the channel routes
      expect(log).not.toContain('rieng');
    } finally {
      await app.close();
    }
  });
});

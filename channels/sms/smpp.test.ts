import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Server, type Session } from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempAssistant } from '../../server/test-support/temp-assistant.js';
import { createTempAssistant, FAST_CORE_ENV, startChannelsApp, waitFor, type ChannelsApp } from '../../server/test-support/channel-test-server.js';
import { isGsm7, smsLength } from './gsm.js';

/** A real SMPP server (node-smpp) on loopback plays the SMSC. */
interface Smsc {
  server: Server;
  port: number;
  sessions: Session[];
  binds: Array<{ system_id: string; password: string; interface_version: number }>;
  submits: PDU[];
  deliverResps: PDU[];
  enquireLinksFromClient: number;
  nextMessageId: number;
  refuseBinds: boolean;
}

async function startSmsc(): Promise<Smsc> {
  const smsc: Smsc = { server: null as unknown as Server, port: 0, sessions: [], binds: [], submits: [], deliverResps: [], enquireLinksFromClient: 0, nextMessageId: 0xa000, refuseBinds: false };
  smsc.server = smpp.createServer((session) => {
    session.on('error', () => {});
    session.on('bind_transceiver', (pdu: PDU) => {
      smsc.binds.push({ system_id: pdu.system_id, password: pdu.password, interface_version: pdu.interface_version });
      if (smsc.refuseBinds || pdu.system_id !== 'dvc' || pdu.password !== 'pw') {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
        session.close();
        return;
      }
      smsc.sessions.push(session);
      session.send(pdu.response({ system_id: 'fake-smsc' }));
    });
    session.on('submit_sm', (pdu: PDU) => {
      smsc.submits.push(pdu);
      // Hex message ids, as many SMSCs return them.
      session.send(pdu.response({ message_id: (++smsc.nextMessageId).toString(16) }));
    });
    session.on('enquire_link', (pdu: PDU) => {
      smsc.enquireLinksFromClient++;
      session.send(pdu.response());
    });
    session.on('deliver_sm_resp', (pdu: PDU) => smsc.deliverResps.push(pdu));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('close', () => {
      smsc.sessions = smsc.sessions.filter((s) => s !== session);
    });
  });
  await new Promise<void>((resolve) => smsc.server.listen(0, '127.0.0.1', resolve));
  smsc.port = (smsc.server.address() as AddressInfo).port;
  return smsc;
}

const active = (smsc: Smsc) => smsc.sessions[smsc.sessions.length - 1];
function deliver(smsc: Smsc, params: Record<string, unknown>): Promise<PDU> {
  return new Promise((resolve) => active(smsc).deliver_sm({ source_addr_ton: 1, source_addr_npi: 1, destination_addr: '8088', data_coding: 0, ...params }, resolve));
}
const textOf = (pdu: PDU): string => (typeof pdu.short_message === 'object' && 'message' in pdu.short_message ? String(pdu.short_message.message) : String(pdu.short_message));
const udhOf = (pdu: PDU): Buffer | null => (typeof pdu.short_message === 'object' && pdu.short_message.udh ? pdu.short_message.udh[0] : null);

let t: TempAssistant;
let smsc: Smsc;
let ch: ChannelsApp;
let seq = 0;
const phone = () => `8498${String(Date.now()).slice(-5)}${String(++seq).padStart(2, '0')}`;
const submitsTo = (u: string) => smsc.submits.filter((p) => p.destination_addr === u);
const db = () => t.assistant.db;
const count = (sql: string, ...args: unknown[]) => (db().prepare(sql).get(...args) as { n: number }).n;

beforeAll(async () => {
  t = await createTempAssistant();
  smsc = await startSmsc();
  ch = await startChannelsApp(t, {
    ...FAST_CORE_ENV,
    SMS_TRANSPORT: 'smpp',
    SMS_SMPP_HOST: '127.0.0.1',
    SMS_SMPP_PORT: String(smsc.port),
    SMS_SMPP_SYSTEM_ID: 'dvc',
    SMS_SMPP_PASSWORD: 'pw',
    SMS_SMPP_SOURCE_ADDR: '8088',
    SMS_SMPP_ENQUIRE_LINK_MS: '150',
    SMS_SMPP_RECONNECT_MIN_MS: '50',
    SMS_SMPP_RECONNECT_MAX_MS: '200',
    SMS_SMPP_SUBMIT_TIMEOUT_MS: '1000',
  });
  await ch.runtime.smpp!.waitBound(5000);
});
afterAll(async () => {
  await ch?.app.close();
  await new Promise((r) => smsc?.server.close(r));
  t?.cleanup();
});

describe('SMS over SMPP 3.4 against a real SMPP server on loopback', () => {
  it('binds as a transceiver and keeps the link alive with enquire_link both ways', async () => {
    expect(smsc.binds[0]).toEqual({ system_id: 'dvc', password: 'pw', interface_version: 0x34 });
    const resp = await new Promise<PDU>((resolve) => active(smsc).enquire_link({}, resolve));
    expect(resp.command).toBe('enquire_link_resp');
    await waitFor(() => smsc.enquireLinksFromClient > 0, 'enquire_link from the client');
  });

  it('answers an MO deliver_sm (deliver_sm_resp) with a GSM-7 submit_sm reply requesting a receipt', async () => {
    const u = phone();
    const resp = await deliver(smsc, { source_addr: u, short_message: 'Quen mat khau VNeID thi lam sao?' });
    expect(resp.command).toBe('deliver_sm_resp');
    expect(resp.command_status).toBe(0);
    await waitFor(() => submitsTo(u).length > 0 && count("SELECT COUNT(*) AS n FROM channel_outbox WHERE user_id = ? AND state != 'sent'", u) === 0, 'reply');
    const parts = submitsTo(u);
    for (const p of parts) {
      expect(p.data_coding).toBe(0);
      expect(p.registered_delivery).toBe(1);
      expect(p.source_addr).toBe('8088');
      expect(p.dest_addr_ton).toBe(1);
      expect(isGsm7(textOf(p))).toBe(true);
    }
    const text = parts.map(textOf).join('');
    expect(text).not.toMatch(/[ăâđêôơưĂÂĐÊÔƠƯáàảãạ]/);
    expect(text).toContain('1800 1096');
  });

  it('splits a long reply into concatenated parts with a shared UDH reference (esm_class 0x40, 153 septets each)', async () => {
    const u = phone();
    await deliver(smsc, { source_addr: u, short_message: 'Dang ky thuong tru can nhung giay to gi?' });
    await waitFor(() => count("SELECT COUNT(*) AS n FROM channel_outbox WHERE user_id = ? AND state = 'sent'", u) > 0 &&
      count("SELECT COUNT(*) AS n FROM channel_outbox WHERE user_id = ? AND state != 'sent'", u) === 0, 'all parts');
    const parts = submitsTo(u);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(3);
    const udhs = parts.map(udhOf);
    const ref = udhs[0]![2];
    udhs.forEach((udh, i) => {
      expect(udh).not.toBeNull();
      expect([...udh!]).toEqual([0x00, 0x03, ref, parts.length, i + 1]);
      expect(parts[i].esm_class & 0x40).toBe(0x40);
      expect(smsLength(textOf(parts[i]), 'gsm7')).toBeLessThanOrEqual(153);
    });
    const whole = parts.map(textOf).join('');
    expect(smsLength(whole, 'gsm7')).toBeLessThanOrEqual(459);
    expect(whole).toMatch(/Tong dai: 1800 1096|Tra loi 1 de xem tiep/);
  });

  it('records delivery receipts (deliver_sm esm_class 0x04, id in hex or decimal) and answers them', async () => {
    const u = phone();
    await deliver(smsc, { source_addr: u, short_message: 'xin chao' });
    await waitFor(() => submitsTo(u).length > 0 && db().prepare("SELECT provider_message_id FROM channel_outbox WHERE user_id = ? AND state = 'sent'").get(u), 'sent');
    const row = db().prepare('SELECT id, provider_message_id FROM channel_outbox WHERE user_id = ? ORDER BY id LIMIT 1').get(u) as any;
    const decimalId = String(parseInt(row.provider_message_id, 16));
    const resp = await deliver(smsc, {
      source_addr: u,
      esm_class: 0x04,
      short_message: `id:${decimalId} sub:001 dlvrd:001 submit date:2511221530 done date:2511221531 stat:DELIVRD err:000 text:xin chao`,
    });
    expect(resp.command_status).toBe(0);
    await waitFor(() => (db().prepare('SELECT delivery_status FROM channel_outbox WHERE id = ?').get(row.id) as any).delivery_status === 'DELIVRD', 'receipt');
    const receipt = db().prepare('SELECT * FROM channel_delivery_receipts WHERE outbox_id = ?').get(row.id) as any;
    expect(receipt).toMatchObject({ stat: 'DELIVRD', err: '000' });
    // A receipt is not a question: nothing new in the inbox.
    expect(db().prepare("SELECT COUNT(*) AS n FROM channel_inbox WHERE user_id = ?").get(u)).toEqual({ n: 1 });
  });

  it('drops an SMSC re-delivery of the same deliver_sm (same sequence number and content)', async () => {
    const u = phone();
    await deliver(smsc, { source_addr: u, short_message: 'xin chao', sequence_number: 424242 });
    await deliver(smsc, { source_addr: u, short_message: 'xin chao', sequence_number: 424242 });
    await deliver(smsc, { source_addr: u, short_message: 'cam on', sequence_number: 424242 });
    await waitFor(() => count("SELECT COUNT(*) AS n FROM channel_inbox WHERE user_id = ? AND state = 'answered'", u) === 2, 'two answered');
    expect(count('SELECT COUNT(*) AS n FROM channel_inbox WHERE user_id = ?', u)).toBe(2);
  });

  it('reassembles a concatenated MO and decodes UCS-2 with diacritics', async () => {
    const u = phone();
    const ref = 0x42;
    await deliver(smsc, { source_addr: u, esm_class: 0x40, data_coding: 8, short_message: { udh: Buffer.from([5, 0, 3, ref, 2, 2]), message: ' cần những giấy tờ gì?' } });
    await deliver(smsc, { source_addr: u, esm_class: 0x40, data_coding: 8, short_message: { udh: Buffer.from([5, 0, 3, ref, 2, 1]), message: 'Đăng ký thường trú' } });
    await waitFor(() => db().prepare("SELECT answer_id FROM channel_inbox WHERE user_id = ? AND state = 'answered'").get(u), 'answered');
    const inbox = db().prepare('SELECT * FROM channel_inbox WHERE user_id = ?').all(u) as any[];
    expect(inbox).toHaveLength(1);
    const answer = db().prepare('SELECT question_redacted, topics FROM answers WHERE id = ?').get(inbox[0].answer_id) as any;
    expect(answer.question_redacted).toBe('Đăng ký thường trú cần những giấy tờ gì?');
    expect(JSON.parse(answer.topics)).toContain('service.residence-registration');
  });

  it('rebinds automatically after the connection drops, and delivers what was queued meanwhile', async () => {
    const bindsBefore = smsc.binds.length;
    smsc.refuseBinds = true;
    active(smsc).socket.destroy();
    await waitFor(() => !ch.runtime.smpp!.isBound(), 'unbound');
    await waitFor(() => smsc.binds.length >= bindsBefore + 2, 'refused rebind attempts');
    smsc.refuseBinds = false;
    await ch.runtime.smpp!.waitBound(5000);
    const u = phone();
    await deliver(smsc, { source_addr: u, short_message: 'xin chao' });
    await waitFor(() => submitsTo(u).length > 0, 'reply after rebind');
    expect(smsc.binds.length).toBeGreaterThanOrEqual(bindsBefore + 3);
  });

  it('re-sends a reply whose submit failed because the link was down (not bound → retry)', async () => {
    const u = phone();
    await deliver(smsc, { source_addr: u, short_message: 'xin chao' });
    // Drop the link right away: the sender may find it unbound and retry with backoff.
    active(smsc).socket.destroy();
    await ch.runtime.smpp!.waitBound(5000);
    await waitFor(() => count("SELECT COUNT(*) AS n FROM channel_outbox WHERE user_id = ? AND state = 'sent'", u) > 0, 'sent after rebind', 10_000);
    expect(submitsTo(u).length).toBeGreaterThan(0);
  });

  it('answers an unbind from the SMSC and binds again', async () => {
    // The previous test dropped the link: wait until the new session is bound on both sides.
    await waitFor(() => ch.runtime.smpp!.isBound() && smsc.binds.length > 0 && !active(smsc).socket.destroyed, 'bound before unbind');
    const before = smsc.binds.length;
    const resp = await new Promise<PDU>((resolve) => active(smsc).unbind({}, resolve));
    expect(resp.command).toBe('unbind_resp');
    await waitFor(() => smsc.binds.length > before && ch.runtime.smpp!.isBound(), 'rebound');
  });
});

import { EventEmitter } from 'node:events';
import smpp, { type PDU, type Session } from 'smpp';
import type { SmsSmppConfig } from '../config.js';
import { backoffDelay } from '../core/backoff.js';
import type { ChannelLogger } from '../core/types.js';

export class SmppNotBoundError extends Error {}
export class SmppSubmitTimeoutError extends Error {}
export class SmppConnectionLostError extends Error {}

export interface SmppClientOptions {
  config: SmsSmppConfig;
  log: ChannelLogger;
  /** Stores an incoming deliver_sm (MO or receipt). Throwing makes us answer a temporary error so the SMSC retries. */
  onDeliver(pdu: PDU): void;
  random?: () => number;
}

/**
 * An SMPP 3.4 transceiver session that stays up: bind_transceiver on connect, answers
 * enquire_link, deliver_sm (always with deliver_sm_resp) and unbind, sends its own enquire_link
 * and drops a silent link, and reconnects with exponential backoff after any close. Every session
 * has an 'error' handler (node-smpp re-emits socket errors; unhandled, they kill the process).
 */
export function createSmppClient(opts: SmppClientOptions) {
  const { config, log } = opts;
  const events = new EventEmitter();
  let session: Session | null = null;
  let bound = false;
  let stopped = true;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let enquireTimer: NodeJS.Timeout | null = null;
  let connectTimer: NodeJS.Timeout | null = null;
  const pending = new Set<{ fail(err: Error): void }>();

  function clearTimers(): void {
    if (enquireTimer) clearInterval(enquireTimer);
    if (connectTimer) clearTimeout(connectTimer);
    enquireTimer = null;
    connectTimer = null;
  }

  function scheduleReconnect(): void {
    if (stopped || reconnectTimer) return;
    const delay = backoffDelay(++attempt, config.reconnectMinMs, config.reconnectMaxMs, opts.random);
    log.info({ attempt, delayMs: delay }, 'smpp: reconnecting');
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function startEnquireLink(s: Session): void {
    enquireTimer = setInterval(() => {
      if (!bound || session !== s) return;
      const timeout = setTimeout(() => {
        log.warn({}, 'smpp: no enquire_link_resp, dropping the link');
        s.destroy();
      }, Math.min(config.enquireLinkMs, 10_000));
      const sent = s.enquire_link({}, () => clearTimeout(timeout));
      if (!sent) clearTimeout(timeout);
    }, config.enquireLinkMs);
  }

  function connect(): void {
    if (stopped) return;
    const s = smpp.connect({ host: config.host, port: config.port, tls: config.tls });
    session = s;
    s.on('error', (err: Error & { code?: string }) => {
      log.warn({ code: err.code ?? null, message: err.message.slice(0, 200) }, 'smpp: connection error');
    });
    connectTimer = setTimeout(() => {
      if (!bound) {
        log.warn({}, 'smpp: connect/bind timed out');
        s.destroy();
      }
    }, Math.max(config.submitTimeoutMs, 5_000));
    s.on(config.tls ? 'secureConnect' : 'connect', () => {
      s.bind_transceiver({ system_id: config.systemId, password: config.password, system_type: config.systemType, interface_version: 0x34 }, (pdu: PDU) => {
        if (pdu.command_status !== 0) {
          log.error({ status: pdu.command_status }, 'smpp: bind_transceiver refused');
          s.destroy();
          return;
        }
        if (connectTimer) clearTimeout(connectTimer);
        connectTimer = null;
        bound = true;
        attempt = 0;
        log.info({}, 'smpp: bound as transceiver');
        startEnquireLink(s);
        events.emit('bound');
      });
    });
    s.on('enquire_link', (pdu: PDU) => {
      s.send(pdu.response());
    });
    s.on('deliver_sm', (pdu: PDU) => {
      let status = 0;
      try {
        opts.onDeliver(pdu);
      } catch (err) {
        status = smpp.ESME_RX_T_APPN;
        log.error({ err: { message: (err as Error).message } }, 'smpp: could not store deliver_sm; answered with a temporary error');
      }
      s.send(pdu.response(status ? { command_status: status } : {}));
    });
    s.on('unbind', (pdu: PDU) => {
      log.info({}, 'smpp: SMSC asked to unbind');
      bound = false;
      s.send(pdu.response());
      s.close();
    });
    s.on('generic_nack', (pdu: PDU) => {
      log.warn({ status: pdu.command_status }, 'smpp: generic_nack');
    });
    s.on('close', () => {
      const wasBound = bound;
      bound = false;
      clearTimers();
      if (session === s) session = null;
      for (const p of [...pending]) p.fail(new SmppConnectionLostError('SMPP connection closed before submit_sm_resp'));
      pending.clear();
      if (wasBound) log.warn({}, 'smpp: connection closed');
      events.emit('closed');
      scheduleReconnect();
    });
  }

  return {
    events,
    isBound: () => bound,
    start(): void {
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      connect();
    },
    /** Resolves once bound (or rejects after `timeoutMs`). */
    waitBound(timeoutMs = 10_000): Promise<void> {
      if (bound) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          events.off('bound', onBound);
          reject(new Error('SMPP not bound in time'));
        }, timeoutMs);
        const onBound = () => {
          clearTimeout(t);
          resolve();
        };
        events.once('bound', onBound);
      });
    },
    /** Sends submit_sm and resolves with the submit_sm_resp. */
    submit(params: Record<string, unknown>): Promise<PDU> {
      const s = session;
      if (!s || !bound) return Promise.reject(new SmppNotBoundError('SMPP session not bound'));
      return new Promise((resolve, reject) => {
        const entry = {
          fail(err: Error) {
            clearTimeout(timer);
            reject(err);
          },
        };
        const timer = setTimeout(() => {
          pending.delete(entry);
          reject(new SmppSubmitTimeoutError(`no submit_sm_resp within ${config.submitTimeoutMs} ms`));
        }, config.submitTimeoutMs);
        pending.add(entry);
        const written = s.submit_sm(params, (pdu: PDU) => {
          clearTimeout(timer);
          pending.delete(entry);
          resolve(pdu);
        });
        if (!written) {
          clearTimeout(timer);
          pending.delete(entry);
          reject(new SmppNotBoundError('SMPP socket not writable'));
        }
      });
    },
    /** Unbinds politely (1 s at most) and stops reconnecting. */
    stop(): Promise<void> {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const s = session;
      if (!s || s.socket.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => s.destroy(), 1_000);
        s.socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        if (bound && s.socket.writable) {
          bound = false;
          const sent = s.unbind({}, () => s.close());
          if (!sent) s.destroy();
        } else {
          s.destroy();
        }
      });
    },
  };
}

export type SmppClient = ReturnType<typeof createSmppClient>;

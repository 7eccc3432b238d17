// Minimal types for the parts of the `smpp` package (node-smpp 0.5) used by the SMS channel.
/* eslint-disable @typescript-eslint/no-explicit-any -- untyped library: PDU fields and commands depend on the command id */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    [key: string]: any;
  }

  export class Session extends EventEmitter {
    socket: Socket;
    server?: Server;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    enquire_link(options?: Record<string, unknown> | ((pdu: PDU) => void), responseCallback?: (pdu: PDU) => void): boolean;
    unbind(options?: Record<string, unknown> | ((pdu: PDU) => void), responseCallback?: (pdu: PDU) => void): boolean;
    [command: string]: any;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export function connect(options: Record<string, unknown>, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function createServer(listener?: (session: Session) => void): Server;

  export const ESME_ROK: number;
  export const ESME_RSYSERR: number;
  export const ESME_RINVDSTADR: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RMSGQFUL: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RX_T_APPN: number;
  export const ESM_CLASS: Record<string, number>;
  export const ENCODING: Record<string, number>;

  const smpp: {
    connect: typeof connect;
    createServer: typeof createServer;
    Session: typeof Session;
    Server: typeof Server;
    ESME_ROK: number;
    ESME_RSYSERR: number;
    ESME_RINVDSTADR: number;
    ESME_RBINDFAIL: number;
    ESME_RMSGQFUL: number;
    ESME_RTHROTTLED: number;
    ESME_RX_T_APPN: number;
    ESM_CLASS: Record<string, number>;
    ENCODING: Record<string, number>;
  };
  export default smpp;
}

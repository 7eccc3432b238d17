import { ConfigError } from '../server/config/config-error.js';

/** A channel setting is missing or invalid. Extends the server's ConfigError so start-up reports it the same way. */
export class ChannelsConfigError extends ConfigError {}

export interface CoreChannelConfig {
  userRateMax: number;
  userRateWindowMs: number;
  workerLeaseMs: number;
  maxProcessAttempts: number;
  sendLeaseMs: number;
  sendMaxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  sendConcurrency: number;
  unknownOutcome: 'resend' | 'hold';
  pollMs: number;
  userRetentionDays: number;
}

export interface ZaloConfig {
  appId: string;
  oaId: string | null;
  appSecret: string | null;
  /** The secret the webhook signature is computed with, and which one it is. */
  signatureSecret: string;
  signatureSecretKind: 'oa_secret_key' | 'app_secret';
  signatureIdKind: 'app_id' | 'oa_id';
  apiBaseUrl: string;
  oauthBaseUrl: string;
  refreshTokenSeed: string | null;
  refreshMarginMs: number;
  timestampWindowMs: number;
  requestTimeoutMs: number;
  maxTextChars: number;
  reconcile: boolean;
  ackUnsigned: boolean;
}

export interface SmsHttpConfig {
  cpid: string;
  privateKey: string;
  /** Inbound callback: our logical field → the gateway's parameter name(s), first present wins. */
  inboundFields: Record<'sender' | 'content' | 'smsid' | 'receiveTime' | 'serviceNumber' | 'keyword' | 'sign', string[]>;
  /**
   * hmac-sha256 (default): HMAC over every field, each framed with its name and byte length, so no
   * character can move from one field to another. md5: the reference aggregator's MD5 of
   * `signFields` joined without separators, for gateways that cannot do better (weaker: the
   * timestamp window and replay store are then the main protection).
   */
  signature: 'hmac-sha256' | 'md5';
  /** Order of the values hashed for `sign` in md5 mode (logical names; cpid and privateKey come from config). */
  signFields: string[];
  /** Callbacks whose receive time is further than this from our clock are refused. */
  maxAgeMs: number;
  /** The gateway's receive time (yyyyMMddHHmmss) is local time at this offset from UTC, in minutes. */
  timeOffsetMinutes: number;
  inboundOkBody: string;
  sendUrl: string;
  sendMethod: 'POST' | 'GET';
  sendFormat: 'json' | 'form';
  /** Our outbound field → the gateway's parameter name ('' drops it). */
  sendFields: Record<'to' | 'text' | 'sender' | 'requestId' | 'unicode', string>;
  sendStatic: Record<string, string>;
  sendHeaders: Record<string, string>;
  sender: string;
  successField: string | null;
  successValues: string[];
  retryableValues: string[];
  messageIdField: string;
  /** The gateway drops a repeated requestId, so a message whose outcome is unknown can be re-sent safely. */
  idempotentResend: boolean;
  timeoutMs: number;
}

export interface SmsSmppConfig {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  sourceAddr: string;
  sourceTon: number;
  sourceNpi: number;
  destTon: number;
  destNpi: number;
  enquireLinkMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  submitTimeoutMs: number;
  tls: boolean;
}

export interface SmsConfig {
  transport: 'http' | 'smpp';
  encoding: 'gsm7' | 'ucs2';
  maxParts: number;
  http: SmsHttpConfig | null;
  smpp: SmsSmppConfig | null;
}

export interface ChannelsConfig {
  core: CoreChannelConfig;
  zalo: ZaloConfig | null;
  sms: SmsConfig | null;
}

type Env = Record<string, string | undefined>;

const val = (env: Env, key: string): string | undefined => {
  const v = env[key];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = val(env, key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ChannelsConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const raw = val(env, key);
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v)) throw new ChannelsConfigError(`${key} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return v;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = val(env, key);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ChannelsConfigError(`${key} must be true or false, got "${raw}"`);
}

function required(env: Env, key: string, why: string): string {
  const v = val(env, key);
  if (v === undefined) throw new ChannelsConfigError(`${key} is required ${why}`);
  return v;
}

function url(env: Env, key: string, fallback: string | undefined, why = ''): string {
  const raw = val(env, key) ?? fallback;
  if (raw === undefined) throw new ChannelsConfigError(`${key} is required ${why}`.trim());
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ChannelsConfigError(`${key} must be an http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ChannelsConfigError(`${key} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/$/, '');
}

/** "a=b,c=d" → {a: "b", c: "d"} (values may contain "=", not ","). */
export function parsePairs(raw: string | undefined, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const item of raw.split(',')) {
    if (!item.trim()) continue;
    const i = item.indexOf('=');
    if (i <= 0) throw new ChannelsConfigError(`${key} must look like "name=value,name2=value2", got "${item.trim()}"`);
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}

function loadCore(env: Env): CoreChannelConfig {
  const core: CoreChannelConfig = {
    userRateMax: int(env, 'CHANNELS_USER_RATE_MAX', 10, 1, 10_000),
    userRateWindowMs: int(env, 'CHANNELS_USER_RATE_WINDOW_MS', 60_000, 1_000, 86_400_000),
    workerLeaseMs: int(env, 'CHANNELS_WORKER_LEASE_MS', 60_000, 100, 3_600_000),
    maxProcessAttempts: int(env, 'CHANNELS_MAX_PROCESS_ATTEMPTS', 5, 1, 100),
    sendLeaseMs: int(env, 'CHANNELS_SEND_LEASE_MS', 60_000, 100, 3_600_000),
    sendMaxAttempts: int(env, 'CHANNELS_SEND_MAX_ATTEMPTS', 8, 1, 100),
    backoffBaseMs: int(env, 'CHANNELS_BACKOFF_BASE_MS', 2_000, 1, 3_600_000),
    backoffMaxMs: int(env, 'CHANNELS_BACKOFF_MAX_MS', 600_000, 1, 86_400_000),
    sendConcurrency: int(env, 'CHANNELS_SEND_CONCURRENCY', 8, 1, 256),
    unknownOutcome: oneOf(env, 'CHANNELS_UNKNOWN_OUTCOME', ['resend', 'hold'] as const, 'resend'),
    pollMs: int(env, 'CHANNELS_POLL_MS', 1_000, 10, 60_000),
    userRetentionDays: int(env, 'CHANNELS_USER_RETENTION_DAYS', 180, 1, 3_650),
  };
  if (core.backoffMaxMs < core.backoffBaseMs) throw new ChannelsConfigError('CHANNELS_BACKOFF_MAX_MS must be at least CHANNELS_BACKOFF_BASE_MS');
  return core;
}

function loadZalo(env: Env, core: CoreChannelConfig): ZaloConfig | null {
  const appId = val(env, 'ZALO_APP_ID');
  if (!appId) {
    const stray = ['ZALO_OA_ID', 'ZALO_SECRET', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_REFRESH_TOKEN'].filter((k) => val(env, k));
    if (stray.length) throw new ChannelsConfigError(`${stray.join(', ')} set but ZALO_APP_ID is not: set ZALO_APP_ID to enable the Zalo channel`);
    return null;
  }
  const secretKind = oneOf(env, 'ZALO_SIGNATURE_SECRET_KIND', ['oa_secret_key', 'app_secret'] as const, 'oa_secret_key');
  const idKind = oneOf(env, 'ZALO_SIGNATURE_ID_KIND', ['app_id', 'oa_id'] as const, 'app_id');
  const oaId = val(env, 'ZALO_OA_ID') ?? null;
  if (idKind === 'oa_id' && !oaId) throw new ChannelsConfigError('ZALO_SIGNATURE_ID_KIND=oa_id needs ZALO_OA_ID');
  // ZALO_SECRET is the signature secret of the selected kind; the specific variables take precedence.
  const generic = val(env, 'ZALO_SECRET');
  const appSecret = val(env, 'ZALO_APP_SECRET') ?? (secretKind === 'app_secret' ? generic : undefined) ?? null;
  const oaSecretKey = val(env, 'ZALO_OA_SECRET_KEY') ?? (secretKind === 'oa_secret_key' ? generic : undefined) ?? null;
  const signatureSecret = secretKind === 'app_secret' ? appSecret : oaSecretKey;
  if (!signatureSecret) {
    throw new ChannelsConfigError(
      secretKind === 'app_secret'
        ? 'ZALO_SIGNATURE_SECRET_KIND=app_secret needs ZALO_APP_SECRET (or ZALO_SECRET) to verify webhooks'
        : 'the Zalo channel needs ZALO_OA_SECRET_KEY (or ZALO_SECRET) — the OA Secret Key — to verify webhooks',
    );
  }
  if (!appSecret) throw new ChannelsConfigError('the Zalo channel needs ZALO_APP_SECRET (the App Secret, sent as secret_key when refreshing tokens)');
  const reconcile = oneOf(env, 'ZALO_RECONCILE', ['conversation', 'off'] as const, 'conversation') === 'conversation';
  const cfg: ZaloConfig = {
    appId,
    oaId,
    appSecret,
    signatureSecret,
    signatureSecretKind: secretKind,
    signatureIdKind: idKind,
    apiBaseUrl: url(env, 'ZALO_API_BASE_URL', 'https://openapi.zalo.me'),
    oauthBaseUrl: url(env, 'ZALO_OAUTH_BASE_URL', 'https://oauth.zaloapp.com'),
    refreshTokenSeed: val(env, 'ZALO_REFRESH_TOKEN') ?? null,
    refreshMarginMs: int(env, 'ZALO_TOKEN_REFRESH_MARGIN_MS', 300_000, 0, 86_400_000),
    timestampWindowMs: int(env, 'ZALO_WEBHOOK_MAX_AGE_MS', 300_000, 1_000, 86_400_000),
    requestTimeoutMs: int(env, 'ZALO_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
    maxTextChars: int(env, 'ZALO_MAX_TEXT_CHARS', 2000, 100, 2000),
    reconcile,
    ackUnsigned: bool(env, 'ZALO_ACK_UNSIGNED', false),
  };
  if (core.sendLeaseMs <= cfg.requestTimeoutMs * 2) {
    throw new ChannelsConfigError(`CHANNELS_SEND_LEASE_MS (${core.sendLeaseMs}) must be more than twice ZALO_REQUEST_TIMEOUT_MS (${cfg.requestTimeoutMs}): a send may refresh the token and retry once`);
  }
  return cfg;
}

const DEFAULT_INBOUND_FIELDS: SmsHttpConfig['inboundFields'] = {
  sender: ['sender'],
  content: ['content'],
  smsid: ['smsid'],
  // The reference example names the parameter receiverTime but hashes "receiveTime": accept both.
  receiveTime: ['receiverTime', 'receiveTime'],
  serviceNumber: ['serviceNumber'],
  keyword: ['keyword'],
  sign: ['sign'],
};

function loadSmsHttp(env: Env, core: CoreChannelConfig): SmsHttpConfig {
  const inbound = { ...DEFAULT_INBOUND_FIELDS };
  for (const [k, v] of Object.entries(parsePairs(val(env, 'SMS_HTTP_INBOUND_FIELDS'), 'SMS_HTTP_INBOUND_FIELDS'))) {
    if (!(k in inbound)) throw new ChannelsConfigError(`SMS_HTTP_INBOUND_FIELDS: unknown field "${k}" (known: ${Object.keys(inbound).join(', ')})`);
    inbound[k as keyof typeof inbound] = v.split('|').map((s) => s.trim()).filter(Boolean);
  }
  const signFields = (val(env, 'SMS_HTTP_SIGN_FIELDS') ?? 'cpid,smsid,content,receiveTime,privateKey').split(',').map((s) => s.trim()).filter(Boolean);
  const allowedSign = new Set(['cpid', 'privateKey', 'sender', 'content', 'smsid', 'receiveTime', 'serviceNumber', 'keyword']);
  for (const f of signFields) if (!allowedSign.has(f)) throw new ChannelsConfigError(`SMS_HTTP_SIGN_FIELDS: unknown field "${f}" (known: ${[...allowedSign].join(', ')})`);
  const sendFields = { to: 'to', text: 'text', sender: 'sender', requestId: 'requestId', unicode: 'unicode' };
  for (const [k, v] of Object.entries(parsePairs(val(env, 'SMS_HTTP_SEND_FIELDS'), 'SMS_HTTP_SEND_FIELDS'))) {
    if (!(k in sendFields)) throw new ChannelsConfigError(`SMS_HTTP_SEND_FIELDS: unknown field "${k}" (known: ${Object.keys(sendFields).join(', ')})`);
    sendFields[k as keyof typeof sendFields] = v;
  }
  const success = val(env, 'SMS_HTTP_SUCCESS');
  let successField: string | null = null;
  let successValues: string[] = [];
  if (success) {
    const i = success.indexOf('=');
    if (i <= 0) throw new ChannelsConfigError(`SMS_HTTP_SUCCESS must look like "field=value" or "field=v1|v2", got "${success}"`);
    successField = success.slice(0, i).trim();
    successValues = success.slice(i + 1).split('|').map((s) => s.trim());
  }
  const cfg: SmsHttpConfig = {
    cpid: required(env, 'SMS_HTTP_CPID', 'for SMS_TRANSPORT=http (the partner id the gateway signs callbacks with)'),
    privateKey: required(env, 'SMS_HTTP_PRIVATE_KEY', 'for SMS_TRANSPORT=http (the key the gateway signs callbacks with)'),
    inboundFields: inbound,
    signature: oneOf(env, 'SMS_HTTP_SIGNATURE', ['hmac-sha256', 'md5'] as const, 'hmac-sha256'),
    signFields,
    maxAgeMs: int(env, 'SMS_HTTP_MAX_AGE_S', 300, 10, 86_400) * 1000,
    timeOffsetMinutes: int(env, 'SMS_HTTP_TIME_OFFSET_MINUTES', 420, -720, 840),
    inboundOkBody: val(env, 'SMS_HTTP_INBOUND_OK_BODY') ?? '{"status":0,"message":"received"}',
    sendUrl: url(env, 'SMS_HTTP_SEND_URL', undefined, 'for SMS_TRANSPORT=http (the gateway URL replies are sent to)'),
    sendMethod: oneOf(env, 'SMS_HTTP_SEND_METHOD', ['post', 'get'] as const, 'post').toUpperCase() as 'POST' | 'GET',
    sendFormat: oneOf(env, 'SMS_HTTP_SEND_FORMAT', ['json', 'form'] as const, 'json'),
    sendFields,
    sendStatic: parsePairs(val(env, 'SMS_HTTP_SEND_STATIC'), 'SMS_HTTP_SEND_STATIC'),
    sendHeaders: parsePairs(val(env, 'SMS_HTTP_SEND_HEADERS'), 'SMS_HTTP_SEND_HEADERS'),
    sender: val(env, 'SMS_HTTP_SENDER') ?? '',
    successField,
    successValues,
    retryableValues: (val(env, 'SMS_HTTP_RETRYABLE_VALUES') ?? '').split('|').map((s) => s.trim()).filter(Boolean),
    messageIdField: val(env, 'SMS_HTTP_MESSAGE_ID_FIELD') ?? 'messageId',
    idempotentResend: bool(env, 'SMS_HTTP_IDEMPOTENT_RESEND', true),
    timeoutMs: int(env, 'SMS_HTTP_TIMEOUT_MS', 10_000, 100, 120_000),
  };
  if (cfg.idempotentResend && !cfg.sendFields.requestId) {
    throw new ChannelsConfigError('SMS_HTTP_IDEMPOTENT_RESEND=true needs a requestId field in SMS_HTTP_SEND_FIELDS (the gateway de-duplicates on it)');
  }
  if (core.sendLeaseMs <= cfg.timeoutMs) throw new ChannelsConfigError(`CHANNELS_SEND_LEASE_MS (${core.sendLeaseMs}) must be more than SMS_HTTP_TIMEOUT_MS (${cfg.timeoutMs})`);
  return cfg;
}

function loadSmpp(env: Env, core: CoreChannelConfig): SmsSmppConfig {
  const cfg: SmsSmppConfig = {
    host: required(env, 'SMS_SMPP_HOST', 'for SMS_TRANSPORT=smpp'),
    port: int(env, 'SMS_SMPP_PORT', 2775, 1, 65535),
    systemId: required(env, 'SMS_SMPP_SYSTEM_ID', 'for SMS_TRANSPORT=smpp'),
    password: required(env, 'SMS_SMPP_PASSWORD', 'for SMS_TRANSPORT=smpp'),
    systemType: val(env, 'SMS_SMPP_SYSTEM_TYPE') ?? '',
    sourceAddr: required(env, 'SMS_SMPP_SOURCE_ADDR', 'for SMS_TRANSPORT=smpp (the short code replies come from)'),
    sourceTon: int(env, 'SMS_SMPP_SOURCE_TON', 0, 0, 6),
    sourceNpi: int(env, 'SMS_SMPP_SOURCE_NPI', 0, 0, 18),
    destTon: int(env, 'SMS_SMPP_DEST_TON', 1, 0, 6),
    destNpi: int(env, 'SMS_SMPP_DEST_NPI', 1, 0, 18),
    enquireLinkMs: int(env, 'SMS_SMPP_ENQUIRE_LINK_MS', 30_000, 100, 600_000),
    reconnectMinMs: int(env, 'SMS_SMPP_RECONNECT_MIN_MS', 1_000, 10, 600_000),
    reconnectMaxMs: int(env, 'SMS_SMPP_RECONNECT_MAX_MS', 60_000, 10, 3_600_000),
    submitTimeoutMs: int(env, 'SMS_SMPP_SUBMIT_TIMEOUT_MS', 10_000, 100, 120_000),
    tls: bool(env, 'SMS_SMPP_TLS', false),
  };
  if (cfg.systemId.length > 15) throw new ChannelsConfigError('SMS_SMPP_SYSTEM_ID is at most 15 characters (SMPP 3.4)');
  if (cfg.password.length > 8) throw new ChannelsConfigError('SMS_SMPP_PASSWORD is at most 8 characters (SMPP 3.4)');
  if (cfg.reconnectMaxMs < cfg.reconnectMinMs) throw new ChannelsConfigError('SMS_SMPP_RECONNECT_MAX_MS must be at least SMS_SMPP_RECONNECT_MIN_MS');
  if (core.sendLeaseMs <= cfg.submitTimeoutMs) throw new ChannelsConfigError(`CHANNELS_SEND_LEASE_MS (${core.sendLeaseMs}) must be more than SMS_SMPP_SUBMIT_TIMEOUT_MS (${cfg.submitTimeoutMs})`);
  return cfg;
}

function loadSms(env: Env, core: CoreChannelConfig): SmsConfig | null {
  const transport = oneOf(env, 'SMS_TRANSPORT', ['none', 'http', 'smpp'] as const, 'none');
  if (transport === 'none') return null;
  const encoding = oneOf(env, 'SMS_ENCODING', ['gsm7', 'ucs2'] as const, 'gsm7');
  return {
    transport,
    encoding,
    maxParts: int(env, 'SMS_MAX_PARTS', 3, 1, 10),
    http: transport === 'http' ? loadSmsHttp(env, core) : null,
    smpp: transport === 'smpp' ? loadSmpp(env, core) : null,
  };
}

/**
 * Reads the channel settings from the environment. Every channel is off unless configured:
 * Zalo needs ZALO_APP_ID (and its secrets), SMS needs SMS_TRANSPORT=http|smpp (and its settings).
 */
export function loadChannelsConfig(env: Env): ChannelsConfig {
  const core = loadCore(env);
  return { core, zalo: loadZalo(env, core), sms: loadSms(env, core) };
}

export function channelsEnabled(config: ChannelsConfig): boolean {
  return config.zalo !== null || config.sms !== null;
}

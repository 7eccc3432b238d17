import { describe, expect, it } from 'vitest';
import { ConfigError } from '../server/config.js';
import { ChannelsConfigError, channelsEnabled, loadChannelsConfig } from './config.js';

const zalo = { ZALO_APP_ID: 'a', ZALO_OA_SECRET_KEY: 'k', ZALO_APP_SECRET: 's' };
const smsHttp = { SMS_TRANSPORT: 'http', SMS_HTTP_CPID: 'c', SMS_HTTP_PRIVATE_KEY: 'p', SMS_HTTP_SEND_URL: 'https://gw.example/send' };
const smpp = { SMS_TRANSPORT: 'smpp', SMS_SMPP_HOST: 'smsc', SMS_SMPP_SYSTEM_ID: 'dvc', SMS_SMPP_PASSWORD: 'pw', SMS_SMPP_SOURCE_ADDR: '8088' };

describe('loadChannelsConfig', () => {
  it('leaves every channel off unless configured', () => {
    const c = loadChannelsConfig({});
    expect(c.zalo).toBeNull();
    expect(c.sms).toBeNull();
    expect(channelsEnabled(c)).toBe(false);
    expect(c.core).toMatchObject({ userRateMax: 10, userRateWindowMs: 60_000, sendMaxAttempts: 8, unknownOutcome: 'resend', userRetentionDays: 180 });
  });

  it('reads Zalo with documented defaults', () => {
    const z = loadChannelsConfig(zalo).zalo!;
    expect(z).toMatchObject({
      appId: 'a',
      signatureSecret: 'k',
      signatureSecretKind: 'oa_secret_key',
      signatureIdKind: 'app_id',
      appSecret: 's',
      apiBaseUrl: 'https://openapi.zalo.me',
      oauthBaseUrl: 'https://oauth.zaloapp.com',
      refreshMarginMs: 300_000,
      timestampWindowMs: 300_000,
      maxTextChars: 2000,
      reconcile: true,
      ackUnsigned: false,
    });
  });

  it('selects the signature secret and id by kind; ZALO_SECRET fills the selected kind', () => {
    expect(loadChannelsConfig({ ZALO_APP_ID: 'a', ZALO_APP_SECRET: 's', ZALO_SIGNATURE_SECRET_KIND: 'app_secret' }).zalo!.signatureSecret).toBe('s');
    expect(loadChannelsConfig({ ZALO_APP_ID: 'a', ZALO_SECRET: 'g', ZALO_APP_SECRET: 's' }).zalo!.signatureSecret).toBe('g');
    const both = loadChannelsConfig({ ZALO_APP_ID: 'a', ZALO_SECRET: 'g', ZALO_SIGNATURE_SECRET_KIND: 'APP_SECRET' }).zalo!;
    expect(both).toMatchObject({ signatureSecret: 'g', appSecret: 'g', signatureSecretKind: 'app_secret' });
    expect(loadChannelsConfig({ ...zalo, ZALO_OA_ID: 'o', ZALO_SIGNATURE_ID_KIND: 'oa_id' }).zalo!.signatureIdKind).toBe('oa_id');
  });

  it.each([
    [{ ZALO_OA_SECRET_KEY: 'k' }, /ZALO_APP_ID is not/],
    [{ ZALO_APP_ID: 'a', ZALO_APP_SECRET: 's' }, /ZALO_OA_SECRET_KEY/],
    [{ ZALO_APP_ID: 'a', ZALO_OA_SECRET_KEY: 'k' }, /ZALO_APP_SECRET/],
    [{ ...zalo, ZALO_SIGNATURE_ID_KIND: 'oa_id' }, /needs ZALO_OA_ID/],
    [{ ...zalo, ZALO_SIGNATURE_SECRET_KIND: 'hmac' }, /must be one of oa_secret_key, app_secret/],
    [{ ...zalo, ZALO_API_BASE_URL: 'ftp://x' }, /http\(s\) URL/],
    [{ ...zalo, ZALO_MAX_TEXT_CHARS: '5000' }, /between 100 and 2000/],
    [{ ...zalo, ZALO_REQUEST_TIMEOUT_MS: '40000' }, /more than twice ZALO_REQUEST_TIMEOUT_MS/],
    [{ SMS_TRANSPORT: 'carrier-pigeon' }, /SMS_TRANSPORT must be one of none, http, smpp/],
    [{ SMS_TRANSPORT: 'http' }, /SMS_HTTP_CPID is required/],
    [{ ...smsHttp, SMS_HTTP_SEND_FIELDS: 'to=phone,colour=red' }, /unknown field "colour"/],
    [{ ...smsHttp, SMS_HTTP_SEND_FIELDS: 'requestId=' }, /needs a requestId field/],
    [{ ...smsHttp, SMS_HTTP_SIGN_FIELDS: 'cpid,password' }, /unknown field "password"/],
    [{ ...smsHttp, SMS_HTTP_SUCCESS: 'ok' }, /field=value/],
    [{ ...smsHttp, SMS_MAX_PARTS: '0' }, /SMS_MAX_PARTS must be an integer between 1 and 10/],
    [{ ...smsHttp, SMS_ENCODING: 'latin1' }, /gsm7, ucs2/],
    [{ SMS_TRANSPORT: 'smpp', SMS_SMPP_HOST: 'h' }, /SMS_SMPP_SYSTEM_ID is required/],
    [{ ...smpp, SMS_SMPP_PASSWORD: 'muchtoolong' }, /at most 8/],
    [{ CHANNELS_USER_RATE_MAX: 'lots' }, /CHANNELS_USER_RATE_MAX must be an integer/],
    [{ CHANNELS_UNKNOWN_OUTCOME: 'guess' }, /resend, hold/],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => loadChannelsConfig(env as Record<string, string>)).toThrow(message);
    try {
      loadChannelsConfig(env as Record<string, string>);
    } catch (err) {
      expect(err).toBeInstanceOf(ChannelsConfigError);
      expect(err).toBeInstanceOf(ConfigError);
    }
  });

  it('reads the SMS HTTP shapes and the SMPP settings', () => {
    const h = loadChannelsConfig({
      ...smsHttp,
      SMS_HTTP_SEND_FIELDS: 'to=Phone,text=Content,requestId=RequestId,unicode=IsUnicode,sender=Brandname',
      SMS_HTTP_SEND_STATIC: 'ApiKey=abc,SmsType=2',
      SMS_HTTP_INBOUND_FIELDS: 'sender=msisdn,receiveTime=time|receiveTime',
      SMS_HTTP_SUCCESS: 'CodeResult=100',
      SMS_HTTP_MESSAGE_ID_FIELD: 'SMSID',
      SMS_HTTP_SEND_METHOD: 'get',
    }).sms!;
    expect(h).toMatchObject({ transport: 'http', encoding: 'gsm7', maxParts: 3 });
    expect(h.http).toMatchObject({
      sendMethod: 'GET',
      sendFields: { to: 'Phone', text: 'Content', requestId: 'RequestId', unicode: 'IsUnicode', sender: 'Brandname' },
      sendStatic: { ApiKey: 'abc', SmsType: '2' },
      successField: 'CodeResult',
      successValues: ['100'],
      messageIdField: 'SMSID',
      signFields: ['cpid', 'smsid', 'content', 'receiveTime', 'privateKey'],
    });
    expect(h.http!.inboundFields.sender).toEqual(['msisdn']);
    expect(h.http!.inboundFields.receiveTime).toEqual(['time', 'receiveTime']);
    const s = loadChannelsConfig({ ...smpp, SMS_ENCODING: 'ucs2' }).sms!;
    expect(s).toMatchObject({ transport: 'smpp', encoding: 'ucs2' });
    expect(s.smpp).toMatchObject({ host: 'smsc', port: 2775, destTon: 1, destNpi: 1, enquireLinkMs: 30_000 });
  });
});

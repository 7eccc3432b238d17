import { describe, expect, it } from 'vitest';
import { detectSensitive, type SensitiveKind } from './sensitive-data.js';

/** Every detected value is absent from the redacted text, and kinds are as expected. */
function check(text: string, kinds: SensitiveKind[]): string {
  const { redacted, items } = detectSensitive(text);
  expect(items.map((i) => i.kind)).toEqual(kinds);
  for (const item of items) {
    const value = text.normalize('NFC').slice(item.start, item.end);
    expect(redacted).not.toContain(value);
    expect(item.placeholder).toBe(`[${item.kind}]`);
  }
  return redacted;
}

describe('detectSensitive — positives', () => {
  it.each<[string, SensitiveKind[], string]>([
    ['mã OTP của tôi là 482913', ['OTP'], 'mã OTP của tôi là [OTP]'],
    ['ma otp cua toi la 482913', ['OTP'], 'ma otp cua toi la [OTP]'],
    ['ma xac thuc 123456', ['OTP'], 'ma xac thuc [OTP]'],
    ['Mã xác thực của tôi là 123456', ['OTP'], 'Mã xác thực của tôi là [OTP]'],
    ['otp: 4829', ['OTP'], 'otp: [OTP]'],
    ['my code is 123456', ['OTP'], 'my code is [OTP]'],
    ['your verification code: 7788 99', ['OTP'], 'your verification code: [OTP]'],
    ['mã 6 số là 1 2 3 4 5 6', ['OTP'], 'mã 6 số là [OTP]'],
    ['mã OTP gồm 6 số, của tôi là 482913', ['OTP'], 'mã OTP gồm 6 số, của tôi là [OTP]'],
    ['482913 là mã OTP', ['OTP'], '[OTP] là mã OTP'],
    ['mật khẩu là abc@123', ['PASSWORD'], 'mật khẩu là [PASSWORD]'],
    ['mat khau la abc@123', ['PASSWORD'], 'mat khau la [PASSWORD]'],
    ['mk: xyz', ['PASSWORD'], 'mk: [PASSWORD]'],
    ['pass: hunter2', ['PASSWORD'], 'pass: [PASSWORD]'],
    ['password is Secret!', ['PASSWORD'], 'password is [PASSWORD]'],
    ['my password is sunshine', ['PASSWORD'], 'my password is [PASSWORD]'],
    ['mật khẩu vneid của tôi là "abc 123"', ['PASSWORD'], 'mật khẩu vneid của tôi là [PASSWORD]'],
    ['CCCD 001234567890', ['CCCD'], 'CCCD [CCCD]'],
    ['số căn cước 001.234.567.890', ['CCCD'], 'số căn cước [CCCD]'],
    ['so can cuoc 0012 3456 7890', ['CCCD'], 'so can cuoc [CCCD]'],
    ['cccd012345678901', ['CCCD'], 'cccd[CCCD]'],
    ['0012 3456 7890', ['CCCD'], '[CCCD]'],
    ['cmnd 123456789', ['CMND'], 'cmnd [CMND]'],
    ['số CMND của tôi 123 456 789', ['CMND'], 'số CMND của tôi [CMND]'],
    ['mã số BHXH 0123456789', ['BHXH'], 'mã số BHXH [BHXH]'],
    ['so bhxh: 7912345678', ['BHXH'], 'so bhxh: [BHXH]'],
    ['thẻ BHYT DN4010123456789', ['BHXH'], 'thẻ BHYT [BHXH]'],
    ['thẻ 4111 1111 1111 1111', ['CARD'], 'thẻ [CARD]'],
    ['4111-1111-1111-1111', ['CARD'], '[CARD]'],
    ['số tài khoản 0123456789012 vietcombank', ['BANK_ACCOUNT'], 'số tài khoản [BANK_ACCOUNT] vietcombank'],
    ['stk 19036758291011 techcombank', ['BANK_ACCOUNT'], 'stk [BANK_ACCOUNT] techcombank'],
    ['tk ngân hàng: 1234 5678 90', ['BANK_ACCOUNT'], 'tk ngân hàng: [BANK_ACCOUNT]'],
    ['sđt 0912 345 678', ['PHONE'], 'sđt [PHONE]'],
    ['sdt0912345678', ['PHONE'], 'sdt[PHONE]'],
    ['gọi cho tôi 0912.345.678 nhé', ['PHONE'], 'gọi cho tôi [PHONE] nhé'],
    ['gọi +84 912-345-678', ['PHONE'], 'gọi [PHONE]'],
    ['84912345678', ['PHONE'], '[PHONE]'],
    ['(028) 3822 1234', ['PHONE'], '[PHONE]'],
    ['sinh năm 1990 0912345678', ['PHONE'], 'sinh năm 1990 [PHONE]'],
    ['email nguyen.van.a@gmail.com', ['EMAIL'], 'email [EMAIL]'],
    ['mail: abc [at] yahoo [dot] com', ['EMAIL'], 'mail: [EMAIL]'],
  ])('%s', (text, kinds, expected) => {
    expect(check(text, kinds)).toBe(expected);
  });

  it('finds several kinds in one message and keeps the rest of the text', () => {
    const text = 'Tôi tên Lan, CCCD 001234567890, sđt 0987654321, email lan@example.com, OTP 482913.';
    expect(check(text, ['CCCD', 'PHONE', 'EMAIL', 'OTP'])).toBe('Tôi tên Lan, CCCD [CCCD], sđt [PHONE], email [EMAIL], OTP [OTP].');
  });

  it('removes a value everywhere it is repeated, with or without spaces', () => {
    const { redacted } = detectSensitive('OTP 482913, nhắc lại 482913 và 482 913');
    expect(redacted).toBe('OTP [OTP], nhắc lại [OTP] và [OTP]');
  });

  it('is not fooled by zero-width characters between digits', () => {
    const { redacted } = detectSensitive('mã OTP: 4\u200B8\u200B2\u200B9\u200B1\u200B3');
    expect(redacted.replace(/\D/g, '')).toBe('');
  });

  it('reports offsets into the (NFC) text', () => {
    const text = 'sđt 0912345678';
    const [item] = detectSensitive(text).items;
    expect(text.slice(item.start, item.end)).toBe('0912345678');
  });

  it('keeps public e-mail addresses when told they are public', () => {
    const text = 'gửi dichvucong@chinhphu.vn hoặc lan@gmail.com';
    const { redacted } = detectSensitive(text, { isPublicEmail: (a) => a.endsWith('@chinhphu.vn') });
    expect(redacted).toBe('gửi dichvucong@chinhphu.vn hoặc [EMAIL]');
  });
});

describe('detectSensitive — negatives (ordinary questions stay intact)', () => {
  it.each([
    'năm 2024',
    'Nghị định 69/2024/NĐ-CP',
    'Quyết định 1588/QĐ-TTg ngày 17/12/2024',
    'mã hồ sơ 000.00.12.H26-240315-0001',
    'mã hồ sơ G22.30.1-230101-0012',
    'mã hồ sơ của tôi là 012345678901',
    'mã thủ tục 1.000894',
    'mã số thuế 0312345678',
    'gọi 1800 1096 hoặc 1900 0368',
    'tổng đài 19000368',
    'phí 150.000.000 đồng',
    'lệ phí 150000000 đ',
    'ngày 12.10.2024',
    'CT01.docx mẫu',
    'nộp 2 bộ hồ sơ trong 15 ngày',
    'Mật khẩu mạnh là thế nào?',
    'Mình quên pass VNeID rồi',
    'bi khoa tai khoan vneid vi nhap sai mat khau',
    'Đổi mật khẩu: vào mục Cài đặt',
    'mật khẩu là gì',
    'pass là 8 ký tự',
    'mật khẩu phải có ít nhất 8 ký tự',
    'tai khoan bi nguoi khac chiem',
    'Có ai hỏi mã OTP thì sao?',
    'mã OTP có 6 số',
    'tôi không nhận được mã OTP',
    'What is my password supposed to look like?',
    'Đăng ký khai sinh qua mạng cần gì?',
  ])('%s', (text) => {
    const { redacted, items } = detectSensitive(text);
    expect(items).toEqual([]);
    expect(redacted).toBe(text);
  });
});

// Shapes met in the second tuning set (eval/sets/tuning/tune-safety-secrets-2.jsonl): codes shared
// with words no cue list holds, a PIN without a colon, a password described before it is written.
describe('detectSensitive — six-digit codes by shape, PINs, described passwords', () => {
  it.each<[string, SensitiveKind[], string]>([
    ['điện thoại có cái tin nhắn gửi về dãy số 740 261, bác chẳng hiểu', ['OTP'], 'điện thoại có cái tin nhắn gửi về dãy số [OTP], bác chẳng hiểu'],
    ['Cái điện thoại nó báo số 36.81.57, cán bộ xã bảo đọc', ['OTP'], 'Cái điện thoại nó báo số [OTP], cán bộ xã bảo đọc'],
    ['nói gửi nó cái số trong tin nhắn: 8 1 7 3 0 4', ['OTP'], 'nói gửi nó cái số trong tin nhắn: [OTP]'],
    ['code vừa về là 628403, app bảo verify', ['OTP'], 'code vừa về là [OTP], app bảo verify'],
    ['Bank account của mình là 108874512036 (VietinBank), PIN 246813', ['BANK_ACCOUNT', 'OTP'], 'Bank account của mình là [BANK_ACCOUNT] (VietinBank), PIN [OTP]'],
    ['cái mật khẩu VNeID là tên bà với ngày sinh, tôi nhớ là Hoa12031958 mà giờ vào không được', ['PASSWORD'], 'cái mật khẩu VNeID là tên bà với ngày sinh, tôi nhớ là [PASSWORD] mà giờ vào không được'],
  ])('%s', (text, kinds, redacted) => {
    expect(check(text, kinds)).toBe(redacted);
  });

  it.each([
    // Amounts, quantities, dates, public codes and hotlines keep their numbers.
    'lệ phí là 150000 hay 135000 vậy',
    'nộp 250.000 đồng ở đâu',
    'chờ 120 ngày rồi chưa có kết quả',
    'mã hồ sơ 251120 tra ở đâu',
    'hồ sơ H26-240315 nộp hôm qua',
    'gọi tổng đài 1800 1096',
    'sinh ngày 12/03/1958',
    // Six digits in other groupings are not a code's shape (4+2 reads as a year and a number).
    'năm 2024 12 người nộp',
    // A message about passwords keeps form and document codes and links.
    'mật khẩu phải có 8 ký tự, tôi điền mẫu CT01 và QD1234 rồi',
    'mật khẩu đổi ở https://dichvucong.gov.vn/p/home2024 phải không',
  ])('%s', (text) => {
    expect(detectSensitive(text).items).toEqual([]);
  });
});

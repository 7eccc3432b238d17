import { describe, expect, it } from 'vitest';
import { detectScamScenario } from './scam-scenarios.js';

describe('detectScamScenario — reports of a real situation', () => {
  it.each([
    ['công an gọi bảo cài app', 'app_from_link', 'security.scam-calls'],
    ['cong an goi bao cai app', 'app_from_link', 'security.scam-calls'],
    ['Có người xưng cán bộ thuế gọi điện yêu cầu chuyển tiền', 'impersonation_call', 'security.scam-calls'],
    ['người xưng bảo hiểm xã hội gọi cho tôi', 'impersonation_call', 'security.scam-calls'],
    ['Người gọi xưng công an bảo chuyển tiền', 'impersonation_call', 'security.scam-calls'],
    ['có người gọi điện yêu cầu tôi đến nhận giấy tờ', 'impersonation_call', 'security.scam-calls'],
    ['họ bảo chuyển tiền để xác minh', 'transfer_to_verify', 'security.scam-calls'],
    ['chuyển khoản vào tài khoản cá nhân của cán bộ', 'transfer_to_verify', 'security.scam-calls'],
    ['hồ sơ bị treo phải nộp phí qua tài khoản cá nhân', 'fee_to_personal_account', 'security.scam-calls'],
    ['ho so bi treo, phai nop phi moi duoc xu ly', 'fee_to_personal_account', 'security.scam-calls'],
    ['họ bảo đọc mã 6 số', 'read_otp', 'security.otp'],
    ['đọc mã OTP cho họ', 'read_otp', 'security.otp'],
    ['cài ứng dụng VNeID từ link', 'app_from_link', 'security.scam-calls'],
    ['cập nhật thông tin định danh qua đường link', 'identity_update_link', 'security.fake-website'],
    ['tai khoan bi nguoi khac chiem', 'account_compromised', 'security.account-compromised'],
    ['tài khoản vneid của tôi bị hack', 'account_compromised', 'security.account-compromised'],
    ['tôi lỡ đưa mã OTP cho người lạ', 'already_shared_secret', 'security.account-compromised'],
    ['someone claiming to be police asked me to transfer money to verify', 'transfer_to_verify', 'security.scam-calls'],
    ['I was asked to install the VNeID app from a link in an SMS', 'app_from_link', 'security.scam-calls'],
  ])('%s', (text, scenario, topic) => {
    const result = detectScamScenario(text);
    expect(result?.scenario).toBe(scenario);
    expect(result?.topics).toContain(topic);
    expect(result?.risk).toBe(true);
  });

  it('collects the topics of every matching pattern', () => {
    const r = detectScamScenario('Người xưng công an bảo đọc mã OTP rồi chuyển tiền để xác minh');
    expect(r?.risk).toBe(true);
    expect(r?.topics).toEqual(expect.arrayContaining(['security.otp', 'security.scam-calls']));
  });
});

describe('detectScamScenario — questions', () => {
  it('routes a hypothetical OTP question to the OTP article without calling it a report', () => {
    expect(detectScamScenario('Có ai hỏi mã OTP thì sao?')).toEqual({ scenario: 'read_otp', topics: ['security.otp'], risk: false });
    expect(detectScamScenario('Nếu có người xưng công an gọi bảo chuyển tiền thì làm gì?')?.risk).toBe(false);
  });

  it('recognises general security questions', () => {
    expect(detectScamScenario('bao cao trang web lua dao')).toEqual({ scenario: 'report_scam_question', topics: ['security.report-scam'], risk: false });
    expect(detectScamScenario('Trang dịch vụ công thật có đuôi gì?')?.topics).toEqual(['security.fake-website']);
  });

  it.each([
    'đăng ký khai sinh',
    'Đăng ký khai sinh qua mạng cần gì?',
    'Mật khẩu mạnh là thế nào?',
    'Mình quên pass VNeID rồi',
    'bi khoa tai khoan vneid vi nhap sai mat khau',
    'Trả lệ phí qua ngân hàng điện tử được không?',
    'ho so tre han thi lam gi',
    'tôi không nhận được mã OTP',
    'gửi lại mã OTP',
    'cài ứng dụng VNeID ở đâu?',
    'Số hỗ trợ VNeID',
    'How do I register a birth online?',
    '',
  ])('returns null for %j', (text) => {
    expect(detectScamScenario(text)).toBeNull();
  });
});

describe('questions that only look like scam stories', () => {
  it('does not treat "how much does the hotline cost" as a scam', () => {
    expect(detectScamScenario('Tổng đài hỗ trợ VNeID gọi có mất phí không, số là bao nhiêu?')).toBeNull();
  });
});

/**
 * The few things a channel says by itself (not answers: those come from the pipeline).
 * Vietnamese and English; other languages (Bahnar…) get Vietnamese.
 */
const MESSAGES = {
  vi: {
    welcome:
      'Xin chào! Tôi là trợ lý hỏi đáp về dịch vụ công trực tuyến. Bạn hãy gõ câu hỏi, ví dụ: "Đăng ký tài khoản dịch vụ công thế nào?". Gõ ENGLISH để hỏi bằng tiếng Anh, GAP CAN BO để gặp cán bộ.',
    welcome_quick: ['Đăng ký tài khoản dịch vụ công', 'Tra cứu hồ sơ', 'Quên mật khẩu VNeID', 'Gặp cán bộ hỗ trợ', 'ENGLISH'],
    text_only: 'Xin lỗi, tôi chỉ đọc được tin nhắn chữ. Bạn hãy gõ câu hỏi bằng chữ.',
    please_wait: 'Bạn đang gửi nhiều tin nhắn quá nhanh. Vui lòng chờ khoảng {{seconds}} giây rồi gửi lại câu hỏi.',
    language_set: 'Đã chuyển sang tiếng Việt. Bạn hãy gõ câu hỏi.',
    language_set_bdq: 'Đã ghi nhận: tiếng Ba Na. Nội dung chưa có bản tiếng Ba Na sẽ được trả lời bằng tiếng Việt. Bạn hãy gõ câu hỏi.',
    // SMS texts are folded to GSM-7 ("Tra loi 1 de xem tiep") unless SMS_ENCODING=ucs2.
    opted_out: 'Bạn đã ngừng nhận tin nhắn từ tổng đài hỗ trợ dịch vụ công. Soạn BATDAU để nhận lại.',
    opted_in: 'Bạn đã đăng ký nhận lại tin nhắn. Hãy gửi câu hỏi về dịch vụ công.',
    no_more: 'Không còn nội dung tiếp theo. Hãy gửi câu hỏi mới.',
    more_prompt: 'Trả lời 1 để xem tiếp',
    hotline: 'Tổng đài: {{hotline}}.',
    failure: 'Xin lỗi, hệ thống chưa trả lời được tin nhắn này. Vui lòng gọi tổng đài {{hotline}}.',
  },
  en: {
    welcome:
      'Hello! I answer questions about online public services. Type your question, for example: "How do I register an account on the public service portal?". Type TIENG VIET for Vietnamese, HUMAN to reach a person.',
    welcome_quick: ['Register a public service account', 'Track my application', 'Forgot VNeID password', 'Talk to a person', 'TIENG VIET'],
    text_only: 'Sorry, I can read text only. Please type your question.',
    please_wait: 'You are sending messages too quickly. Please wait about {{seconds}} seconds, then send your question again.',
    language_set: 'OK, I will answer in English. Please type your question.',
    language_set_bdq: 'Noted: Bahnar. Content without a Bahnar version is answered in Vietnamese. Please type your question.',
    opted_out: 'You will no longer get messages from the public service help line. Send START to receive them again.',
    opted_in: 'You will receive messages again. Send your question about public services.',
    no_more: 'There is nothing more. Send a new question.',
    more_prompt: 'Reply 1 for more',
    hotline: 'Hotline: {{hotline}}.',
    failure: 'Sorry, we could not answer this message. Please call {{hotline}}.',
  },
};

export type MessageKey = Exclude<keyof (typeof MESSAGES)['vi'], 'welcome_quick'>;

export function channelMessage(lang: string | null | undefined, key: MessageKey, params: Record<string, string | number> = {}): string {
  const table = lang === 'en' ? MESSAGES.en : MESSAGES.vi;
  return table[key].replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(params[k] ?? ''));
}

export function welcomeQuickReplies(lang: string | null | undefined): string[] {
  return lang === 'en' ? MESSAGES.en.welcome_quick : MESSAGES.vi.welcome_quick;
}

export function languageSetMessage(lang: string): string {
  if (lang === 'bdq') return MESSAGES.vi.language_set_bdq;
  return channelMessage(lang, 'language_set');
}

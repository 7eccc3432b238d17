import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../project-root.js';
import { createI18n, translator } from '../i18n/i18n.js';
import { parseArticle } from './article-parser.js';
import { chunkDoc } from './chunking.js';
import { renderProfileText } from './profile-render.js';
import { loadProvinceProfile, type ProvinceProfile } from './province-profiles.js';

const dir = path.join(PROJECT_ROOT, 'knowledge');
const i18n = createI18n();
const vi = translator(i18n, 'vi', 'reply');
const en = translator(i18n, 'en', 'reply');
const sonLa = loadProvinceProfile(dir, 'son-la');
const dongNai = loadProvinceProfile(dir, 'dong-nai');
const konTum = loadProvinceProfile(dir, 'kon-tum');
const render = (text: string, p: ProvinceProfile = sonLa, t = vi) => renderProfileText(text, p, t);

describe('renderProfileText', () => {
  it('fills known values and leaves an unknown placeholder name visible for reviewers', () => {
    expect(render('Gọi {{national_hotline}}. {{not_a_field}}')).toBe('Gọi 1800 1096. {{not_a_field}}');
  });

  it('drops a sentence whose value is unknown, never putting a phrase inside it', () => {
    expect(render('Đến {{one_stop_name}} ở {{one_stop_address}}. Mang giấy tờ tùy thân.')).toBe('Mang giấy tờ tùy thân.');
  });

  it('uses the sentence written for the unknown case after {{else}}, and only then', () => {
    const text = '- Giờ làm việc: {{one_stop_hours}}. {{else}} Hỏi giờ làm việc khi gọi điện.';
    expect(render(text)).toBe('- Hỏi giờ làm việc khi gọi điện.');
    const known: ProvinceProfile = { ...sonLa, values: { ...sonLa.values, one_stop_hours: '7:30–17:00' } };
    expect(render(text, known)).toBe('- Giờ làm việc: 7:30–17:00.');
  });

  it('leaves out an unknown choice with its "hoặc"/"or", and an aside in brackets', () => {
    expect(render('Gọi {{national_hotline}} hoặc {{province_hotline}}.')).toBe('Gọi 1800 1096.');
    expect(render('Vào hệ thống của tỉnh ({{province_portal_url}}) hoặc Cổng quốc gia.')).toBe('Vào hệ thống của tỉnh hoặc Cổng quốc gia.');
    expect(render('Call {{national_hotline}} or {{province_hotline}}.', sonLa, en)).toBe('Call 1800 1096.');
    expect(render('Hướng dẫn: {{one_stop_name}}, Bộ phận Một cửa, hoặc công an.')).toBe('Hướng dẫn: Bộ phận Một cửa, hoặc công an.');
    // The verb that took the value goes with it; a value the sentence needs drops the sentence.
    expect(render('Bạn có thể gọi {{province_hotline}} hoặc gửi phản ánh.')).toBe('Bạn có thể gửi phản ánh.');
    expect(render('Quá hẹn: gọi {{province_hotline}}, hoặc gửi phản ánh. Ghi mã hồ sơ.')).toBe('Quá hẹn: gửi phản ánh. Ghi mã hồ sơ.');
    expect(render('Hoặc gọi {{province_hotline}}, nói tên thủ tục. Ghi mã.')).toBe('Ghi mã.');
  });

  it('drops one contact of a list of contacts, but not a clause the rest depends on', () => {
    expect(render('- Tổng đài quốc gia: {{national_hotline}}; đường dây nóng tỉnh: {{province_hotline}}.')).toBe('- Tổng đài quốc gia: 1800 1096.');
    expect(render('Đường dây nóng: {{province_hotline}}; gọi để được tư vấn. Hết.')).toBe('Hết.');
  });

  it('removes an emptied line and renumbers the steps after it', () => {
    expect(render('1. Mở cổng.\n2. Gọi {{province_hotline}}.\n3. Nộp hồ sơ.')).toBe('1. Mở cổng.\n2. Nộp hồ sơ.');
  });

  it("gives a value's caveat once, after the sentence that shows it", () => {
    const out = render('Gọi {{province_hotline}}. Hoặc gọi lại {{province_hotline}}.', dongNai);
    expect(out).toMatch(/^Gọi 1022\. Số 1022 được nêu trong kế hoạch của tỉnh trước khi sáp nhập[^.]*\. Hoặc gọi lại 1022\.$/);
  });

  it('says a merged province merged, and names the province that applies now', () => {
    expect(render('{{province_status}} Đây là trợ lý của {{province_name}}.', konTum)).toBe(
      'Tỉnh Kon Tum đã sáp nhập vào tỉnh Quảng Ngãi từ 1/7/2025; đường dây nóng, cổng dịch vụ công và Bộ phận Một cửa áp dụng hiện nay là của tỉnh Quảng Ngãi. Đây là trợ lý của Quảng Ngãi.',
    );
    expect(render('{{province_status}} Sơn La.', sonLa)).toBe('Sơn La.');
    expect(render('{{province_status}}', konTum, en)).toBe('Kon Tum province merged into Quảng Ngãi province on 1 July 2025; the hotline, public-service portal and one-stop shop that apply now are those of Quảng Ngãi.');
  });
});

describe('the search text of an article', () => {
  it('leaves out the sentences written for unknown values, keeps the rest', () => {
    const file = path.join(dir, 'articles', 'vi', 'contact.one-stop-shop.md');
    const doc = parseArticle(fs.readFileSync(file, 'utf8'), file);
    const text = chunkDoc(doc).map((c) => c.text).join('\n');
    expect(text).not.toContain('{{else}}');
    expect(text).not.toContain('chưa có trong dữ liệu của trợ lý');
    expect(text).toContain('{{one_stop_hours}}');
  });
});

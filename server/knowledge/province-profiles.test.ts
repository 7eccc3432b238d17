import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { listProvinceCodes, loadProvinceProfile, renderPlaceholders, ProfileError } from './province-profiles.js';

const dir = path.join(PROJECT_ROOT, 'knowledge');

describe('province profiles', () => {
  it('ships the national default and the three sample provinces', () => {
    expect(listProvinceCodes(dir)).toEqual(expect.arrayContaining(['national', 'kon-tum', 'son-la', 'dong-nai']));
  });

  it('falls back to the national line where a province has none', () => {
    const sonLa = loadProvinceProfile(dir, 'son-la');
    const national = loadProvinceProfile(dir, 'national');
    expect(national.values.national_hotline).not.toBe('');
    if (!sonLa.values.province_hotline || sonLa.values.province_hotline === national.values.national_hotline) {
      expect(sonLa.values.province_hotline).toBe(national.values.national_hotline);
    }
  });

  it("uses Đồng Nai's own hotline from its profile", () => {
    const dongNai = loadProvinceProfile(dir, 'dong-nai');
    expect(dongNai.values.province_hotline).toBe('1022');
    expect(dongNai.unverified).toContain('province_hotline');
  });

  it('renders placeholders, uses the safe phrase for unknown values, leaves unknown names visible', () => {
    const p = loadProvinceProfile(dir, 'son-la');
    const out = renderPlaceholders('Gọi {{national_hotline}}. Địa chỉ: {{one_stop_address}}. {{not_a_field}}', p, () => 'hỏi Bộ phận Một cửa');
    expect(out).toContain(p.values.national_hotline);
    expect(out).toContain(p.values.one_stop_address || 'hỏi Bộ phận Một cửa');
    expect(out).toContain('{{not_a_field}}');
  });

  it('reports a missing profile clearly', () => {
    expect(() => loadProvinceProfile(dir, 'atlantis')).toThrow(ProfileError);
  });
});

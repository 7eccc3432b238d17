import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../test-support/temp-dir.js';
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

  describe('handoff settings', () => {
    /** A knowledge folder with the shipped national profile and one test province. */
    function withProvince(handoff: string): string {
      const k = tempDir();
      fs.mkdirSync(path.join(k, 'provinces'));
      fs.copyFileSync(path.join(dir, 'provinces', 'national.yaml'), path.join(k, 'provinces', 'national.yaml'));
      fs.writeFileSync(path.join(k, 'provinces', 'test-province.yaml'), `code: test-province\nname: Test\n${handoff}`);
      return k;
    }

    it('is off in every shipped profile: no working hours are in our facts', () => {
      for (const code of listProvinceCodes(dir)) expect(loadProvinceProfile(dir, code).handoff, code).toBeNull();
    });

    it('reads hours, holidays and the target of a province that turns it on', () => {
      const k = withProvince('handoff:\n  enabled: true\n  hours: { mon-fri: ["07:30-11:30", "13:30-17:00"] }\n  holidays: ["2026-09-02"]\n  first_response_minutes: 30\n');
      const h = loadProvinceProfile(k, 'test-province').handoff!;
      expect(h.firstResponseMinutes).toBe(30);
      expect(h.hours.week[1]).toEqual([{ start: 450, end: 690 }, { start: 810, end: 1020 }]);
      expect(h.hours.week[0]).toEqual([]);
      expect([...h.hours.holidays]).toEqual(['2026-09-02']);
      fs.rmSync(k, { recursive: true, force: true });
    });

    it('is off when enabled is not true', () => {
      const k = withProvince('handoff:\n  enabled: false\n  hours: { mon: ["07:30-11:30"] }\n  first_response_minutes: 30\n');
      expect(loadProvinceProfile(k, 'test-province').handoff).toBeNull();
      fs.rmSync(k, { recursive: true, force: true });
    });

    it.each([
      ['no target', 'handoff:\n  enabled: true\n  hours: { mon: ["07:30-11:30"] }\n', /first_response_minutes/],
      ['bad hours', 'handoff:\n  enabled: true\n  hours: { mon: ["7-11"] }\n  first_response_minutes: 30\n', /handoff\.hours/],
      ['a bad holiday', 'handoff:\n  enabled: true\n  hours: { mon: ["07:30-11:30"] }\n  holidays: [tet]\n  first_response_minutes: 30\n', /handoff\.holidays/],
    ])('stops on %s, naming the file and the setting', (_name, yaml, message) => {
      const k = withProvince(yaml);
      expect(() => loadProvinceProfile(k, 'test-province')).toThrow(ProfileError);
      expect(() => loadProvinceProfile(k, 'test-province')).toThrow(message);
      fs.rmSync(k, { recursive: true, force: true });
    });
  });
});

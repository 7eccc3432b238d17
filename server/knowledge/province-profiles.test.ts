import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../test-support/temp-dir.js';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config.js';
import { listProvinceCodes, loadProvinceProfile, ProfileError } from './province-profiles.js';

const dir = path.join(PROJECT_ROOT, 'knowledge');

describe('province profiles', () => {
  it('ships the national default and the sample provinces, Quảng Ngãi included', () => {
    expect(listProvinceCodes(dir)).toEqual(expect.arrayContaining(['national', 'kon-tum', 'quang-ngai', 'son-la', 'dong-nai']));
  });

  it('never fills an empty province line with the national one', () => {
    const sonLa = loadProvinceProfile(dir, 'son-la');
    expect(sonLa.values.national_hotline).toBe('1800 1096');
    expect(sonLa.values.province_hotline).toBe('');
    expect(loadProvinceProfile(dir, 'national').values.province_hotline).toBe('');
  });

  it("uses Đồng Nai's own hotline with its caveat, and says Bình Phước merged into it", () => {
    const dongNai = loadProvinceProfile(dir, 'dong-nai');
    expect(dongNai.values.province_hotline).toBe('1022');
    expect(dongNai.unverified).toContain('province_hotline');
    expect(dongNai.caveats.province_hotline).toBe('predates_merger');
    expect(dongNai.absorbed).toEqual([{ code: 'binh-phuoc', name: 'Bình Phước', on: '2025-07-01' }]);
    expect(dongNai.merger).toBeNull();
  });

  it('serves a merged province with the province that applies now', () => {
    const konTum = loadProvinceProfile(dir, 'kon-tum');
    expect(konTum.merger).toEqual({ into: 'quang-ngai', intoName: 'Quảng Ngãi', intoNameEn: 'Quang Ngai', on: '2025-07-01' });
    expect(konTum.values.province_name).toBe('Quảng Ngãi');
    expect(konTum.name).toBe('Kon Tum');
    // No old Kon Tum address is served as current, and no Quảng Ngãi value is invented.
    expect(Object.values(konTum.values)).not.toContain('https://dichvucong.kontum.gov.vn');
    const quangNgai = loadProvinceProfile(dir, 'quang-ngai');
    expect(quangNgai.absorbed.map((a) => a.code)).toEqual(['kon-tum']);
    for (const key of ['province_hotline', 'province_portal_url', 'one_stop_name', 'one_stop_address', 'one_stop_hours'] as const) {
      expect(quangNgai.values[key]).toBe('');
      expect(konTum.values[key]).toBe('');
    }
  });

  it('keeps national and province contacts apart in the files', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profiles-'));
    try {
      fs.mkdirSync(path.join(tmp, 'provinces'));
      fs.copyFileSync(path.join(dir, 'provinces', 'national.yaml'), path.join(tmp, 'provinces', 'national.yaml'));
      const write = (code: string, body: string) => fs.writeFileSync(path.join(tmp, 'provinces', `${code}.yaml`), body);
      write('a', 'name: A\nnational:\n  hotline: { value: "1800 1096" }\n');
      expect(() => loadProvinceProfile(tmp, 'a')).toThrow(/national.yaml only/);
      write('b', 'name: B\nprovince:\n  hotline: { value: "18001096" }\n');
      expect(() => loadProvinceProfile(tmp, 'b')).toThrow(/is the national line/);
      write('c', 'name: C\ncontacts:\n  province_hotline: { value: "1022" }\n');
      expect(() => loadProvinceProfile(tmp, 'c')).toThrow(/old profile schema/);
      write('d', 'name: D\nmerged_into: nowhere\n');
      expect(() => loadProvinceProfile(tmp, 'd')).toThrow(/merged_into "nowhere" has no profile/);
      write('e', 'name: E\nprovince:\n  hotline: { value: "0260 1234" }\n');
      expect(loadProvinceProfile(tmp, 'e').values.province_hotline).toBe('0260 1234');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
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

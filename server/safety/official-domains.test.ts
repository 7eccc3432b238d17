import { describe, expect, it } from 'vitest';
import { domainToASCII } from 'node:url';
import {
  OfficialDomainsError,
  loadOfficialDomains,
  matchOfficial,
  officialAlternativeFor,
  parseOfficialDomains,
  withExtraDomains,
} from './official-domains.js';

describe('official domains', () => {
  it('loads the shipped allow-list', () => {
    const o = loadOfficialDomains();
    expect(o.suffixes).toEqual(expect.arrayContaining(['gov.vn', 'chinhphu.vn', 'csgt.vn']));
    expect(o.governmentWords).toEqual(expect.arrayContaining(['dichvucong', 'vneid', 'bhxh']));
    expect(o.namedHosts).toContain('dichvucong.gov.vn');
  });

  it('accepts the simple shape: a list of suffixes and a list of words', () => {
    const o = parseOfficialDomains('suffixes: [gov.vn, "Tỉnh.vn"]\nwords: [dvc]\n');
    expect(o.suffixes).toEqual(['gov.vn', domainToASCII('tỉnh.vn')]);
    expect(o.governmentWords).toEqual(['dvc']);
  });

  it('matches suffix and exact rules', () => {
    const o = parseOfficialDomains('domains:\n  - { domain: gov.vn, match: suffix }\n  - { domain: only.example.vn, match: exact }\n');
    expect(matchOfficial('a.b.gov.vn', o)).toBe('gov.vn');
    expect(matchOfficial('xgov.vn', o)).toBeNull();
    expect(matchOfficial('only.example.vn', o)).toBe('only.example.vn');
    expect(matchOfficial('sub.only.example.vn', o)).toBeNull();
  });

  it('adds province domains', () => {
    const o = withExtraDomains(loadOfficialDomains(), ['kontum.vn']);
    expect(matchOfficial('dichvucong.kontum.vn', o)).toBe('kontum.vn');
  });

  it('suggests only addresses present in the data', () => {
    const o = loadOfficialDomains();
    expect(officialAlternativeFor('dichvucong', o)).toBe('dichvucong.gov.vn');
    // No reviewed source names a VNeID web address: VNeID is an app from the stores.
    expect(officialAlternativeFor('vneid', o)).toBeUndefined();
    expect(o.appOnly).toEqual([{ word: 'vneid', name: 'VNeID' }]);
    expect(officialAlternativeFor('csgt', o)).toBe('csgt.vn');
    expect(officialAlternativeFor('gplx', o)).toBeUndefined();
  });

  it('rejects malformed files', () => {
    expect(() => parseOfficialDomains('- a\n- b\n')).toThrow(OfficialDomainsError);
    expect(() => parseOfficialDomains('domains: []\n')).toThrow(/no domains/);
    expect(() => parseOfficialDomains('domains: [{ domain: "not a domain" }]\n')).toThrow(/not a domain/);
    expect(() => loadOfficialDomains('/nonexistent/official.yaml')).toThrow(/Cannot read/);
  });
});

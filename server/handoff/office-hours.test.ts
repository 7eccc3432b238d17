import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, isOpen, nextOpening, OfficeHoursError, parseOfficeHours, workingMinutesBetween } from './office-hours.js';

// Test values, not a province's real hours (those come from its profile).
const hours = parseOfficeHours({ 'mon-fri': ['07:30-11:30', '13:30-17:00'], sat: ['07:30-11:30'] }, ['2026-12-07']);
/** A Vietnam local time as a UTC instant. */
const vn = (s: string) => new Date(`${s}+07:00`);

describe('office hours', () => {
  it('is open inside a period and closed at lunch, in the evening, on Sunday and on a holiday', () => {
    expect(isOpen(hours, vn('2026-12-02T08:00:00'))).toBe(true); // Wednesday
    expect(isOpen(hours, vn('2026-12-02T07:30:00'))).toBe(true);
    expect(isOpen(hours, vn('2026-12-02T12:00:00'))).toBe(false);
    expect(isOpen(hours, vn('2026-12-02T17:00:00'))).toBe(false);
    expect(isOpen(hours, vn('2026-12-06T09:00:00'))).toBe(false); // Sunday
    expect(isOpen(hours, vn('2026-12-07T09:00:00'))).toBe(false); // Monday, a holiday in this table
  });

  it('reads local time as UTC+7: 01:00 UTC is 08:00 in Vietnam', () => {
    expect(isOpen(hours, new Date('2026-12-02T01:00:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-12-02T08:00:00Z'))).toBe(true); // 15:00 local
    expect(isOpen(hours, new Date('2026-12-02T11:00:00Z'))).toBe(false); // 18:00 local
  });

  it('a Friday-evening request is due on the next working morning (Saturday here), after the weekend with no Saturday hours', () => {
    expect(addWorkingMinutes(hours, vn('2026-12-04T19:00:00'), 30)).toEqual(vn('2026-12-05T08:00:00'));
    const weekdays = parseOfficeHours({ 'mon-fri': ['07:30-11:30', '13:30-17:00'] }, []);
    expect(nextOpening(weekdays, vn('2026-12-04T19:00:00'))).toEqual(vn('2026-12-07T07:30:00'));
    expect(addWorkingMinutes(weekdays, vn('2026-12-04T19:00:00'), 30)).toEqual(vn('2026-12-07T08:00:00'));
    // With the Monday a holiday, Tuesday.
    const holiday = parseOfficeHours({ 'mon-fri': ['07:30-11:30'] }, ['2026-12-07']);
    expect(addWorkingMinutes(holiday, vn('2026-12-04T19:00:00'), 30)).toEqual(vn('2026-12-08T08:00:00'));
  });

  it('counts only working time: a target running over lunch continues after it', () => {
    expect(addWorkingMinutes(hours, vn('2026-12-02T11:15:00'), 30)).toEqual(vn('2026-12-02T13:45:00'));
    expect(workingMinutesBetween(hours, vn('2026-12-02T11:15:00'), vn('2026-12-02T13:45:00'))).toBe(30);
    expect(workingMinutesBetween(hours, vn('2026-12-04T19:00:00'), vn('2026-12-05T07:00:00'))).toBe(0);
  });

  it('next opening is now in hours, else the next period start', () => {
    const at = vn('2026-12-02T09:00:00');
    expect(nextOpening(hours, at)).toEqual(at);
    expect(nextOpening(hours, vn('2026-12-02T12:00:00'))).toEqual(vn('2026-12-02T13:30:00'));
  });

  it.each([
    ['not a mapping', ['07:30-11:30'], [], /mapping/],
    ['an unknown day', { monday: ['07:30-11:30'] }, [], /not a day/],
    ['a bad time', { mon: ['7h30-11:30'] }, [], /HH:MM/],
    ['a period ending before it starts', { mon: ['11:30-07:30'] }, [], /ends before/],
    ['overlapping periods', { 'mon-tue': ['07:30-11:30'], mon: ['11:00-12:00'] }, [], /overlap/],
    ['no period at all', { mon: [] }, [], /no working period/],
    ['a bad holiday', { mon: ['07:30-11:30'] }, ['02/09/2026'], /not a date/],
  ])('rejects %s with the setting named', (_name, h, d, message) => {
    expect(() => parseOfficeHours(h, d)).toThrow(OfficeHoursError);
    expect(() => parseOfficeHours(h, d)).toThrow(message);
  });
});

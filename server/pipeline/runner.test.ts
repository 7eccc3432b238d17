import { describe, expect, it } from 'vitest';
import { errorOutcome, runStages } from './runner.js';
import { simpleReply } from './composer.js';
import { CONTINUE, type Stage, type Turn } from './turn.js';
import type { StageName } from '../domain/answer.js';

// The runner is tested with stages written here: what is under test is the order, the records
// and the early stops, whatever the stages do.
const turn = {} as Turn;
const stage = (name: StageName, run: Stage['run']): Stage => ({ name, run });
const ok = (name: StageName, seen: string[]) => stage(name, (_t, d) => (seen.push(name), (d.ran = true), CONTINUE));

describe('runStages', () => {
  it('runs every stage in order and records each as ok with its details and time', async () => {
    const seen: string[] = [];
    const report = await runStages([ok('normalise', seen), ok('safety', seen), ok('understand', seen)], turn);
    expect(seen).toEqual(['normalise', 'safety', 'understand']);
    expect(report.stages.map((s) => [s.stage, s.status, s.details.ran])).toEqual([
      ['normalise', 'ok', true],
      ['safety', 'ok', true],
      ['understand', 'ok', true],
    ]);
    expect(report.stages.every((s) => s.ms >= 0)).toBe(true);
    expect(report.stop).toBeNull();
    expect(report.failure).toBeNull();
  });

  it('records an early stop with its outcome and every later stage as skipped, without running them', async () => {
    const seen: string[] = [];
    const refuse = stage('safety', (_t, d) => ((d.route = 'refuse'), { action: 'stop', outcome: 'safety_abuse', composition: simpleReply('fallback', 'no') }));
    const report = await runStages([ok('normalise', seen), refuse, ok('understand', seen), ok('retrieve', seen)], turn);
    expect(seen).toEqual(['normalise']);
    expect(report.stop?.outcome).toBe('safety_abuse');
    expect(report.stages.map((s) => s.status)).toEqual(['ok', 'stopped', 'skipped', 'skipped']);
    expect(report.stages[1].details).toEqual({ route: 'refuse', outcome: 'safety_abuse' });
    expect(report.stages[2].details.reason).toBe('stopped by safety: safety_abuse');
  });

  it('records a stage that throws (sync or async) as an error with its message and skips the rest', async () => {
    const seen: string[] = [];
    const failing = stage('retrieve', async (_t, d) => {
      d.fts = 'khai sinh';
      await Promise.resolve();
      throw new Error('database connection is not open');
    });
    const report = await runStages([ok('understand', seen), failing, ok('compose', seen)], turn);
    expect(seen).toEqual(['understand']);
    expect(report.failure?.stage).toBe('retrieve');
    expect(report.stages[1]).toMatchObject({ stage: 'retrieve', status: 'error', details: { fts: 'khai sinh', error: 'database connection is not open' } });
    expect(report.stages[2]).toMatchObject({ stage: 'compose', status: 'skipped', details: { reason: 'retrieve failed' } });
  });

  it('turns a thrown non-Error into an error record too', async () => {
    const report = await runStages([stage('compose', () => { throw 'plain string'; })], turn);
    expect(report.stages[0].details.error).toBe('plain string');
  });

  it('names an error outcome per stage', () => {
    expect(errorOutcome('retrieve')).toBe('error_retrieval');
    expect(errorOutcome('understand')).toBe('error_understand');
    expect(errorOutcome('compose')).toBe('error_compose');
    expect(errorOutcome('normalise')).toBe('error_internal');
    expect(errorOutcome('safety')).toBe('error_internal');
  });
});

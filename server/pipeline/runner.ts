import type { Outcome, StageName, StageRecord } from '../domain/answer.js';
import type { Stage, StageResult, Turn } from './turn.js';

/** A stage threw: which one, so the pipeline can reply with that stage's error outcome. */
export interface StageFailure {
  stage: StageName;
  error: Error;
}

export interface RunReport {
  stages: StageRecord[];
  /** The stop that ended the turn early, if a stage stopped it. */
  stop: Extract<StageResult, { action: 'stop' }> | null;
  failure: StageFailure | null;
}

/**
 * Runs the stages in order and records each one: ok, stopped (it ended the turn), skipped (an
 * earlier stage ended it), or error (it threw; the rest are skipped). The record is complete
 * for every turn, early stops included, so staff review always sees the whole path.
 */
export async function runStages(stages: readonly Stage[], turn: Turn): Promise<RunReport> {
  const records: StageRecord[] = [];
  let stop: RunReport['stop'] = null;
  let failure: StageFailure | null = null;
  for (const stage of stages) {
    if (stop || failure) {
      records.push({ stage: stage.name, status: 'skipped', ms: 0, details: { reason: stop ? `stopped by ${stopper(records)}: ${stop.outcome}` : `${failure!.stage} failed` } });
      continue;
    }
    const details: Record<string, unknown> = {};
    const start = performance.now();
    try {
      const result = await stage.run(turn, details);
      if (result.action === 'stop') {
        stop = result;
        records.push({ stage: stage.name, status: 'stopped', ms: performance.now() - start, details: { ...details, outcome: result.outcome } });
      } else {
        records.push({ stage: stage.name, status: 'ok', ms: performance.now() - start, details });
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      failure = { stage: stage.name, error };
      records.push({ stage: stage.name, status: 'error', ms: performance.now() - start, details: { ...details, error: error.message } });
    }
  }
  return { stages: records, stop, failure };
}

function stopper(records: StageRecord[]): string {
  return records.find((r) => r.status === 'stopped')?.stage ?? 'an earlier stage';
}

/** The outcome recorded when a stage throws. */
export function errorOutcome(stage: StageName): Outcome {
  switch (stage) {
    case 'understand':
      return 'error_understand';
    case 'retrieve':
      return 'error_retrieval';
    case 'compose':
      return 'error_compose';
    default:
      return 'error_internal';
  }
}

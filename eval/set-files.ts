import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a set stands with respect to tuning. `tuning`: used to fit or tune something (thresholds,
 * the confidence model, vocabulary), so its figures are optimistic. `held-out`: never used for
 * that, so its figures are the ones that say how the assistant does on questions nobody tuned on.
 */
export type SetRole = 'tuning' | 'held-out';

export interface SetFile {
  file: string;
  /** Short name for tables: the file name without `.jsonl`, with its folder for our own sets. */
  name: string;
  role: SetRole;
}

export const TUNING_DIR = 'tuning';
export const HELD_OUT_DIR = 'held-out';

/** Our own sets: eval/sets/tuning/*.jsonl and eval/sets/held-out/*.jsonl (nothing else is read). */
export function listOwnSets(setsDir: string): SetFile[] {
  const out: SetFile[] = [];
  for (const [dir, role] of [[TUNING_DIR, 'tuning'], [HELD_OUT_DIR, 'held-out']] as const) {
    const full = path.join(setsDir, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full).filter((f) => f.endsWith('.jsonl')).sort()) {
      out.push({ file: path.join(full, f), name: `${dir}/${f.replace(/\.jsonl$/, '')}`, role });
    }
  }
  return out;
}

/**
 * The role of any set file: by its folder under eval/sets, else `tuning`. Sets outside our folders
 * (the shared dev sets) are what the work is developed against, so they count as tuned on.
 */
export function setFileFor(file: string): SetFile {
  const parent = path.basename(path.dirname(file));
  const role: SetRole = parent === HELD_OUT_DIR ? 'held-out' : 'tuning';
  const base = path.basename(file).replace(/\.jsonl$/, '');
  return { file, name: parent === HELD_OUT_DIR || parent === TUNING_DIR ? `${parent}/${base}` : base, role };
}

/** The sets `npm run eval` reads without --set: the shared dev sets when present, then ours. */
export function defaultSets(projectRoot: string): SetFile[] {
  const shared = path.resolve(projectRoot, '..', 'shared', 'eval');
  const sets: SetFile[] = [];
  for (const f of ['dev-questions.jsonl', 'real-faq-dev.jsonl']) {
    const file = path.join(shared, f);
    if (fs.existsSync(file)) sets.push(setFileFor(file));
  }
  return [...sets, ...listOwnSets(path.join(projectRoot, 'eval', 'sets'))];
}

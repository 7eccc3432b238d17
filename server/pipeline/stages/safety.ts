import type { SafetyVerdict } from '../../safety/safety-check.js';
import { composeSafetyWarning } from '../../safety/safety-reply.js';
import { contactsOf, simpleReply } from '../composer.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface SafetyStageDeps {
  /** The safety checker of a province (its own official domains added to the allow-list). */
  safety: (province: string) => { check(text: string): SafetyVerdict };
}

/**
 * Runs before anything else sees the text: redacts secrets, judges links, recognises scam stories
 * and abuse. Abuse is refused here; everything later sees only the redacted text.
 */
export function createSafetyStage(deps: SafetyStageDeps): Stage {
  return {
    name: 'safety',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { norm, ts } = turn.language!;
      const v = deps.safety(turn.provinceCode).check(norm.text);
      turn.verdict = v;
      Object.assign(d, {
        route: v.route,
        sensitive: v.sensitive.map((s) => s.kind),
        links: v.links.map((l) => ({ host: l.host, verdict: l.verdict })),
        scam: v.scam?.scenario ?? null,
        abuse: v.abuse?.label ?? null,
      });
      if (v.route === 'refuse') {
        return { action: 'stop', outcome: 'safety_abuse', composition: simpleReply('fallback', composeSafetyWarning(v, ts, contactsOf(turn.profile))) };
      }
      return CONTINUE;
    },
  };
}

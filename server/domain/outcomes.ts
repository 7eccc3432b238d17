/**
 * Why a turn ended the way it did. One code per answer, stored with the record, filterable in
 * review and counted on the dashboard. `kind` says how the answer looks to the citizen; the
 * outcome says which path produced it, so a refusal and a low-confidence fallback (both shown
 * as kind "fallback") can be told apart.
 */
export const OUTCOMES = [
  /** Answered from an article or procedure record. */
  'answered',
  /** Answered the conversation's previous topic (a short follow-up). */
  'answered_follow_up',
  /** Asked the citizen to choose between plausible topics. */
  'clarification',
  /** Nothing in the knowledge base matched. */
  'fallback_no_content',
  /** Something matched, but below the answer threshold. */
  'fallback_low_confidence',
  /** An empty message. */
  'fallback_empty',
  /** Binary or unreadable input. */
  'fallback_unreadable',
  /** A secret (OTP, password, ID or card number) in the message: warned first. */
  'safety_secret',
  /** A suspicious link in the message: warned first. */
  'safety_link',
  /** A scam story: sent to the security article with priority. */
  'safety_scam',
  /** Abuse or prompt injection: refused. */
  'safety_abuse',
  /** Asked for a person. */
  'handoff',
  /** A greeting or "what can you do". */
  'greeting',
  /** A language keyword (ENGLISH, BANA…): the conversation's language was switched. */
  'language_switched',
  /** The channel was switched off by an administrator: a fixed reply saying where to ask instead. */
  'channel_off',
  /** A stage failed; the citizen got a canned reply and the record keeps the error. */
  'error_understand',
  'error_retrieval',
  'error_compose',
  'error_internal',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/**
 * Handing a conversation to staff: the ticket's life and what the answer object says about it.
 *
 * waiting → held (a person claimed it) → released (back to the assistant) | closed (with a reason);
 * waiting | held → cancelled (by the citizen). A held ticket may be claimed by a supervisor
 * (taking over) or transferred to a colleague.
 */
export const TICKET_STATUSES = ['waiting', 'held', 'released', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** While a ticket is open the assistant does not answer in its conversation. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['waiting', 'held'];

export const CLOSE_REASONS = ['resolved', 'no_response', 'referred_elsewhere', 'duplicate', 'abusive'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** What the citizen's client is told: live (a person holds it), queued (waiting), closed. */
export const HANDOFF_STATUSES = ['live', 'queued', 'closed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** `answer.handoff` when the conversation has a ticket. */
export interface HandoffInfo {
  /** The ticket's short code. */
  ticket: string;
  status: HandoffStatus;
  /** Place in the queue (waiting tickets of the province, in office hours). */
  position?: number;
  /** When a first staff reply is due (ISO 8601), outside office hours. */
  expectedBy?: string;
}

export function handoffStatusOf(status: TicketStatus): HandoffStatus {
  return status === 'held' ? 'live' : status === 'waiting' ? 'queued' : 'closed';
}

/**
 * The staff desk's queues. They partition the tickets (each is in exactly one for a given
 * officer): waiting (nobody has it), mine (I hold it), answered (a colleague holds it, or it was
 * given back to the assistant), closed (closed by staff or cancelled by the citizen).
 */
export const DESK_QUEUES = ['waiting', 'mine', 'answered', 'closed'] as const;
export type DeskQueue = (typeof DESK_QUEUES)[number];

/**
 * What the desk's live stream says: only which ticket changed and how, never its text (the page
 * fetches what it shows through the staff API, with its role checks).
 */
export interface DeskEvent {
  type: 'ticket.new' | 'ticket.message' | 'ticket.state';
  ticketId: number;
  code: string;
  province: string;
  status: TicketStatus;
}

/** How often the desk page reloads its list while the live stream is down (ms). */
export const DESK_POLL_MS = 5000;

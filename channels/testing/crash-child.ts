/**
 * Crash-test child: opens the assistant and the channels on DATA_DIR, runs one step, and is
 * killed with SIGKILL at the hook point named by CRASH_AT (no clean-up, no flush: like a power cut
 * of the process). Steps (CRASH_STEP): "worker" = process one inbox row, "sender" = deliver one
 * outbox row, "forward" = put pending staff replies in the outbox, "worker-all" = process every due inbox row without sending, "drain" = run both until
 * nothing is left (waiting for stale leases to expire). Prints a JSON line with what it did.
 */
import pino from 'pino';
import { createAssistant } from '../../server/assistant.js';
import { loadConfig } from '../../server/config.js';
import { loadChannelsConfig } from '../config.js';
import type { HookPoint } from '../core/types.js';
import { createChannelRuntime } from '../runtime.js';

const step = process.env.CRASH_STEP ?? 'drain';
const crashAt = process.env.CRASH_AT as HookPoint | undefined;
const silent = pino({ level: 'silent' });

const assistant = await createAssistant(loadConfig(process.env), silent);
const runtime = createChannelRuntime({
  assistant,
  config: loadChannelsConfig(process.env),
  log: silent,
  isTest: true,
  hooks: {
    at(point) {
      if (point === crashAt) process.kill(process.pid, 'SIGKILL');
    },
  },
});
const { worker, sender, store, forwardStaffReplies } = runtime;
let did = 0;

const unsettled = () =>
  (store.db.prepare("SELECT COUNT(*) AS n FROM channel_inbox WHERE state IN ('received', 'processing')").get() as { n: number }).n +
  (store.db.prepare("SELECT COUNT(*) AS n FROM channel_outbox WHERE state IN ('pending', 'sending')").get() as { n: number }).n +
  (store.db.prepare("SELECT COUNT(*) AS n FROM ticket_messages WHERE delivery = 'pending'").get() as { n: number }).n;

if (step === 'worker') {
  did += (await worker.processOne()) ? 1 : 0;
} else if (step === 'sender') {
  did += (await sender.processOne()) ? 1 : 0;
} else if (step === 'forward') {
  did += forwardStaffReplies();
} else if (step === 'worker-all') {
  while (await worker.processOne()) did++;
} else {
  const deadline = Date.now() + Number(process.env.DRAIN_TIMEOUT_MS ?? 20_000);
  while (unsettled() > 0 && Date.now() < deadline) {
    let progressed = forwardStaffReplies() > 0;
    while (await worker.processOne()) {
      did++;
      progressed = true;
    }
    while (await sender.processOne()) {
      did++;
      progressed = true;
    }
    if (!progressed) await new Promise((r) => setTimeout(r, 50));
  }
}
process.stdout.write(`${JSON.stringify({ step, did, unsettled: unsettled() })}\n`);
assistant.close();
process.exit(0);

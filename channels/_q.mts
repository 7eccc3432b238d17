import { openDatabase } from '../server/db/database.ts';
import { createChannelStore } from './core/store.ts';
import fs from 'node:fs';
fs.rmSync('/tmp/qq.sqlite', { force: true });
const db = openDatabase('/tmp/qq.sqlite');
const s = createChannelStore(db);
for (let i = 0; i < 5000; i++) s.insertInbox({ channel: 'zalo', externalId: 'e' + i, userId: 'u' + (i % 250), kind: 'text', text: 'x', receivedAt: 1000 });
for (const row of db.prepare("EXPLAIN QUERY PLAN SELECT c.id FROM (SELECT id, channel, user_id FROM channel_inbox WHERE state = 'received' AND next_attempt_at <= 5 UNION ALL SELECT id, channel, user_id FROM channel_inbox WHERE state = 'processing' AND lease_until < 5) c WHERE c.channel IN (SELECT value FROM json_each('[\"zalo\"]')) AND NOT EXISTS (SELECT 1 FROM channel_inbox p WHERE p.channel = c.channel AND p.user_id = c.user_id AND p.id < c.id AND p.state IN ('received', 'processing')) ORDER BY c.id LIMIT 1").all()) console.log(row);
let t = performance.now(); let n = 0;
for (;;) { const r = s.claimInbox('w', 60000, 2000, ['zalo']); if (!r) break; s.completeInbox(r, 'w', { state: 'answered', outcome: 'x', outbox: [{ a: 1 }] }, 2000); n++; }
console.log('inbox claims+completes', n, ((performance.now() - t) / n).toFixed(3), 'ms each');
t = performance.now(); n = 0;
for (;;) { const r = s.claimOutbox('w', 60000, 3000, ['zalo']); if (!r) break; s.markDispatched(r, 3000); s.finishAttempt(r, 'w', 'sent', { state: 'sent', providerId: 'p' + n }, {}, 3000); n++; }
console.log('outbox claims+finish', n, ((performance.now() - t) / n).toFixed(3), 'ms each');

import type { FastifyInstance } from 'fastify';
import type { IndexHolder } from '../knowledge/index-holder.js';
import type { WriteProbe } from '../db/write-probe.js';

export async function healthRoutes(app: FastifyInstance, opts: { indexHolder: IndexHolder; writeProbe: WriteProbe }): Promise<void> {
  app.get('/healthz', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false } }, async (req, reply) => {
    let ready;
    try {
      const { index, embedder } = opts.indexHolder.get();
      ready = { status: 'ready', indexVersion: index.version, embedder: embedder.id, docs: index.docs.size, chunks: index.manifest.chunks };
    } catch (err) {
      return reply.code(503).send({ status: 'not_ready', message: (err as Error).message });
    }
    // Every answer is stored: a server that cannot write would return 500 to every chat.
    const storage = opts.writeProbe.check();
    if (!storage.ok) {
      req.log.error({ reason: storage.reason }, 'not ready: database not writable');
      return reply.code(503).send({ status: 'not_ready', message: storage.reason });
    }
    return ready;
  });
}

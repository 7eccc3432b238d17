import type { FastifyInstance } from 'fastify';
import type { IndexHolder } from '../knowledge/index-holder.js';

export async function healthRoutes(app: FastifyInstance, opts: { indexHolder: IndexHolder }): Promise<void> {
  app.get('/healthz', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false } }, async (_req, reply) => {
    try {
      const { index, embedder } = opts.indexHolder.get();
      return { status: 'ready', indexVersion: index.version, embedder: embedder.id, docs: index.docs.size, chunks: index.manifest.chunks };
    } catch (err) {
      return reply.code(503).send({ status: 'not_ready', message: (err as Error).message });
    }
  });
}

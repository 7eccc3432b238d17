/**
 * The real server for the widget's tests: the assistant over a temporary data folder, the app
 * built by buildApp, plus this folder's plugins when buildApp does not register them yet.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { profileRoutes } from '../api/profile-routes.js';
import { createTempAssistant, type TempAssistant } from './temp-assistant.js';
import type { AssistantOptions } from '../assistant.js';
import { registerCors } from '../web/cors.js';
import { webPlugin } from '../web/web-plugin.js';

export interface WebTestServer {
  t: TempAssistant;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

export async function startWebTestServer(opts: { allowedOrigins?: string[]; env?: Record<string, string>; assistant?: AssistantOptions } = {}): Promise<WebTestServer> {
  const allowedOrigins = opts.allowedOrigins ?? [];
  const t = await createTempAssistant({ RATE_LIMIT_MAX: '10000', ALLOWED_ORIGINS: allowedOrigins.join(','), ...opts.env }, opts.assistant);
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp({ assistant: t.assistant });
    if (!app.hasRoute({ method: 'GET', url: '/widget.js' })) {
      registerCors(app, allowedOrigins);
      await app.register(webPlugin, { profiles: t.assistant.profiles, defaultProvince: t.config.province, allowedOrigins, maxMessageChars: t.config.maxMessageChars });
      await app.register(profileRoutes, { profiles: t.assistant.profiles, defaultProvince: t.config.province, indexHolder: t.assistant.indexHolder });
    }
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const started = app;
    return {
      t,
      app: started,
      base,
      async close() {
        await started.close();
        t.cleanup();
      },
    };
  } catch (err) {
    await app?.close();
    t.cleanup();
    throw err;
  }
}

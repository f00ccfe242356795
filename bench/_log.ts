import Fastify from 'fastify';
import { createLogger } from '../bin/infra/logger.js';

const app = Fastify({ loggerInstance: createLogger('info'), disableRequestLogging: true });
app.addHook('onResponse', (request, reply, done) => {
  request.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  done();
});
app.get('/x', async () => ({ ok: 1 }));
await app.inject({ url: '/x?token=abc', headers: { authorization: 'Bearer s' } });
const app2 = Fastify({ loggerInstance: createLogger('info') });
app2.get('/x', async () => ({ ok: 1 }));
await app2.inject({ url: '/x?token=abc' });

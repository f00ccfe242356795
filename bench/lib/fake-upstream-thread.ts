import { parentPort } from 'node:worker_threads';
import { startFakeOpenAI } from '../../test/fakes/openai.js';

/**
 * The fake OpenAI upstream on a thread of its own, for benches that send it megabytes: reading and
 * parsing those is the upstream's work, not the app's, and must not count in the app's event loop.
 * Posts `{ type: 'ready', url }`; on `close` it stops and posts `{ type: 'closed', calls }`. The
 * requests it records are dropped as they come (megabytes each), only counted. It answers briefly
 * (the fake would otherwise echo the prompt: megabytes of output measured instead of the prompt's
 * cost); the usage it reports still counts the prompt's words.
 */
const port = parentPort!;
const fake = await startFakeOpenAI();
fake.enqueue({ reply: { text: 'baik', outputTokens: 1 } }, 1_000_000);
let calls = 0;
const forget = setInterval(() => {
  calls += fake.requests.length;
  fake.requests.length = 0;
}, 200);
port.on('message', async (message: { type: string }) => {
  if (message.type !== 'close') return;
  clearInterval(forget);
  calls += fake.requests.length;
  await fake.close();
  port.postMessage({ type: 'closed', calls });
  port.close();
});
port.postMessage({ type: 'ready', url: fake.url });

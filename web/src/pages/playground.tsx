import { useRef, useState } from 'preact/hooks';
import { writeHeaders } from '../api';
import { Card, FormError } from '../components/form';
import { rupiah } from '../format';
import { useI18n } from '../i18n';
import { type ModelOf, modelsOf, useModels } from '../models';
import { loginRedirect, useRoute } from '../router';
import { refreshAccount } from '../session';
import { ImageStudio } from './playground-image';
import { VideoStudio } from './playground-video';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  cost?: number;
}

/** Reads an OpenAI-format SSE stream: text deltas as they come, then the cost from the finish chunk. */
async function streamChat(
  body: unknown,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<{ cost: number | null }> {
  const response = await fetch('/account/playground/chat/completions', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...writeHeaders() },
    body: JSON.stringify(body),
    signal,
  });
  if (response.status === 401) loginRedirect();
  if (!response.ok || !response.body) {
    const data = await response.json().catch(() => null);
    throw new Error(data?.error?.message ?? `HTTP ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let cost: number | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const data = frame.replace(/^data: ?/m, '');
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message);
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) onText(delta);
      if (chunk.aiport?.cost_idr !== undefined) cost = chunk.aiport.cost_idr;
    }
  }
  return { cost };
}

type Tab = 'chat' | 'image' | 'video';

/** Chat, images and video, each billed like the API; the tab is part of the address (`?tab=`). */
export function PlaygroundPage() {
  const { t } = useI18n();
  const route = useRoute();
  const models = useModels();
  const wanted = route.query.get('tab');
  const tab: Tab = wanted === 'image' || wanted === 'video' ? wanted : 'chat';
  const tabs: [Tab, string][] = [
    ['chat', t.play.chat],
    ['image', t.play.image],
    ['video', t.play.video],
  ];
  return (
    <>
      <h1>{t.play.title}</h1>
      <nav class="tabs" aria-label={t.play.title}>
        {tabs.map(([id, label]) => (
          <a
            key={id}
            href={`#/playground?tab=${id}`}
            class={tab === id ? 'button' : 'button secondary'}
            aria-current={tab === id ? 'page' : undefined}
          >
            {label}
          </a>
        ))}
      </nav>
      {models === null ? (
        <p aria-busy="true">{t.common.loading}</p>
      ) : modelsOf(models, tab).length === 0 ? (
        <Card>
          <p>{t.play.noModels}</p>
        </Card>
      ) : tab === 'image' ? (
        <ImageStudio models={modelsOf(models, 'image')} />
      ) : tab === 'video' ? (
        <VideoStudio models={modelsOf(models, 'video')} videoId={route.query.get('video')} />
      ) : (
        <ChatStudio chatModels={modelsOf(models, 'chat')} />
      )}
    </>
  );
}

function ChatStudio({ chatModels }: { chatModels: ModelOf<'chat'>[] }) {
  const { t } = useI18n();
  const [model, setModel] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const chosen = chatModels.find((m) => m.id === model) ?? chatModels[0];

  const send = async (event: Event) => {
    event.preventDefault();
    if (!draft.trim() || !chosen) return;
    const history: Turn[] = [...turns, { role: 'user', content: draft }];
    setTurns([...history, { role: 'assistant', content: '' }]);
    setError(undefined);
    setBusy(true);
    abort.current = new AbortController();
    let text = '';
    try {
      const { cost } = await streamChat(
        { model: chosen.id, stream: true, messages: history.map(({ role, content }) => ({ role, content })) },
        abort.current.signal,
        (delta) => {
          text += delta;
          setTurns([...history, { role: 'assistant', content: text }]);
        },
      );
      setTurns([...history, { role: 'assistant', content: text, ...(cost !== null ? { cost } : {}) }]);
      setDraft('');
      void refreshAccount();
    } catch (e) {
      // The message stays in the box, so nothing typed is lost.
      setTurns(turns);
      if ((e as Error).name !== 'AbortError') setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Card>
        <label for="model">{t.play.model}</label>
        <select id="model" value={chosen?.id ?? ''} onChange={(e) => setModel(e.currentTarget.value)}>
          {chatModels.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        {chosen && (
          <p class="muted">
            {t.play.input} {rupiah(chosen.price.input_per_mtok_idr)}, {t.play.output}{' '}
            {rupiah(chosen.price.output_per_mtok_idr)} {t.play.perM}. {t.play.billed}
          </p>
        )}
      </Card>
      <section class="chat" aria-live="polite" aria-label={t.play.chat}>
        {turns.map((turn, i) => (
          <div
            key={i}
            class={`bubble ${turn.role}`}
            data-testid={turn.role === 'assistant' ? 'answer' : undefined}
          >
            <p>{turn.content || (busy ? '…' : '')}</p>
            {turn.cost !== undefined && (
              <small class="cost" data-testid="cost">
                {t.play.cost} {rupiah(turn.cost)}
              </small>
            )}
          </div>
        ))}
      </section>
      <form class="composer" onSubmit={send}>
        <label for="msg" class="sr-only">
          {t.play.message}
        </label>
        <textarea
          id="msg"
          rows={2}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          placeholder={t.play.message}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) send(e);
          }}
        />
        {busy ? (
          <button type="button" class="secondary" onClick={() => abort.current?.abort()}>
            {t.play.stop}
          </button>
        ) : (
          <button type="submit">{t.play.send}</button>
        )}
      </form>
      <FormError message={error} />
      {turns.length > 0 && !busy && (
        <button type="button" class="secondary" onClick={() => setTurns([])}>
          {t.play.newChat}
        </button>
      )}
    </>
  );
}

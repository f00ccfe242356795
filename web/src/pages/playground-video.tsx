import { useEffect, useState } from 'preact/hooks';
import { type Answer, ApiError, call } from '../api';
import { errorText } from '../api-errors';
import { Card, Field, FormError, SelectField, useForm } from '../components/form';
import { rupiah } from '../format';
import { useI18n } from '../i18n';
import type { ModelOf } from '../models';
import { navigate } from '../router';
import { refreshAccount } from '../session';
import { costOf } from './playground-image';

type Video = Answer<'GET /v1/videos/{id}'>;

/** How often a running video is asked about (the worker moves it in steps of seconds). */
const POLL_MS = 2000;

/**
 * Follows one video job by polling `GET /v1/videos/{id}` until it ends; the id lives in the page
 * address, so leaving and coming back picks the job up again.
 */
function useVideo(id: string | null) {
  const { t, lang } = useI18n();
  const [video, setVideo] = useState<Video | null>(null);
  const [cost, setCost] = useState<number | null>(null);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setVideo(null);
    setCost(null);
    setError(undefined);
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const answer = await call('GET /v1/videos/{id}', { params: { id } });
        if (stopped) return;
        setVideo(answer.data);
        if (answer.data.status === 'completed' || answer.data.status === 'failed') {
          setCost(costOf(answer.headers));
          void refreshAccount();
          return;
        }
      } catch (e) {
        if (stopped) return;
        // A lost connection is retried; an answer from the server (gone, not yours) ends the wait.
        if (e instanceof ApiError) return setError(errorText(e, t, lang));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);
  return { video, cost, error };
}

/** Video: submit through `/v1/videos` with the session, watch its progress, play the MP4. */
export function VideoStudio({ models, videoId }: { models: ModelOf<'video'>[]; videoId: string | null }) {
  const { t } = useI18n();
  const [frame, setFrame] = useState<File | null>(null);
  const first = models[0];
  const form = useForm(
    {
      model: first?.id ?? '',
      prompt: '',
      seconds: String(first?.durations?.[0] ?? ''),
      size: first?.sizes?.[0] ?? '',
    },
    async (v) => {
      const fields = {
        model: v.model,
        prompt: v.prompt,
        ...(v.seconds ? { seconds: v.seconds } : {}),
        ...(v.size ? { size: v.size } : {}),
      };
      let upload: FormData | undefined;
      if (frame) {
        upload = new FormData();
        for (const [key, value] of Object.entries(fields)) upload.set(key, value);
        upload.set('input_reference', frame, frame.name);
      }
      const answer = await call('POST /v1/videos', upload ? { form: upload } : { body: fields });
      navigate(`/playground?tab=video&video=${encodeURIComponent(answer.data.id)}`);
      void refreshAccount();
    },
  );
  const { video, cost, error } = useVideo(videoId);
  const model = models.find((m) => m.id === form.values.model) ?? first;
  const perSecond = model?.price.per_video_second_idr ?? 0;
  const running = video !== null && (video.status === 'queued' || video.status === 'in_progress');
  return (
    <>
      <Card>
        <form onSubmit={form.submit} noValidate>
          <SelectField
            label={t.play.model}
            {...form.field('model')}
            options={models.map((m) => [m.id, m.name] as const)}
          />
          <Field label={t.play.videoPrompt} multiline={3} required {...form.field('prompt')} />
          <div class="pair">
            <SelectField
              label={t.play.seconds}
              {...form.field('seconds')}
              options={(model?.durations ?? []).map(
                (d) => [String(d), `${d} ${t.play.secondsUnit}`] as const,
              )}
            />
            <SelectField
              label={t.play.size}
              {...form.field('size')}
              options={(model?.sizes ?? []).map((s) => [s, s] as const)}
            />
          </div>
          <Field
            label={t.play.firstFrame}
            name="input_reference"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            hint={t.play.firstFrameHint}
            error={form.error('input_reference')}
            onChange={(e) => setFrame(e.currentTarget.files?.[0] ?? null)}
          />
          <p class="muted">
            {rupiah(perSecond)} {t.play.perSecond}: {t.play.estimate}{' '}
            <strong>{rupiah(perSecond * Number(form.values.seconds || 0))}</strong>. {t.play.videoBilled}
          </p>
          <FormError message={form.formError} />
          <button type="submit" disabled={form.busy || running}>
            {t.play.makeVideo}
          </button>
        </form>
      </Card>
      {videoId && (
        <Card title={t.play.yourVideo}>
          <FormError message={error} />
          {video === null && !error && <p aria-busy="true">{t.common.loading}</p>}
          {running && (
            <div role="status" data-testid="video-progress">
              <p>
                {video.status === 'queued' ? t.play.queued : t.play.rendering} ({video.progress}%)
              </p>
              <progress max={100} value={video.progress} aria-label={t.play.progress} />
              <p class="muted">{t.play.canLeave}</p>
            </div>
          )}
          {video?.status === 'failed' && (
            <p class="error banner" role="alert">
              {video.error?.message ?? t.common.error} {t.play.notCharged}
            </p>
          )}
          {video?.status === 'completed' && (
            <>
              {/* biome-ignore lint/a11y/useMediaCaption: generated footage has no speech to caption */}
              <video
                class="result"
                controls
                playsInline
                preload="metadata"
                src={`/v1/videos/${encodeURIComponent(video.id)}/content`}
                data-testid="video-result"
              />
              <p class="actions">
                <a
                  class="button secondary small"
                  href={`/v1/videos/${encodeURIComponent(video.id)}/content`}
                  download={`${video.id}.mp4`}
                >
                  {t.play.download}
                </a>
              </p>
              {cost !== null && (
                <p class="cost" data-testid="video-cost">
                  {t.play.cost} {rupiah(cost)}
                </p>
              )}
            </>
          )}
        </Card>
      )}
    </>
  );
}

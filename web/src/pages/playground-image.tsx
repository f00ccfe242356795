import { useEffect, useMemo, useState } from 'preact/hooks';
import { call } from '../api';
import { Card, Field, FormError, SelectField, useForm } from '../components/form';
import { rupiah } from '../format';
import { useI18n } from '../i18n';
import type { ModelOf } from '../models';
import { refreshAccount } from '../session';

/** A file link of this server (`{PUBLIC_URL}/files/...`) as a same-origin path, so it loads under our CSP. */
export function sameOrigin(url: string): string {
  const link = new URL(url, location.href);
  return `${link.pathname}${link.search}`;
}

/** The cost the server states for a finished piece of work (null when it did not say). */
export function costOf(headers: Headers): number | null {
  const value = headers.get('x-aiport-cost-idr');
  return value === null ? null : Number(value);
}

interface Result {
  images: string[];
  cost: number | null;
  edited: boolean;
}

/**
 * Image generation, or an edit of an uploaded picture, through `/v1/images/generations` and
 * `/v1/images/edits` with the session: the same work, checks and billing as the API.
 */
export function ImageStudio({ models }: { models: ModelOf<'image'>[] }) {
  const { t } = useI18n();
  const [upload, setUpload] = useState<File | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const form = useForm({ model: models[0]?.id ?? '', prompt: '', size: '' }, async (v) => {
    const model = models.find((m) => m.id === v.model) ?? models[0];
    if (!model) return;
    let answer: Awaited<ReturnType<typeof call<'POST /v1/images/generations'>>>;
    if (upload) {
      const body = new FormData();
      body.set('model', model.id);
      body.set('prompt', v.prompt);
      body.set('response_format', 'url');
      if (v.size) body.set('size', v.size);
      body.set('image', upload, upload.name);
      answer = await call('POST /v1/images/edits', { form: body });
    } else {
      answer = await call('POST /v1/images/generations', {
        body: {
          model: model.id,
          prompt: v.prompt,
          response_format: 'url',
          ...(v.size ? { size: v.size } : {}),
        },
      });
    }
    const images = answer.data.data.map((d) =>
      d.url ? sameOrigin(d.url) : `data:image/png;base64,${d.b64_json}`,
    );
    setResult({ images, cost: costOf(answer.headers), edited: upload !== null });
    void refreshAccount();
  });
  const model = models.find((m) => m.id === form.values.model) ?? models[0];
  const preview = useMemo(() => (upload ? URL.createObjectURL(upload) : null), [upload]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  /** Takes a result as the picture to edit next. */
  const editThis = async (src: string) => {
    const blob = await (await fetch(src, { credentials: 'same-origin' })).blob();
    setUpload(new File([blob], 'image.png', { type: blob.type || 'image/png' }));
    form.setValues({ ...form.values, prompt: '' });
  };
  return (
    <>
      <Card>
        <form onSubmit={form.submit} noValidate>
          <SelectField
            label={t.play.model}
            {...form.field('model')}
            options={models.map((m) => [m.id, m.name] as const)}
          />
          {model && (
            <p class="muted">
              {rupiah(model.price.per_image_idr)} {t.play.perImage}. {t.play.billed}
            </p>
          )}
          <Field label={t.play.prompt} multiline={3} required {...form.field('prompt')} />
          <SelectField
            label={t.play.size}
            {...form.field('size')}
            options={[['', t.play.sizeDefault], ...(model?.sizes ?? []).map((s) => [s, s] as const)]}
          />
          <Field
            label={t.play.upload}
            name="image"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            hint={t.play.uploadHint}
            error={form.error('image')}
            onChange={(e) => setUpload(e.currentTarget.files?.[0] ?? null)}
          />
          {preview && (
            <p class="upload">
              <img src={preview} alt={t.play.uploaded} />
              <button type="button" class="secondary small" onClick={() => setUpload(null)}>
                {t.play.removeUpload}
              </button>
            </p>
          )}
          <FormError message={form.formError} />
          <button type="submit" disabled={form.busy} aria-busy={form.busy}>
            {form.busy ? t.play.working : upload ? t.play.edit : t.play.generate}
          </button>
        </form>
      </Card>
      {result && (
        <Card title={result.edited ? t.play.edited : t.play.generated}>
          {result.images.map((src) => (
            <figure key={src} class="result">
              <img src={src} alt={form.values.prompt || t.play.generated} data-testid="image-result" />
              <figcaption class="actions">
                <a class="button secondary small" href={src} download>
                  {t.play.download}
                </a>
                <button type="button" class="secondary small" onClick={() => editThis(src)}>
                  {t.play.editThis}
                </button>
              </figcaption>
            </figure>
          ))}
          {result.cost !== null && (
            <p class="cost" data-testid="image-cost">
              {t.play.cost} {rupiah(result.cost)}
            </p>
          )}
        </Card>
      )}
    </>
  );
}

import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useI18n } from '../i18n';

let nextId = 0;

/** A labelled input whose error (from the server, naming this field) is announced and shown under it. */
export function Field(
  props: {
    label: string;
    name: string;
    error?: string | null | undefined;
    hint?: string;
  } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, error, hint, name, ...input } = props;
  const [id] = useState(() => `f${++nextId}`);
  const describedBy = [error ? `${id}-e` : '', hint ? `${id}-h` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <small id={`${id}-h`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-e`} class="error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/**
 * A form's submit cycle: the API's message goes next to the field it names (or above the button),
 * and nothing typed is cleared on an error.
 */
export function useSubmit<T>(action: () => Promise<T>) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (event?: Event): Promise<T | undefined> => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      return await action();
    } catch (error) {
      if (error instanceof ApiError) setErrors({ [error.param ?? '_']: error.message });
      else setErrors({ _: t.common.error });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, submit, setErrors };
}

export function FormError({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="error banner" role="alert">
      {message}
    </p>
  ) : null;
}

export function Card({ title, children }: { title?: string; children: ComponentChildren }) {
  return (
    <section class="card">
      {title && <h2>{title}</h2>}
      {children}
    </section>
  );
}

export function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? t.common.copied : t.common.copy}
    </button>
  );
}

import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { errorText } from '../api-errors';
import { useI18n } from '../i18n';

let nextId = 0;

/** A labelled input whose error (from the server, naming this field) is announced and shown under it. */
export function Field(
  props: {
    label: string;
    name: string;
    error?: string | null | undefined;
    hint?: string;
    /** Rows of a multi-line text box (a textarea instead of an input). */
    multiline?: number;
  } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, error, hint, name, multiline, ...input } = props;
  const Tag = (multiline ? 'textarea' : 'input') as 'input';
  const [id] = useState(() => `f${++nextId}`);
  const describedBy = [error ? `${id}-e` : '', hint ? `${id}-h` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <Tag
        id={id}
        name={name}
        {...(multiline ? { rows: multiline } : {})}
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

/** A labelled select, its error shown under it like a Field's. */
export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  options: readonly (readonly [value: string, label: string])[];
  onInput: (e: { currentTarget: { value: string } }) => void;
  error?: string | undefined;
}) {
  const [id] = useState(() => `f${++nextId}`);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        onInput={props.onInput}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-e` : undefined}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {props.error && (
        <small id={`${id}-e`} class="error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

/**
 * A submit cycle: busy while it runs; the API's message is filed under the field it names (or
 * `_`, shown above the button), and nothing typed is cleared on an error.
 */
export function useSubmit<T>(action: () => Promise<T>) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (event?: Event): Promise<T | undefined> => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      return await action();
    } catch (error) {
      // Shown in the page's language, next to the field the server named.
      if (error instanceof ApiError) setErrors({ [error.param ?? '_']: errorText(error, t, lang) });
      else setErrors({ _: t.common.error });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, submit, setErrors };
}

type Values = Record<string, string | boolean>;

/**
 * A form's values and its submit cycle in one: `field('email')` gives an input its name, value,
 * input handler and error; `check('flag')` the same for a checkbox. An error naming a field the
 * form does not show goes to `errors._`, so no message is lost. `done` turns true after a success
 * and false again on the next edit (for a "saved" notice).
 */
export function useForm<V extends Values>(initial: V, action: (values: V) => Promise<unknown>) {
  const [values, setValues] = useState(initial);
  const [done, setDone] = useState(false);
  const shown = new Set<string>();
  const cycle = useSubmit(async () => {
    await action(values);
    setDone(true);
  });
  const edit = (key: keyof V, value: string | boolean) => {
    setValues((v) => ({ ...v, [key]: value }));
    setDone(false);
  };
  const errorOf = (key: string) => cycle.errors[key];
  const field = (key: keyof V & string) => {
    shown.add(key);
    return {
      name: key,
      value: values[key] as string,
      error: errorOf(key),
      onInput: (e: { currentTarget: { value: string } }) => edit(key, e.currentTarget.value),
    };
  };
  /** The error of a field rendered by hand (a file input, a select), counted as shown. */
  const error = (key: string) => {
    shown.add(key);
    return errorOf(key);
  };
  const check = (key: keyof V & string) => ({
    name: key,
    checked: values[key] as boolean,
    onChange: (e: { currentTarget: { checked: boolean } }) => edit(key, e.currentTarget.checked),
  });
  return {
    values,
    setValues,
    field,
    check,
    error,
    done,
    busy: cycle.busy,
    submit: cycle.submit,
    setErrors: cycle.setErrors,
    /**
     * The message for above the button: general, or naming a field this form does not show. Read it
     * after the fields in the markup (the fields rendered so far are the ones shown).
     */
    get formError(): string | undefined {
      const stray = Object.entries(cycle.errors).find(([key]) => key !== '_' && !shown.has(key));
      return cycle.errors._ ?? stray?.[1];
    },
    errors: cycle.errors,
  };
}

export function FormError({ message }: { message?: string | undefined }) {
  return message ? (
    <p class="error banner" role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * The end of a form with one submit button: the form's general error, what it says once done (when
 * `doneText` is given), and the button, disabled while the form is submitting.
 */
export function FormEnd({
  form,
  label,
  doneText,
}: {
  form: { formError: string | undefined; done: boolean; busy: boolean };
  label: string;
  doneText?: ComponentChildren;
}) {
  return (
    <>
      <FormError message={form.formError} />
      {doneText !== undefined && form.done && (
        <p class="notice" role="status">
          {doneText}
        </p>
      )}
      <button type="submit" disabled={form.busy}>
        {label}
      </button>
    </>
  );
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

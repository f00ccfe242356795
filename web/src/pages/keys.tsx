import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from '../api';
import { Card, CopyButton, Field, FormError, useSubmit } from '../components/form';
import { dateTime } from '../format';
import { useI18n } from '../i18n';

type Key = Item<'GET /account/keys'>;
const SCOPES = ['chat', 'images', 'videos', 'account'] as const;

export function KeysPage() {
  const { t, lang } = useI18n();
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['chat', 'images', 'videos']);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const load = () => api('GET /account/keys').then((r) => setKeys(r.data));
  useEffect(() => {
    void load();
  }, []);
  const { busy, errors, submit } = useSubmit(async () => {
    const created = await api('POST /account/keys', {
      body: {
        name,
        scopes: scopes as (typeof SCOPES)[number][],
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      },
    });
    setSecret(created.secret);
    setName('');
    await load();
  });
  const revoke = async (key: Key) => {
    if (!confirm(t.keys.revokeConfirm)) return;
    await api('DELETE /account/keys/{id}', { params: { id: key.id } });
    await load();
  };
  return (
    <>
      <h1>{t.keys.title}</h1>
      {secret && (
        <Card>
          <p class="notice" role="status">
            {t.keys.secretOnce}
          </p>
          <p class="secret">
            <code data-testid="secret">{secret}</code>
          </p>
          <CopyButton text={secret} />{' '}
          <button type="button" class="secondary" onClick={() => setSecret(null)}>
            {t.common.close}
          </button>
        </Card>
      )}
      <Card title={t.keys.create}>
        <form onSubmit={submit} noValidate>
          <Field
            label={t.keys.name}
            name="name"
            required
            maxLength={100}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            error={errors.name}
          />
          <fieldset>
            <legend>{t.keys.scopes}</legend>
            {SCOPES.map((scope) => (
              <label key={scope} class="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) =>
                    setScopes(
                      e.currentTarget.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope),
                    )
                  }
                />{' '}
                {t.keys.scopeNames[scope]}
              </label>
            ))}
            {errors.scopes && (
              <small class="error" role="alert">
                {errors.scopes}
              </small>
            )}
          </fieldset>
          <Field
            label={t.keys.expires}
            name="expires_at"
            type="date"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
            error={errors.expires_at}
          />
          <FormError message={errors._} />
          <button type="submit" disabled={busy}>
            {t.keys.create}
          </button>
        </form>
      </Card>
      <Card title={t.keys.title}>
        {keys === null ? (
          <p>{t.common.loading}</p>
        ) : keys.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <ul class="rows">
            {keys.map((key) => (
              <li key={key.id} class={key.revoked_at ? 'revoked' : ''}>
                <div>
                  <strong>{key.name}</strong> <code>{key.prefix}…</code>
                  {key.revoked_at && <span class="tag">{t.keys.revoked}</span>}
                </div>
                <div class="muted">
                  {key.scopes.map((s) => t.keys.scopeNames[s] ?? s).join(', ')} · {t.keys.lastUsed}:{' '}
                  {key.last_used_at ? dateTime(key.last_used_at, lang) : t.common.never}
                  {key.expires_at && ` · ${dateTime(key.expires_at, lang)}`}
                </div>
                {!key.revoked_at && (
                  <button
                    type="button"
                    class="danger small"
                    onClick={() => revoke(key)}
                    aria-label={`${t.keys.revoke} ${key.name}`}
                  >
                    {t.keys.revoke}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

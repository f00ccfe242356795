import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from '../api';
import { Card, CopyButton, Field, FormError, useForm, useSubmit } from '../components/form';
import { dateTime, rupiah } from '../format';
import { useI18n } from '../i18n';
import { refreshAccount } from '../session';

type Linked = Item<'GET /account/links'>;

const PLATFORM_NAMES: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', discord: 'Discord' };

/**
 * Linking chat accounts: the ones already linked, a code from a bot entered here, or a code made
 * here to enter in a bot (`/link CODE`). Either way the two accounts become one, with one balance.
 */
export function LinkAccounts() {
  const { t, lang } = useI18n();
  const [linked, setLinked] = useState<Linked[] | null>(null);
  const [issued, setIssued] = useState<{ code: string; expires_at: string } | null>(null);
  const [moved, setMoved] = useState<number | null>(null);
  const load = () => api('GET /account/links').then((r) => setLinked(r.data));
  useEffect(() => {
    void load();
  }, []);
  const enter = useForm({ code: '' }, async (v) => {
    const result = await api('POST /account/links', { body: { code: v.code } });
    setMoved(result.moved_idr);
    enter.setValues({ code: '' });
    await Promise.all([load(), refreshAccount()]);
  });
  const make = useSubmit(async () => setIssued(await api('POST /account/link-codes')));
  return (
    <Card title={t.settings.link}>
      {linked === null ? (
        <p aria-busy="true">{t.common.loading}</p>
      ) : linked.length === 0 ? (
        <p class="muted">{t.settings.noLinks}</p>
      ) : (
        <ul class="rows" data-testid="linked">
          {linked.map((l) => (
            <li key={`${l.platform}${l.linked_at}`}>
              <strong>{PLATFORM_NAMES[l.platform] ?? l.platform}</strong> {l.display_name}
              <span class="muted right">{dateTime(l.linked_at, lang)}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t.settings.linkEnterTitle}</h3>
      <form onSubmit={enter.submit} noValidate>
        <Field
          label={t.settings.linkCode}
          hint={t.settings.linkEnterHint}
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          {...enter.field('code')}
        />
        <FormError message={enter.formError} />
        {enter.done && (
          <p class="notice" role="status">
            {t.settings.linkedOk}
            {moved ? ` ${t.settings.linkedMoved} ${rupiah(moved)}.` : ''}
          </p>
        )}
        <button type="submit" disabled={enter.busy}>
          {t.settings.linkButton}
        </button>
      </form>
      <h3>{t.settings.linkMakeTitle}</h3>
      {issued ? (
        <div class="secret" role="status">
          <p>{t.settings.linkMakeHint}</p>
          <code data-testid="link-code">/link {issued.code}</code>
          <p class="actions">
            <CopyButton text={`/link ${issued.code}`} />
            <span class="muted">
              {t.settings.linkValidUntil} {dateTime(issued.expires_at, lang)}
            </span>
          </p>
        </div>
      ) : (
        <>
          <FormError message={make.errors._} />
          <button type="button" class="secondary" disabled={make.busy} onClick={() => make.submit()}>
            {t.settings.linkMake}
          </button>
        </>
      )}
    </Card>
  );
}

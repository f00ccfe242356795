import { Card } from '../components/form';
import { rupiah } from '../format';
import { useI18n } from '../i18n';
import { type PublicModel, useModels } from '../models';

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  deepseek: 'DeepSeek',
  runninghub: 'RunningHub',
  'openai-compatible': 'AIport (self-hosted)',
};

export function HomePage({ deleted }: { deleted?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {deleted && (
        <p class="notice" role="status">
          {t.settings.deleted}
        </p>
      )}
      <section class="hero">
        <h1>AIport</h1>
        <p>{t.tagline}</p>
        <a class="button" href="#/signup">
          {t.pub.homeCta}
        </a>{' '}
        <a class="button secondary" href="#/login">
          {t.nav.login}
        </a>
      </section>
      <Card title={t.nav.pricing}>
        <p>
          <a href="#/pricing">{t.pub.pricingTitle}</a> · <a href="#/quickstart">{t.pub.quickTitle}</a> ·{' '}
          <a href="/docs">{t.nav.docs}</a>
        </p>
      </Card>
    </>
  );
}

function priceLine(model: PublicModel, t: ReturnType<typeof useI18n>['t']): string {
  switch (model.kind) {
    case 'chat':
      return `${t.play.input} ${rupiah(model.price.input_per_mtok_idr)} · ${t.play.output} ${rupiah(model.price.output_per_mtok_idr)} ${t.play.perM}`;
    case 'embedding':
      return `${t.play.input} ${rupiah(model.price.input_per_mtok_idr)} ${t.play.perM}`;
    case 'image':
      return `${rupiah(model.price.per_image_idr)} ${t.play.perImage}`;
    case 'video':
      return `${rupiah(model.price.per_video_second_idr)} / s`;
    case 'transcription':
      return `${rupiah(model.price.per_audio_second_idr)} / s audio`;
  }
}

export function PricingPage() {
  const { t } = useI18n();
  const models = useModels();
  return (
    <>
      <h1>{t.pub.pricingTitle}</h1>
      <p>{t.pub.pricingIntro}</p>
      {models === null ? (
        <p>{t.common.loading}</p>
      ) : (
        <ul class="rows">
          {models.map((m) => (
            <li key={m.id}>
              <div>
                <strong>{m.name}</strong> <code>{m.id}</code> <span class="tag">{m.kind}</span>
              </div>
              <div>{priceLine(m, t)}</div>
              <div class="muted">
                {t.pub.providers}: {m.providers.map((p) => PROVIDER_NAMES[p] ?? p).join(', ')}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function QuickstartPage() {
  const { t } = useI18n();
  const base = `${location.origin}/v1`;
  const snippets: [string, string][] = [
    [
      'curl',
      `curl ${base}/chat/completions \\\n  -H "Authorization: Bearer $AIPORT_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Halo!"}]}'`,
    ],
    [
      'Python (openai)',
      `from openai import OpenAI\n\nclient = OpenAI(base_url="${base}", api_key="aip_...")\nreply = client.chat.completions.create(\n    model="gpt-4o-mini",\n    messages=[{"role": "user", "content": "Halo!"}],\n)\nprint(reply.choices[0].message.content)`,
    ],
    [
      'Node (openai)',
      `import OpenAI from 'openai';\n\nconst client = new OpenAI({ baseURL: '${base}', apiKey: process.env.AIPORT_API_KEY });\nconst reply = await client.chat.completions.create({\n  model: 'gpt-4o-mini',\n  messages: [{ role: 'user', content: 'Halo!' }],\n});\nconsole.log(reply.choices[0].message.content);`,
    ],
    [
      'Anthropic SDK',
      `import Anthropic from '@anthropic-ai/sdk';\n\nconst client = new Anthropic({ baseURL: '${location.origin}', apiKey: process.env.AIPORT_API_KEY });\nconst message = await client.messages.create({\n  model: 'claude-sonnet-4.5',\n  max_tokens: 512,\n  messages: [{ role: 'user', content: 'Halo!' }],\n});`,
    ],
  ];
  return (
    <>
      <h1>{t.pub.quickTitle}</h1>
      <p>{t.pub.quickIntro}</p>
      {snippets.map(([title, code]) => (
        <Card key={title} title={title}>
          <pre class="code">
            <code>{code}</code>
          </pre>
        </Card>
      ))}
      <p>
        <a href="/docs">{t.nav.docs}</a> · <a href="/openapi.json">OpenAPI</a>
      </p>
    </>
  );
}

const LEGAL = {
  terms: {
    id: [
      'Ketentuan Layanan',
      'AIport menjual akses ke model AI dengan saldo rupiah prabayar. Saldo dipotong sesuai pemakaian menurut harga yang tercantum; permintaan gagal tidak ditagih. Dilarang memakai layanan untuk konten yang melanggar hukum Indonesia atau kebijakan penyedia model. Kami dapat menangguhkan akun yang menyalahgunakan layanan; akun yang ditangguhkan tetap dapat melihat datanya dan keluar. Saldo tidak dapat diuangkan kembali kecuali diwajibkan hukum.',
    ],
    en: [
      'Terms of Service',
      'AIport sells access to AI models against a prepaid rupiah balance. The balance is charged for what you use at the listed prices; failed requests are not charged. Do not use the service for content that breaks Indonesian law or the model providers’ policies. We may suspend accounts that abuse the service; a suspended account can still view its data and sign out. Balances are not refundable in cash unless the law requires it.',
    ],
  },
  privacy: {
    id: [
      'Kebijakan Privasi',
      'Kami menyimpan email, nama, saldo dan catatan pemakaian Anda. Isi permintaan (prompt dan jawaban) disimpan 30 hari untuk dukungan dan pencegahan penyalahgunaan, lalu dihapus; dengan zero-retention isinya tidak disimpan sama sekali. Permintaan diproses oleh penyedia yang tercantum di halaman Harga. Anda dapat mengunduh data Anda dan menghapus akun kapan saja di Pengaturan.',
    ],
    en: [
      'Privacy Policy',
      'We keep your email, name, balance and usage records. Request content (prompts and answers) is kept for 30 days for support and abuse prevention, then deleted; with zero-retention it is never kept. Requests are processed by the providers listed on the Pricing page. You can download your data and delete your account at any time in Settings.',
    ],
  },
} as const;

export function LegalPage({ which }: { which: 'terms' | 'privacy' }) {
  const { lang } = useI18n();
  const [title, body] = LEGAL[which][lang];
  return (
    <Card>
      <h1>{title}</h1>
      <p>{body}</p>
    </Card>
  );
}

/**
 * The playground's single page: plain HTML, CSS and a small script that polls `/api/state` and
 * posts what the person types or presses. Text from the bots is set with textContent, never as HTML.
 */
export const PLAYGROUND_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AIport playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111; }
  header { padding: 10px 16px; background: #1f2937; color: #fff; }
  header small { color: #cbd5e1; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; padding: 12px; }
  section { background: #fff; border-radius: 8px; display: flex; flex-direction: column; min-height: 420px; box-shadow: 0 1px 2px #0002; }
  section h2 { margin: 0; padding: 8px 12px; font-size: 15px; border-bottom: 1px solid #e5e7eb; }
  .log { flex: 1; overflow-y: auto; padding: 8px 12px; max-height: 60vh; }
  .msg { margin: 6px 0; padding: 6px 10px; border-radius: 10px; max-width: 85%; white-space: pre-wrap; word-wrap: break-word; }
  .me { background: #dbeafe; margin-left: auto; }
  .bot { background: #f1f5f9; }
  .msg img, .msg video { display: block; max-width: 100%; max-height: 220px; margin-top: 4px; border-radius: 6px; }
  .buttons button, .buttons select { margin: 4px 4px 0 0; }
  form { display: flex; gap: 6px; padding: 8px 12px; border-top: 1px solid #e5e7eb; }
  form input { flex: 1; min-width: 0; padding: 6px; }
  .hint { color: #6b7280; font-size: 12px; padding: 0 12px 8px; }
  .error { color: #b91c1c; }
</style>
</head>
<body>
<header><strong>AIport playground</strong> <small id="target"></small></header>
<main>
  <section data-testid="telegram">
    <h2>Telegram</h2>
    <div class="log" id="telegram-log"></div>
    <form id="telegram-form"><input name="text" placeholder="Message the bot, e.g. /start or Halo!" autocomplete="off"><button>Send</button></form>
    <div class="hint">Try /start, /balance, /topup 50000, /image a red fox, /video waves.</div>
  </section>
  <section data-testid="slack">
    <h2>Slack (direct message)</h2>
    <div class="log" id="slack-log"></div>
    <form id="slack-form"><input name="text" placeholder="Message the app" autocomplete="off"><button>Send</button></form>
  </section>
  <section data-testid="discord">
    <h2>Discord (slash commands)</h2>
    <div class="log" id="discord-log"></div>
    <form id="discord-form"><input name="text" placeholder="/chat Halo! or /balance" autocomplete="off"><button>Send</button></form>
    <div class="hint">Commands: /chat, /image, /video, /balance, /topup, /redeem, /model, /link, /help.</div>
  </section>
  <section data-testid="bank">
    <h2>Bank (transfer to AIport)</h2>
    <div class="log" id="bank-log"></div>
    <form id="bank-form"><input name="amount" placeholder="Exact amount, e.g. 50123" autocomplete="off"><input name="note" placeholder="Note / code" autocomplete="off"><button>Transfer</button></form>
    <div class="hint">The fake bank signs the mutation and delivers it to AIport's /webhooks/moota.</div>
  </section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) if (child) node.append(child);
  return node;
};
async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || answer.error) showError(answer.error || ('HTTP ' + response.status));
  refresh();
  return answer;
}
function showError(text) { $('target').textContent = 'Error: ' + text; $('target').className = 'error'; }
function mediaOf(kind, url) {
  if (!url) return null;
  if (kind === 'video' || /video/.test(kind)) return el('video', { src: url, controls: true, muted: true });
  if (kind === 'document') return el('a', { href: url, textContent: 'download file', target: '_blank' });
  return el('img', { src: url, alt: 'image from the bot' });
}
function bubble(who, text, extra = []) {
  return el('div', { className: 'msg ' + who, textContent: text }, extra);
}
function keepScrolled(log, build) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...build());
  if (atBottom) log.scrollTop = log.scrollHeight;
}
function renderTelegram(state) {
  keepScrolled($('telegram-log'), () => {
    const items = [];
    const sent = [...state.sent];
    state.messages.forEach((m, index) => {
      while (sent.length && sent[0].after <= index) items.push(bubble('me', sent.shift().text));
      const buttons = el('div', { className: 'buttons' }, m.buttons.map((b) => b.url
        ? el('a', { href: b.url, textContent: b.text, target: '_blank' })
        : el('button', { textContent: b.text, onclick: () => post('/api/telegram/press', { messageId: m.id, data: b.data }) })));
      items.push(bubble('bot', m.text, [mediaOf(m.kind, m.media), m.buttons.length ? buttons : null]));
    });
    for (const s of sent) items.push(bubble('me', s.text));
    return items;
  });
}
function renderSlack(threads) {
  keepScrolled($('slack-log'), () => threads.flatMap((t) => [
    bubble('me', t.text),
    ...t.replies.map((r) => bubble('bot', r.text, [
      ...r.files.map((f) => mediaOf(/\\.mp4$/.test(f.name) ? 'video' : 'photo', f.url)),
      r.buttons.length ? el('div', { className: 'buttons' }, r.buttons.map((b) =>
        el('button', { textContent: b.text, onclick: () => post('/api/slack/press', { ts: r.ts, actionId: b.actionId, value: b.value }) }))) : null,
    ])),
  ]));
}
function renderDiscord(exchanges) {
  keepScrolled($('discord-log'), () => exchanges.flatMap((x) => {
    const controls = x.answer.buttons.map((b) => b.options
      ? el('select', { onchange: (e) => post('/api/discord/press', { customId: b.customId, values: [e.target.value], label: e.target.selectedOptions[0].textContent }) },
          [el('option', { textContent: 'choose...', value: '' }), ...b.options.map((o) => el('option', { value: o.value, textContent: o.label }))])
      : el('button', { textContent: b.label, onclick: () => post('/api/discord/press', { customId: b.customId, label: b.label }) }));
    const shown = x.messages.length ? x.messages : (x.answer.text ? [{ text: x.answer.text, files: [] }] : []);
    return [
      bubble('me', x.command),
      ...shown.map((m, i) => bubble('bot', m.text || (x.status === 200 ? '…' : 'HTTP ' + x.status), [
        ...m.files.map((f) => mediaOf(f.contentType || 'photo', f.url)),
        i === 0 && controls.length ? el('div', { className: 'buttons' }, controls) : null,
      ])),
    ];
  }));
}
function renderBank(bank) {
  keepScrolled($('bank-log'), () => [
    el('div', { className: 'hint', textContent: 'Transfers go to ' + bank.accounts }),
    ...bank.transfers.map((t) => bubble('me', 'Rp ' + t.amount + (t.note ? ' — ' + t.note : '') + '\\nAIport answered HTTP ' + t.status + ' ' + t.answer)),
  ]);
}
async function refresh() {
  try {
    const state = await (await fetch('/api/state')).json();
    if ($('target').className !== 'error') $('target').textContent = 'talking to AIport at ' + state.aiport;
    renderTelegram(state.telegram);
    renderSlack(state.slack);
    renderDiscord(state.discord);
    renderBank(state.bank);
  } catch (error) { showError(String(error)); }
}
function bind(form, path, fields) {
  $(form).addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {};
    for (const name of fields) { body[name] = event.target.elements[name].value; event.target.elements[name].value = ''; }
    $('target').className = '';
    post(path, body);
  });
}
bind('telegram-form', '/api/telegram/message', ['text']);
bind('slack-form', '/api/slack/message', ['text']);
bind('discord-form', '/api/discord/command', ['text']);
bind('bank-form', '/api/bank/transfer', ['amount', 'note']);
refresh();
setInterval(refresh, 800);
</script>
</body>
</html>
`;

/** Hostile content, stored and returned harmless: nothing outside the allow-list survives a send or an edit. */
import test from 'ava';
import type { Api } from '../helpers/api.js';
import { group, send } from '../helpers/rooms.js';

/** Payloads that must lose their active parts; `keeps` is text that must remain. */
export const XSS_CORPUS: { readonly name: string; readonly payload: string; readonly keeps?: string }[] = [
  { name: 'script tag', payload: '<script>alert(1)</script>hello', keeps: 'hello' },
  { name: 'script in mixed case', payload: '<ScRiPt>alert(1)</sCrIpT>' },
  { name: 'image with onerror', payload: '<img src=x onerror=alert(1)>' },
  { name: 'event handler on an allowed tag', payload: '<p onclick="alert(1)">para</p>', keeps: '<p>para</p>' },
  { name: 'javascript: link', payload: '<a href="javascript:alert(1)">click</a>', keeps: 'click' },
  { name: 'javascript: link in mixed case', payload: '<a href="JaVaScRiPt:alert(1)">click</a>' },
  { name: 'javascript: link split by a tab entity', payload: '<a href="jav&#x09;ascript:alert(1)">click</a>' },
  { name: 'javascript: link with leading spaces and entities', payload: '<a href=" &#106;avascript:alert(1)">click</a>' },
  { name: 'data: URL', payload: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>' },
  { name: 'vbscript: URL', payload: '<a href="vbscript:msgbox(1)">x</a>' },
  { name: 'svg with onload', payload: '<svg onload=alert(1)><circle r=1 /></svg>' },
  { name: 'script inside svg', payload: '<svg><script>alert(1)</script></svg>' },
  { name: 'iframe', payload: '<iframe src="https://evil.example"></iframe>' },
  { name: 'style attribute', payload: '<b style="background:url(javascript:alert(1))">b</b>', keeps: '<b>b</b>' },
  { name: 'style tag', payload: '<style>body{display:none}</style>text', keeps: 'text' },
  { name: 'attribute breakout', payload: '"><img src=x onerror=alert(1)>' },
  { name: 'mutation through math and style', payload: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: 'unclosed comment trick', payload: '<!--<img src="--><img src=x onerror=alert(1)//">' },
  { name: 'object and embed', payload: '<object data="x.swf"></object><embed src="x.swf">' },
  { name: 'form with action', payload: '<form action="javascript:alert(1)"><button>go</button></form>' },
  { name: 'meta refresh', payload: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { name: 'encoded script stays text', payload: '&lt;script&gt;alert(1)&lt;/script&gt;', keeps: '&lt;script&gt;' },
];

/** Whether content could run anything in a browser. */
export function looksActive(content: string): string | undefined {
  const checks: [RegExp, string][] = [
    [/<\s*script/i, 'a script tag'],
    [/<\s*(svg|math|iframe|object|embed|form|meta|style|img|link|base)\b/i, 'a disallowed tag'],
    [/\son\w+\s*=/i, 'an event handler'],
    [/(javascript|vbscript|data)\s*:/i, 'an active URL scheme'],
    [/\sstyle\s*=/i, 'a style attribute'],
  ];
  return checks.find(([re]) => re.test(content))?.[1];
}

export function xssSuite(api: Api): void {
  for (const { name, payload, keeps } of XSS_CORPUS) {
    test(`a message with a ${name} is stored and returned harmless`, async t => {
      const [alice] = await api.users('alice');
      const room = await group(api, alice!, []);
      const sent = await send(api, alice!, room, payload);
      t.is(looksActive(sent.content), undefined, sent.content);
      if (keeps) t.true(sent.content.includes(keeps), sent.content);
      const history = await api.call(alice!, 'GET', `/rooms/${room}/messages`);
      t.is(history.body.results[0].content, sent.content, 'what is stored is what was returned');
      const edited = await api.call(alice!, 'PATCH', `/messages/${sent.id}`, { content: payload });
      t.is(looksActive(edited.body.message.content), undefined, 'an edit is sanitised too');
    });
  }

  test('allowed formatting and safe links survive', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const html = '<p><b>bold</b> <i>it</i> <strong>s</strong> <em>e</em> <span class="x" id="y">s</span><br /></p><ul><li>a</li></ul><ol><li>b</li></ol><a href="https://example.com/x" title="t" target="_blank">link</a> <a href="mailto:a@b.c">mail</a>';
    const sent = await send(api, alice!, room, html);
    for (const fragment of ['<b>bold</b>', '<i>it</i>', '<strong>s</strong>', '<em>e</em>', '<span class="x" id="user-content-y">s</span>', '<ul><li>a</li></ul>', '<ol><li>b</li></ol>', 'href="https://example.com/x"', 'title="t"', 'target="_blank"', 'href="mailto:a@b.c"']) {
      t.true(sent.content.includes(fragment), `${fragment} in ${sent.content}`);
    }
  });

  test('a link that opens elsewhere gets rel="noopener noreferrer"; a rel of the sender\'s own is dropped', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const sent = await send(api, alice!, room, '<a href="https://a.example" target="_blank" rel="opener">a</a> <a href="https://b.example" rel="opener">b</a>');
    t.is(sent.content, '<a href="https://a.example" target="_blank" rel="noopener noreferrer">a</a> <a href="https://b.example">b</a>');
  });

  test('ids in content are prefixed, so a message cannot clobber an element of the page', async t => {
    const [alice] = await api.users('alice');
    const room = await group(api, alice!, []);
    const sent = await send(api, alice!, room, '<a id="config" href="https://x.example">x</a><span id="user-content-kept">k</span>');
    t.is(sent.content, '<a id="user-content-config" href="https://x.example">x</a><span id="user-content-kept">k</span>');
    const again = await api.call(alice!, 'PATCH', `/messages/${sent.id}`, { content: sent.content });
    t.is(again.body.message.content, sent.content, 'sanitising twice changes nothing');
  });
}

import { describe, expect, it, vi } from 'vitest';
import hljs from 'highlight.js/lib/common';
import { BIDI_CODE_NOTE, MAX_MARKDOWN_LENGTH, isPathological, renderMarkdown, sanitizeHtml } from './markdown';

const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset', 'ping', 'cite'];
const FORBIDDEN_TAGS = ['script', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'style', 'link', 'meta', 'base', 'template', 'noscript', 'video', 'audio'];

/**
 * Parses html into a detached document and fails if anything executable or
 * navigating survived: forbidden elements, on* handlers, style attributes,
 * or a URL attribute that is not an http(s)/mailto link or raster data image.
 */
function assertInert(html: string) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    expect(FORBIDDEN_TAGS, `forbidden <${tag}> in ${html}`).not.toContain(tag);
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      expect(name.startsWith('on'), `handler ${name} in ${html}`).toBe(false);
      expect(name, `style attribute in ${html}`).not.toBe('style');
      expect(name, `target attribute in ${html}`).not.toBe('target');
      if (URL_ATTRS.includes(name)) {
        const v = attr.value.trim();
        const ok =
          (tag === 'a' && name === 'href' && /^(https?:\/\/|mailto:)/i.test(v)) ||
          (tag === 'img' && name === 'src' && /^data:image\/(png|gif|jpe?g|webp);base64,/i.test(v));
        expect(ok, `unsafe ${name}=${v} on <${tag}> in ${html}`).toBe(true);
      }
    }
  }
  // Belt and braces on the raw markup: no tag carries a handler or an
  // executable scheme (text such as "onerror=" inside a <p> is harmless).
  expect(html).not.toMatch(/<script/i);
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/(href|src)\s*=\s*["']?\s*(javascript|vbscript|data:text)/i);
  }
}

const hostile: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['script in paragraph', 'hello <script src="https://evil.example/x.js"></script> world'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror markdown', '![x](x" onerror="alert(1))'],
  ['javascript link', '[click](javascript:alert(1))'],
  ['mixed-case javascript link', '[click](JaVaScRiPt:alert(1))'],
  ['entity-encoded javascript link', '[click](&#106;avascript:alert(1))'],
  ['tab inside scheme', '<a href="java&#09;script:alert(1)">x</a>'],
  ['newline inside scheme', '<a href="java\nscript:alert(1)">x</a>'],
  ['hex entity scheme', '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>'],
  ['vbscript link', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data html link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['autolink javascript', '<javascript:alert(1)>'],
  ['reference link javascript', '[x][r]\n\n[r]: javascript:alert(1)'],
  ['svg onload', '<svg onload=alert(1)><circle r=10 /></svg>'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['svg animate href', '<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>'],
  ['svg data image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
  ['math xlink', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['form', '<form action="https://evil.example"><input name=a><button>go</button></form>'],
  ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
  ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base tag', '<base href="https://evil.example/">'],
  ['link tag', '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ['style tag', '<style>body{background:url(javascript:alert(1))}</style>'],
  ['style attribute', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['details ontoggle', '<details open ontoggle=alert(1)><summary>x</summary></details>'],
  ['body onload', '<body onload=alert(1)>'],
  ['noscript mXSS', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['template mXSS', '<template><img src=x onerror=alert(1)></template>'],
  ['unclosed attribute trick', '<a href="https://ok.example" onclick="alert(1)">x</a>'],
  ['entity-escaped tags stay text', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['double-encoded', '&amp;lt;img src=x onerror=alert(1)&amp;gt;'],
  ['code fence language breakout', '```"><img src=x onerror=alert(1)>\ncode\n```'],
  ['remote image', '![tracker](https://evil.example/pixel.png)'],
  ['relative link navigates the app', '[settings](#/settings/team)'],
  ['protocol-relative link', '[x](//evil.example)'],
  ['target attribute', '<a href="https://ok.example" target="_top">x</a>'],
  ['video poster', '<video poster=javascript:alert(1)></video>'],
  ['srcset', '<img srcset="javascript:alert(1) 1x">'],
  // DOMPurify's URI pattern lets a data:image/png through on any tag; only the
  // link check keeps it (and a scheme without //) off a link that would open.
  ['data image link', '[x](data:image/png;base64,iVBORw0KGgo=)'],
  ['raw data image link', '<a href="data:image/png;base64,iVBORw0KGgo=">x</a>'],
  ['scheme without slashes', '[x](https:evil.example)'],
  // A handler whose value reads as a URL passes DOMPurify's URI check, and
  // "https:" is a label in JavaScript: only the attribute allow-list stops it.
  ['handler valued as a URL', '<img src="data:image/png;base64,iVBORw0KGgo=" onerror="https:alert(1)"><a href="https://ok.example" onclick="https:alert(1)">x</a>'],
  ['audio/video', '<video src="https://evil.example/v.mp4" autoplay></video><audio src=x onerror=alert(1)></audio>'],
];

describe('renderMarkdown sanitises hostile input', () => {
  it.each(hostile)('%s', (_name, input) => {
    const out = renderMarkdown(input);
    assertInert(out);
  });

  // renderMarkdown shows raw HTML as text, so the table above mostly tests
  // that escaping; DOMPurify's allow-list, the second line, is tested here on
  // the same inputs as markup.
  it.each(hostile)('sanitizeHtml alone: %s', (_name, input) => {
    assertInert(sanitizeHtml(input));
  });

  it('a link the check refuses keeps its text, without href or the external mark', () => {
    for (const md of ['[x](data:image/png;base64,iVBORw0KGgo=)', '[x](https:evil.example)', '[x](javascript:alert(1))']) {
      const div = document.createElement('div');
      div.innerHTML = renderMarkdown(md);
      const a = div.querySelector('a');
      expect(a?.textContent, md).toBe('x');
      expect(a?.hasAttribute('href'), md).toBe(false);
      expect(a?.hasAttribute('data-external'), md).toBe(false);
    }
  });

  it('a model cannot set data-* or aria-* attributes (data-external is ours)', () => {
    expect(sanitizeHtml('<span data-external="true" aria-hidden="true">x</span>')).toBe('<span>x</span>');
  });

  it('keeps escaped markup as visible text', () => {
    const out = renderMarkdown('&lt;script&gt;alert(1)&lt;/script&gt;');
    const div = document.createElement('div');
    div.innerHTML = out;
    expect(div.textContent).toContain('<script>alert(1)</script>');
    expect(div.querySelector('script')).toBeNull();
  });

  it('drops the javascript: href but keeps the link text', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[click me](javascript:alert(1))');
    expect(div.textContent).toContain('click me');
    expect(div.querySelector('a[href]')).toBeNull();
  });

  it('drops remote images but keeps raster data images', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('![a](https://evil.example/p.png) ![b](data:image/png;base64,iVBORw0KGgo=)');
    const imgs = Array.from(div.querySelectorAll('img'));
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual([null, 'data:image/png;base64,iVBORw0KGgo=']);
  });

  it('sanitizeHtml also cleans raw HTML', () => {
    assertInert(sanitizeHtml('<p onclick="x()">a</p><script>1</script>'));
    expect(sanitizeHtml('<p onclick="x()">a</p>')).toBe('<p dir="auto">a</p>');
  });
});

describe('renderMarkdown renders model output', () => {
  it('renders GFM', () => {
    const out = renderMarkdown('# Title\n\n**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two');
    const div = document.createElement('div');
    div.innerHTML = out;
    expect(div.querySelector('h1')?.textContent).toBe('Title');
    expect(div.querySelector('strong')?.textContent).toBe('bold');
    expect(div.querySelector('code')?.textContent).toBe('code');
    expect(div.querySelectorAll('td')).toHaveLength(2);
    expect(div.querySelectorAll('li')).toHaveLength(2);
  });

  it('highlights fenced code', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('```js\nconst a = "x"; // hi\n```');
    const code = div.querySelector('pre > code');
    expect(code?.className).toBe('hljs language-js');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(code?.querySelector('.hljs-string')?.textContent).toBe('"x"');
    expect(code?.textContent).toBe('const a = "x"; // hi\n');
  });

  it('handles unknown languages as plain text, escaped', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('```nosuchlang\n<b>not bold</b>\n```');
    expect(div.querySelector('b')).toBeNull();
    expect(div.querySelector('code')?.textContent).toContain('<b>not bold</b>');
  });

  it('marks http(s) and mailto links external', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[docs](https://example.com/a?b=1) and <mailto:a@b.example>');
    const links = Array.from(div.querySelectorAll('a'));
    expect(links).toHaveLength(2);
    for (const a of links) {
      expect(a.dataset.external).toBe('true');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
    expect(links[0].getAttribute('href')).toBe('https://example.com/a?b=1');
  });

  it('strips foreign classes but keeps highlight classes', () => {
    expect(sanitizeHtml('<span class="skip-link hljs-string btn">x</span>')).toBe('<span class="hljs-string">x</span>');
    expect(sanitizeHtml('<span class="btn">x</span>')).toBe('<span>x</span>');
    // Whole class names only: a name that merely starts like ours is foreign.
    expect(sanitizeHtml('<span class="hljsbtn language-js:hover hljs-x">x</span>')).toBe('<span class="hljs-x">x</span>');
  });
});

describe('renderMarkdown: text direction', () => {
  it('lays out each block by its own text (Arabic, Hebrew right to left); code stays left to right; a model cannot set dir', () => {
    const doc = new DOMParser().parseFromString(
      `<body>${renderMarkdown('# שלום\n\nمرحبا بالعالم\n\n- one\n\n> quoted\n\n```\ncode\n```\n\n<p dir="ltr">forced</p>')}</body>`, 'text/html');
    for (const sel of ['h1', 'p', 'li', 'blockquote']) expect(doc.querySelector(sel)!.getAttribute('dir'), sel).toBe('auto');
    expect(doc.querySelector('pre')!.getAttribute('dir')).toBe('ltr');
    expect([...doc.querySelectorAll('p')].map((p) => p.getAttribute('dir'))).not.toContain('ltr');
  });
});

describe('renderMarkdown: raw HTML is text', () => {
  const text = (md: string) => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(md);
    return div;
  };

  it.each([
    ['title', 'Page titles go in the <title> element of the head.\n\nEverything after this is lost'],
    ['style', 'Put CSS in a <style> block.\n\nEverything after this is lost'],
    ['textarea', 'A <textarea> holds several lines.\n\nEverything after this is lost'],
    ['script', 'Load it with <script src="app.js">.\n\nEverything after this is lost'],
  ])('a <%s> named in prose shows literally, and the rest of the reply stays', (tag, md) => {
    const div = text(md);
    expect(div.textContent).toContain(`<${tag}`);
    expect(div.textContent).toContain('Everything after this is lost');
    expect(div.querySelector(tag)).toBeNull();
  });

  it('a block of raw HTML shows as its text', () => {
    const div = text('<details open><summary>More</summary>\n\nHidden?\n\n</details>\n\n<style>p{}</style>\n\nafter');
    expect(div.querySelector('details')).toBeNull();
    expect(div.textContent).toContain('<details open><summary>More</summary>');
    expect(div.textContent).toContain('<style>p{}</style>');
    expect(div.textContent).toContain('after');
  });
});

describe('renderMarkdown: pathological sources are shown as plain text', () => {
  const render = (md: string) => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(md);
    return div;
  };

  it('5,000 nested block quotes: no stack overflow, the text as written', () => {
    const md = '> '.repeat(5000) + 'deep\nnext line';
    const started = performance.now();
    const div = render(md);
    expect(performance.now() - started).toBeLessThan(2000);
    const pre = div.querySelector('pre.markdown-plain')!;
    expect(pre).toBeTruthy();
    expect(pre.textContent).toBe(md); // line breaks kept
    expect(div.querySelector('blockquote')).toBeNull();
  });

  it('2,000 nested list levels: fast, the text as written', () => {
    const md = Array.from({ length: 2000 }, (_, i) => '  '.repeat(i) + '- item ' + i).join('\n');
    const started = performance.now();
    const div = render(md);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(div.querySelector('pre.markdown-plain')?.textContent).toBe(md);
    expect(div.querySelector('li')).toBeNull();
  });

  it('markers on one line ("- - - …", "1. 1. …") count as nesting', () => {
    expect(isPathological('- '.repeat(150) + 'x')).toBe(true);
    expect(isPathological('1. '.repeat(150) + 'x')).toBe(true);
    expect(isPathological('> '.repeat(101) + 'x')).toBe(true);
  });

  it('the limit is exact: 100 levels are Markdown, 101 are not (two columns of indentation a level)', () => {
    for (const [md, want] of [
      ['>'.repeat(100) + ' x', false],
      ['>'.repeat(101) + ' x', true],
      // A space after a marker counts as indentation too: "> " is 1.5 levels.
      ['> '.repeat(67) + 'x', false],
      ['> '.repeat(68) + 'x', true],
      [' '.repeat(198) + '- x', false], // 99 levels of indentation and a marker
      [' '.repeat(200) + '- x', true],
      ['\t'.repeat(49) + '  - x', false], // a tab is four columns
      ['\t'.repeat(50) + '- x', true],
    ] as [string, boolean][]) {
      expect(isPathological(md), JSON.stringify(md.slice(-8)) + ' of ' + md.length).toBe(want);
    }
  });

  it('ordinary nesting is still Markdown', () => {
    const md = '> '.repeat(20) + 'quoted\n\n' + Array.from({ length: 30 }, (_, i) => '  '.repeat(i) + '- item').join('\n');
    expect(isPathological(md)).toBe(false);
    const div = render(md);
    expect(div.querySelectorAll('blockquote')).toHaveLength(20);
    expect(div.querySelectorAll('li').length).toBeGreaterThan(1);
    expect(div.querySelector('pre')).toBeNull();
  });

  it('a source over the length limit is plain text, escaped', () => {
    const md = '<b>x</b> **y**\n'.repeat(Math.ceil((MAX_MARKDOWN_LENGTH + 1) / 15));
    const div = render(md);
    expect(div.querySelector('b, strong')).toBeNull();
    expect(div.querySelector('pre.markdown-plain')?.textContent).toBe(md);
  });

  it('a source marked throws on is shown as plain text, not an error', () => {
    vi.spyOn(hljs, 'highlight').mockImplementation(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const md = 'Before\n\n```js\nconst a = 1;\n```\n\n<b>after</b>';
    let out = '';
    expect(() => (out = renderMarkdown(md))).not.toThrow();
    const div = render(md);
    expect(div.querySelector('pre.markdown-plain')?.textContent).toBe(md);
    expect(div.querySelector('b')).toBeNull();
    expect(out).not.toMatch(/Maximum call stack/);
  });
});

describe('renderMarkdown: link tooltips', () => {
  it('always show the destination a click opens, not a title the model wrote', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[bank](https://evil.example/login "https://bank.example") and [docs](https://docs.example/a)');
    const links = Array.from(div.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('title'))).toEqual(['https://evil.example/login', 'https://docs.example/a']);
  });
});

describe('renderMarkdown: link text direction', () => {
  // A right-to-left override (or embedding, isolate) in a link's text could
  // show one address while the link opens another.
  it.each([
    ['override', '\u202e'],
    ['embedding', '\u202b'],
    ['left-to-right override', '\u202d'],
    ['isolate', '\u2067'],
    ['pop isolate', '\u2069'],
  ])('a link text loses its bidi %s control; the text outside links keeps it', (_name, ctl) => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(`[https://bank.example/${ctl}moc.live](https://evil.example/login) and ${ctl}text`);
    const a = div.querySelector('a')!;
    expect(a.textContent).toBe('https://bank.example/moc.live');
    expect(a.getAttribute('title')).toBe('https://evil.example/login');
    expect(div.textContent).toContain(`${ctl}text`);
  });

  it('a link is its own bidi isolate: a control before it outside the link cannot turn its text around', () => {
    // '\u202E[elpmaxe.knab//:sptth](https://evil.example)' showed
    // 'https://bank.example' in the window: the override outside the link
    // reached into its text, which has no control of its own to strip.
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('\u202e[elpmaxe.knab//:sptth](https://evil.example/login)\u202c log in');
    const a = div.querySelector('a')!;
    expect(a.getAttribute('dir')).toBe('auto'); // HTML: an element with dir is unicode-bidi: isolate
    expect(a.textContent).toBe('elpmaxe.knab//:sptth');
  });

  it("an image's alt text in a link, shown in the image's place, loses its bidi controls too", () => {
    // A remote image loses its src, and the window then shows its alt text
    // as the link's text: '…/\u202Emoc.live' read '…/evil.com' (chromium).
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[![https://bank.example/\u202emoc.live](https://x.example/a.png)](https://evil.example/login) and ![\u202eb](https://x.example/b.png)');
    const [inLink, outside] = Array.from(div.querySelectorAll('img'));
    expect(inLink.getAttribute('alt')).toBe('https://bank.example/moc.live');
    expect(outside.getAttribute('alt')).toBe('\u202eb'); // not in a link: as written
  });

  it('right-to-left letters in a link text stay as written', () => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown('[שלום עולם](https://example.com/he)');
    expect(div.querySelector('a')!.textContent).toBe('שלום עולם');
  });
});

describe('renderMarkdown: bidi controls in code ("Trojan Source")', () => {
  // A right-to-left override in code can make it read differently from how
  // it runs (a comment that seems to end before code that is in fact in it).
  it.each([
    ['U+202A', '\u202a', 'LRE'],
    ['U+202B', '\u202b', 'RLE'],
    ['U+202C', '\u202c', 'PDF'],
    ['U+202D', '\u202d', 'LRO'],
    ['U+202E', '\u202e', 'RLO'],
    ['U+2066', '\u2066', 'LRI'],
    ['U+2067', '\u2067', 'RLI'],
    ['U+2068', '\u2068', 'FSI'],
    ['U+2069', '\u2069', 'PDI'],
  ])('a code block shows %s as a visible marker, under a note', (cp, ctl, short) => {
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(`\`\`\`js\nif (isAdmin) { ${ctl}/* end */ return; }\n\`\`\`\n`);
    const code = div.querySelector('pre code')!;
    expect(code.textContent).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    const mark = code.querySelector('.bidi-control')!;
    expect(mark.textContent).toBe(`⟪${short}⟫`);
    expect(mark.getAttribute('title')).toContain(cp);
    expect(code.textContent).toContain(`{ ⟪${short}⟫/* end */`);
    const note = div.querySelector('pre')!.previousElementSibling!;
    expect(note.className).toBe('bidi-note');
    expect(note.textContent).toBe(BIDI_CODE_NOTE);
    expect(note.textContent).toContain('This code contains hidden bidirectional characters');
  });

  it('marks each control of a highlighted block, inline code too, and leaves prose and clean code alone', () => {
    const src = 'Say \u202eolleh and `a\u2066b`.\n\n```python\ns = "\u202e" # \u2066x\u2069\n```\n\n```\nclean()\n```\n';
    const div = document.createElement('div');
    div.innerHTML = renderMarkdown(src);
    const [block, clean] = Array.from(div.querySelectorAll('pre'));
    expect(Array.from(block.querySelectorAll('.bidi-control')).map((m) => m.textContent)).toEqual(['⟪RLO⟫', '⟪LRI⟫', '⟪PDI⟫']);
    expect(div.querySelectorAll('.bidi-note')).toHaveLength(1); // the clean block has none, nor inline code
    expect(clean.previousElementSibling?.className ?? '').not.toBe('bidi-note');
    expect(div.querySelector('p code')!.textContent).toBe('a⟪LRI⟫b');
    expect(div.querySelector('p')!.textContent).toContain('\u202eolleh'); // prose keeps its controls (right-to-left text)
  });

  it('renders a reply without bidi controls exactly as before', () => {
    const src = '```js\nconst a = 1;\n```\n';
    expect(renderMarkdown(src)).not.toContain('bidi');
  });
});

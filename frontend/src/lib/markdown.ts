/**
 * Markdown rendering for model output: marked (GFM) + highlight.js for code,
 * then DOMPurify with a strict allow-list. Model output is untrusted: nothing
 * executable survives (scripts, event handlers, javascript:/data: links,
 * iframes, forms, SVG/MathML, styles), remote images are dropped (CSP would
 * block them anyway and they leak that a message was read), raw HTML is
 * shown as text (escaped), a link's text loses its bidi controls and the link
 * is its own bidi isolate (they could show one address and open another) and
 * its tooltip is where it goes, code shows its bidi controls as visible
 * markers (⟪RLO⟫) under a note, so they cannot reorder how it reads
 * ("Trojan Source"), and
 * every link is marked external; Markdown.svelte
 * opens it in the user's browser so the app window never navigates.
 */
import { Marked } from 'marked';
import { markedHighlight } from 'marked-highlight';
import hljs from 'highlight.js/lib/common';
import DOMPurify, { type Config } from 'dompurify';

const marked = new Marked(
  markedHighlight({
    emptyLangClass: 'hljs',
    langPrefix: 'hljs language-',
    highlight(code, lang) {
      const language = hljs.getLanguage(lang) ? lang : 'plaintext';
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    },
  }),
  { gfm: true, breaks: false, async: false },
  {
    // Raw HTML in model output is shown as text, never passed on as markup:
    // a tag named in prose ("the <title> element") would otherwise reach
    // DOMPurify, which drops forbidden elements with their content, and
    // the rest of the reply would vanish. DOMPurify stays the second line.
    renderer: {
      html({ text, block }) {
        return block ? `<p>${escapeHtml(text.replace(/\n+$/, ''))}</p>\n` : escapeHtml(text);
      },
    },
  },
);

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** URL schemes allowed on links. Everything else (javascript:, data:, vbscript:, relative, #hash) is removed. */
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
/** Images only as inline raster data (no remote fetches, no SVG). */
const SAFE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'del', 'details', 'div', 'em', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'i', 'img', 'kbd', 'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'summary',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
];
const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'class', 'align', 'start', 'colspan', 'rowspan', 'open'];

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/(?:png|gif|jpe?g|webp);)/i,
  FORBID_TAGS: ['style', 'script', 'iframe', 'form', 'input', 'button', 'textarea', 'select', 'object', 'embed', 'svg', 'math', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'xlink:href', 'target', 'ping'],
  KEEP_CONTENT: true,
  WHOLE_DOCUMENT: false,
  RETURN_TRUSTED_TYPE: false,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
};

/** Block elements laid out by the direction of their own text. */
const AUTO_DIR = new Set(['P', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'TD', 'TH', 'SUMMARY']);

/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069): in a link's text they can show one address while the link
 * goes to another ("https://bank.example/\u202Emoc.live" reads
 * ".../evil.com"). Letters keep their own direction without them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Whether a text has any of BIDI_CONTROLS (not global: test keeps no state). */
const HAS_BIDI = /[\u202A-\u202E\u2066-\u2069]/;

/** Removes bidi controls from the text of el (a link the window opens). */
function stripBidiControls(el: Element) {
  const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue ?? '';
    if (HAS_BIDI.test(text)) n.nodeValue = text.replace(BIDI_CONTROLS, '');
  }
}

/** The bidi controls' short names and Unicode names, for the markers shown in code. */
const BIDI_NAMES: Record<string, [string, string]> = {
  '\u202A': ['LRE', 'LEFT-TO-RIGHT EMBEDDING'],
  '\u202B': ['RLE', 'RIGHT-TO-LEFT EMBEDDING'],
  '\u202C': ['PDF', 'POP DIRECTIONAL FORMATTING'],
  '\u202D': ['LRO', 'LEFT-TO-RIGHT OVERRIDE'],
  '\u202E': ['RLO', 'RIGHT-TO-LEFT OVERRIDE'],
  '\u2066': ['LRI', 'LEFT-TO-RIGHT ISOLATE'],
  '\u2067': ['RLI', 'RIGHT-TO-LEFT ISOLATE'],
  '\u2068': ['FSI', 'FIRST STRONG ISOLATE'],
  '\u2069': ['PDI', 'POP DIRECTIONAL ISOLATE'],
};

/** What the note above a code block with bidi controls says. */
export const BIDI_CODE_NOTE =
  'This code contains hidden bidirectional characters, which can make it read differently from how it runs; they are shown as ⟪RLO⟫ and the like. Copy copies the reply exactly as written.';

/**
 * Shows the bidi controls in code (blocks and inline) as visible markers
 * (⟪RLO⟫, its code point and name as the tooltip), so that they cannot
 * reorder how code reads ("Trojan Source": a comment that seems to end
 * before code that in fact runs inside it), and puts a note above each code
 * block that had any. Only our own elements are added, after sanitising.
 */
function markBidiInCode(root: ParentNode) {
  const doc = (root as Node).ownerDocument ?? document;
  for (const code of Array.from(root.querySelectorAll('code'))) {
    let found = false;
    const walker = doc.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
    for (const t of texts) {
      const text = t.nodeValue ?? '';
      if (!HAS_BIDI.test(text)) continue;
      found = true;
      const parts = doc.createDocumentFragment();
      let last = 0;
      for (const m of text.matchAll(BIDI_CONTROLS)) {
        if (m.index > last) parts.append(text.slice(last, m.index));
        const [short, name] = BIDI_NAMES[m[0]];
        const mark = doc.createElement('span');
        mark.className = 'bidi-control';
        mark.title = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()} ${name} (a hidden bidirectional character)`;
        mark.textContent = `⟪${short}⟫`;
        parts.append(mark);
        last = m.index + m[0].length;
      }
      if (last < text.length) parts.append(text.slice(last));
      t.replaceWith(parts);
    }
    const pre = code.parentElement?.tagName === 'PRE' ? code.parentElement : null;
    if (found && pre) {
      const note = doc.createElement('p');
      note.className = 'bidi-note';
      note.setAttribute('role', 'note');
      note.textContent = BIDI_CODE_NOTE;
      pre.before(note);
    }
  }
}

type Purifier = ReturnType<typeof DOMPurify>;
let purifier: Purifier | null = null;

/** A private DOMPurify instance (hooks do not leak to other users of DOMPurify). */
function getPurifier(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      const href = el.getAttribute('href') ?? '';
      if (SAFE_LINK.test(href.trim())) {
        el.setAttribute('data-external', 'true');
        el.setAttribute('rel', 'noopener noreferrer nofollow');
        // The tooltip is where a click goes, whatever title the model wrote.
        el.setAttribute('title', href);
        stripBidiControls(el);
        // Its own bidi isolate (an element with dir is unicode-bidi:
        // isolate): an override before the link, outside it, cannot reach
        // into its text ('\u202E[elpmaxe.knab//:sptth](https://evil.example)'
        // read 'https://bank.example'), nor a control in it reach out.
        el.setAttribute('dir', 'auto');
      } else {
        el.removeAttribute('href');
      }
    } else if (el.tagName === 'IMG') {
      const src = el.getAttribute('src') ?? '';
      if (!SAFE_IMAGE.test(src.trim())) el.removeAttribute('src');
      // In a link, an image without its src shows its alt text as the
      // link's text: it loses its bidi controls as that text does.
      const alt = el.getAttribute('alt');
      if (alt && el.closest('a') && BIDI_CONTROLS.test(alt)) el.setAttribute('alt', alt.replace(BIDI_CONTROLS, ''));
      BIDI_CONTROLS.lastIndex = 0;
    } else if (el.hasAttribute('href') || el.hasAttribute('src')) {
      el.removeAttribute('href');
      el.removeAttribute('src');
    }
    // Each block takes the direction of its own text (Arabic, Hebrew: right
    // to left); code stays left to right. (dir is not in ALLOWED_ATTR, so a
    // model's own dir is gone by now.)
    if (AUTO_DIR.has(el.tagName)) el.setAttribute('dir', 'auto');
    else if (el.tagName === 'PRE') el.setAttribute('dir', 'ltr');
    if (el.hasAttribute('class')) {
      // Only our own highlighting classes; model output cannot borrow app styles.
      const keep = (el.getAttribute('class') ?? '')
        .split(/\s+/)
        .filter((c) => /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+)$/.test(c));
      if (keep.length) el.setAttribute('class', keep.join(' '));
      else el.removeAttribute('class');
    }
  });
  purifier = p;
  return p;
}

/** Sanitises an HTML fragment with the Markdown allow-list. */
export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html, CONFIG) as string;
}

/** Longer sources are shown as plain text (marked's time grows faster than their length). */
export const MAX_MARKDOWN_LENGTH = 300_000;
/** Deeper nesting (block quotes, lists) on any line is shown as plain text. */
export const MAX_MARKDOWN_DEPTH = 100;

/**
 * Whether marked should not be given source: too long, or nested deeper than
 * MAX_MARKDOWN_DEPTH on some line (counting `>` and list markers at its start,
 * and every two columns of indentation). Deep nesting makes marked recurse
 * until the stack overflows ("> " x 5,000) or take seconds (1,000 list levels).
 */
export function isPathological(source: string): boolean {
  if (source.length > MAX_MARKDOWN_LENGTH) return true;
  const marker = /^(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/;
  for (let start = 0; start < source.length; ) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    let depth = 0;
    let cols = 0;
    let i = start;
    while (i < end) {
      const c = source.charCodeAt(i);
      if (c === 32) {
        cols++;
        i++;
      } else if (c === 9) {
        cols += 4;
        i++;
      } else {
        const m = marker.exec(source.slice(i, Math.min(end, i + 11)));
        if (!m) break;
        depth++;
        i += m[0].length;
      }
      if (depth + (cols >> 1) > MAX_MARKDOWN_DEPTH) return true;
    }
    start = end + 1;
  }
  return false;
}

/** source as escaped plain text, line breaks kept (for what marked cannot render). */
function plainText(source: string): string {
  return `<pre class="markdown-plain" dir="auto">${escapeHtml(source)}</pre>`;
}

/**
 * Renders untrusted Markdown to sanitised HTML safe for {@html}. A source
 * marked cannot render in reasonable time (isPathological) or at all (it
 * throws) is shown as plain text, so a conversation can always be opened.
 */
export function renderMarkdown(source: string): string {
  const text = source ?? '';
  if (isPathological(text)) return plainText(text);
  try {
    const html = sanitizeHtml(marked.parse(text, { async: false }) as string);
    if (!HAS_BIDI.test(text)) return html;
    const box = document.createElement('template');
    box.innerHTML = html;
    markBidiInCode(box.content);
    return box.innerHTML;
  } catch {
    return plainText(text);
  }
}

// How the explorer turns chain data into text. Every value reaches the page through
// textContent (never as HTML); on top of that, control characters and invisible format
// characters (C0, DEL, C1, bidirectional overrides, zero-width) are shown as \u{...} escapes,
// so a transaction cannot reorder or hide what is displayed around it, and long values are
// cut to a bound.
const kMaxShownChars = 2048;

export function visibleText(value) {
  const text = String(value);
  const cut = text.length > kMaxShownChars ? text.slice(0, kMaxShownChars) : text;
  const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
  return text.length > kMaxShownChars ? `${escaped}... (${text.length} characters)` : escaped;
}

// "0a1b2c3d...9f8e" for a long hex or base64 text (the whole value stays in the title).
export function abbreviated(text, keep = 10) {
  const t = String(text);
  return t.length <= 2 * keep + 3 ? t : `${t.slice(0, keep)}...${t.slice(-keep)}`;
}

// The decoded size of a base64 text, without decoding it.
export function base64Bytes(text) {
  const t = String(text);
  if (t.length === 0) return 0;
  const padding = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  return (t.length / 4) * 3 - padding;
}

export function byteCount(n) {
  return `${Number(n).toLocaleString('en-US')} bytes`;
}

// Unix milliseconds (a decimal string or a number) as "2026-11-30 11:52:03.120 UTC".
export function utcTime(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n)) return visibleText(ms);
  return new Date(n).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export const isHex64 = (text) => /^[0-9a-f]{64}$/.test(text);
export const isHeight = (text) => /^[1-9][0-9]{0,15}$/.test(text);

// An element with the given text (through textContent) and optional class and title.
export function element(tag, text = '', { cls = '', title = '' } = {}) {
  const e = document.createElement(tag);
  if (text !== '') e.textContent = visibleText(text);
  if (cls) e.className = cls;
  if (title) e.title = visibleText(title);
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// Appends <dt>label</dt><dd>value</dd> to a <dl>; value is a text or an element.
export function fact(dl, label, value, cls = '') {
  dl.appendChild(element('dt', label));
  const dd = value instanceof Node ? document.createElement('dd') : element('dd', value, { cls });
  if (value instanceof Node) dd.appendChild(value);
  dl.appendChild(dd);
}

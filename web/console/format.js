// What every console module shows data with (docs/web.md, "The access console"): control and
// invisible format characters as \u{...} escapes, texts cut to 2,048 characters, UTC times,
// and table cells filled through textContent only (nothing is ever parsed as HTML).
const kMaxShownChars = 2048;

export const $ = (id) => document.getElementById(id);

export function visible(value) {
  const text = String(value).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
  return text.length > kMaxShownChars ? `${text.slice(0, kMaxShownChars)}...` : text;
}

export function cell(text, cls = '') {
  const td = document.createElement('td');
  td.textContent = visible(text);
  if (cls) td.className = cls;
  return td;
}

export const utc = (ms) => new Date(Number(ms)).toISOString().replace('T', ' ').replace('Z', '');

export function clear(element) {
  while (element.firstChild) element.removeChild(element.firstChild);
}

let sessionToken = '';
export function setSessionToken(token) { sessionToken = token; }

// A request to the console (same origin). A body is JSON; every call but the session carries
// the session token in X-Console-Token. Throws an Error with .field (the input at fault).
export async function call(method, path, body = null) {
  const headers = { Accept: 'application/json' };
  if (body !== null) headers['Content-Type'] = 'application/json';
  if (path !== '/console-api/session') headers['X-Console-Token'] = sessionToken;
  const response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const e = new Error(json && json.error ? json.error.message : `status ${response.status}`);
    e.field = json && json.error ? json.error.field || '' : '';
    throw e;
  }
  return json;
}

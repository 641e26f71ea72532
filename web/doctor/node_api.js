// What the page says to its node (docs/api.md), same origin only. The doctor's token is held
// by the caller (in memory) and sent only in the Authorization header of the requests that
// need it; never in a URL, a cookie or web storage. Each failure throws NodeError with the
// node's one-line message.
export class NodeError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const kMaxAnswerBytes = 4 * 1024 * 1024;
// GET /v1/consortium/changes may list up to 1,024 changes, each with two blocks' ids: its own
// bound, the node's (chain::kMaxChangeProofsJsonBytes; change_proofs.js).
const kMaxChangesAnswerBytes = 48 * 1024 * 1024;

// The answer's text, read no further than `maxBytes` (a longer answer is refused, not read).
export async function boundedText(response, maxBytes) {
  const bound = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / (1024 * 1024)} MiB` : `${maxBytes} bytes`;
  const tooLong = () => new NodeError(response.status, `the node answered more than ${bound}`);
  if (Number(response.headers.get('Content-Length') || 0) > maxBytes) throw tooLong();
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLong();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all);
}

async function call(method, path, { token = null, body = null, maxBytes = kMaxAnswerBytes } = {}) {
  const headers = { Accept: 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== null) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new NodeError(0, `the node does not answer (${e.message})`);
  }
  const text = await boundedText(response, maxBytes);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NodeError(response.status, `the node answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const message = json && json.error && typeof json.error.message === 'string' ? json.error.message : `status ${response.status}`;
    throw new NodeError(response.status, message);
  }
  return json;
}

export const whoami = (token) => call('GET', '/v1/whoami', { token });
export const status = () => call('GET', '/v1/status');
export const envelopeKey = () => call('GET', '/v1/envelope-key');
export const accessKey = () => call('GET', '/v1/access-key');
export const consortiumChanges = () => call('GET', '/v1/consortium/changes', { maxBytes: kMaxChangesAnswerBytes });
export const txStatus = (txId) => call('GET', `/v1/tx/${encodeURIComponent(txId)}`);
export const submitRecord = (token, record) => call('POST', '/v1/records', { token, body: JSON.stringify(record) });

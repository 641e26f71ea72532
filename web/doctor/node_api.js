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

async function call(method, path, { token = null, body = null } = {}) {
  const headers = { Accept: 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== null) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new NodeError(0, `the node does not answer (${e.message})`);
  }
  const text = await response.text();
  if (text.length > kMaxAnswerBytes) throw new NodeError(response.status, 'the node answered more than 4 MiB');
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
export const txStatus = (txId) => call('GET', `/v1/tx/${encodeURIComponent(txId)}`);
export const submitRecord = (token, record) => call('POST', '/v1/records', { token, body: JSON.stringify(record) });

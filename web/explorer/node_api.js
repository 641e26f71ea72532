// What the explorer asks its node (docs/api.md): only the public routes, same origin, without
// any credential: GET /v1/status, /v1/blocks/{height}, /v1/tx/{id} and /metrics (the public
// families). Each failure throws NodeError with the node's one-line message.
export class NodeError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// A block's JSON can be large (a 16 MiB block is about 22 MiB of base64); anything larger is
// refused rather than parsed.
const kMaxAnswerChars = 32 * 1024 * 1024;

async function get(path, accept) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: accept }, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw new NodeError(0, `the node does not answer (${e.message})`);
  }
  const text = await response.text();
  if (text.length > kMaxAnswerChars) throw new NodeError(response.status, 'the node answered more than 32 MiB');
  return { response, text };
}

async function getJson(path) {
  const { response, text } = await get(path, 'application/json');
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

export const status = () => getJson('/v1/status');
export const block = (height) => getJson(`/v1/blocks/${encodeURIComponent(String(height))}`);
export const txStatus = (txId) => getJson(`/v1/tx/${encodeURIComponent(txId)}`);

export async function metricsText() {
  const { response, text } = await get('/metrics', 'text/plain');
  if (!response.ok) throw new NodeError(response.status, `/metrics answered ${response.status}`);
  return text;
}

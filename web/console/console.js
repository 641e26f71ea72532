// The access console's first page (docs/web.md, "The access console"): find a patient by name
// and ID. The page talks only to `hc console` on 127.0.0.1 (same origin): it fetches the
// session token once (kept in memory, sent in X-Console-Token, never in a URL or storage),
// posts the name and ID, and shows the verified items' metadata. Everything shown goes through
// textContent; the explorer's format.js is not shared (hc console serves /console/ only).
const $ = (id) => document.getElementById(id);
let sessionToken = '';

function visible(value) {
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}

function cell(text, cls = '') {
  const td = document.createElement('td');
  td.textContent = visible(text);
  if (cls) td.className = cls;
  return td;
}

const utc = (ms) => new Date(Number(ms)).toISOString().replace('T', ' ').replace('Z', '');

function details(item) {
  if (item.kind === 'record') {
    return `envelope v${item.envelope_version}, ${item.ciphertext_bytes} bytes sealed, key ${item.key_id.slice(0, 12)}..., group epoch ${item.group_epoch}`;
  }
  if (item.kind === 'access_audit' || item.kind === 'access_request') {
    const who = item.accessor ? ` by ${item.accessor}` : '';
    return `${utc(item.time_ms)}${who}: "${item.purpose}"`;
  }
  return '';
}

async function call(method, path, body = null) {
  const headers = { Accept: 'application/json' };
  if (body !== null) {
    headers['Content-Type'] = 'application/json';
    headers['X-Console-Token'] = sessionToken;
  }
  const response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const e = new Error(json && json.error ? json.error.message : `status ${response.status}`);
    e.field = json && json.error ? json.error.field || '' : '';
    throw e;
  }
  return json;
}

function clearErrors() {
  for (const f of ['name', 'id', 'form']) $(`${f}-error`).textContent = '';
  for (const f of ['name', 'id']) $(f).removeAttribute('aria-invalid');
}

function show(result) {
  $('serial').textContent = `serial ${result.serial}: ${result.items.length} item(s)`;
  const tbody = $('records').querySelector('tbody');
  while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
  for (const item of result.items) {
    const tr = document.createElement('tr');
    tr.dataset.kind = item.kind;
    tr.appendChild(cell(String(item.height)));
    tr.appendChild(cell(utc(item.block_time_ms)));
    tr.appendChild(cell(item.kind));
    tr.appendChild(cell(details(item)));
    tr.appendChild(cell(item.tx_id, 'mono'));
    tbody.appendChild(tr);
  }
  $('records-section').hidden = false;
}

async function onFind(event) {
  event.preventDefault();
  clearErrors();
  const body = JSON.stringify({ name: $('name').value, id: $('id').value });
  try {
    show(await call('POST', '/console-api/find', body));
  } catch (e) {
    const field = e.field === 'name' || e.field === 'id' ? e.field : 'form';
    $(`${field}-error`).textContent = visible(e.message);
    if (field !== 'form') $(field).setAttribute('aria-invalid', 'true');
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  $('find').addEventListener('submit', onFind);
  try {
    const session = await call('GET', '/console-api/session');
    sessionToken = session.token;
    $('chain').textContent = `chain ${visible(session.chain_id)}`;
  } catch (e) {
    $('form-error').textContent = visible(e.message);
  }
});

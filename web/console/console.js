// The access console's page (docs/web.md, "The access console"): find a patient by name and
// ID, see what the chain holds under the serial and who accessed it (the audit trail), and
// read the history through an access request (access.js). The page talks only to `hc console`
// on 127.0.0.1 (same origin): it fetches the session token once (kept in memory, sent in
// X-Console-Token, never in a URL or storage). Everything shown goes through textContent.
import { $, call, cell, clear, setSessionToken, utc, visible } from './format.js';
import { setupAccess, wireAccess } from './access.js';
import { startHealth } from './health.js';
import { setupRevoke } from './revoke.js';
import { setupKeyRotation } from './keys.js';

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

function clearErrors() {
  for (const f of ['name', 'id', 'form']) $(`${f}-error`).textContent = '';
  for (const f of ['name', 'id']) $(f).removeAttribute('aria-invalid');
}

// Which trustees answered an access request (their committed answers, verified by the
// console), each by the name the genesis gives it and its number ("st-mary (trustee 1)"), or
// by number alone when the genesis names it not ("trustee 4"). Nothing for an audit entry.
function trusteeLabel(number, name) {
  const numbered = `trustee ${number}`;
  return typeof name !== 'string' || name === numbered ? numbered : `${name} (${numbered})`;
}

function answeredBy(a) {
  if (a.kind !== 'access_request' || !Array.isArray(a.answered_by)) return '';
  if (a.answered_by.length === 0) return 'none yet';
  const names = Array.isArray(a.answered_by_names) ? a.answered_by_names : [];
  return a.answered_by.map((n, i) => trusteeLabel(n, names[i])).join(', ');
}

// Who read this patient's records, when and why: the access audit entries (single-manager
// mode: the manager's retrievals) and access requests (trustees mode) under the serial.
function showAuditTrail(items) {
  const tbody = $('audit').querySelector('tbody');
  clear(tbody);
  const accesses = items.filter((i) => i.kind === 'access_audit' || i.kind === 'access_request');
  for (const a of accesses) {
    const tr = document.createElement('tr');
    tr.dataset.kind = a.kind;
    tr.appendChild(cell(utc(a.time_ms)));
    tr.appendChild(cell(a.kind === 'access_request' ? a.requested_by : (a.accessor || 'the manager')));
    tr.appendChild(cell(a.purpose));
    tr.appendChild(cell(a.kind === 'access_request' ? `access request (${a.asks})` : 'access audit entry'));
    tr.appendChild(cell(String(a.height)));
    tr.appendChild(cell(answeredBy(a)));
    tbody.appendChild(tr);
  }
  $('audit-summary').textContent = accesses.length === 0
    ? 'Nobody has accessed this patient\'s records.'
    : `${accesses.length} access(es) recorded on the chain under this serial.`;
}

function show(result) {
  $('serial').textContent = `serial ${result.serial}: ${result.items.length} item(s)`;
  const tbody = $('records').querySelector('tbody');
  clear(tbody);
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
  showAuditTrail(result.items);
  $('records-section').hidden = false;
  $('audit-section').hidden = false;
  $('access-section').hidden = false;
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
  wireAccess();
  try {
    const session = await call('GET', '/console-api/session');
    setSessionToken(session.token);
    setupAccess(session);
    setupRevoke(session);
    setupKeyRotation(session);
    $('chain').textContent = `chain ${visible(session.chain_id)} (${visible(session.access_mode)} mode)`;
    startHealth();
  } catch (e) {
    $('form-error').textContent = visible(e.message);
  }
});

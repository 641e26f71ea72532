// The console's read of a patient's history (docs/web.md, "The access console"): the reader
// states a purpose, the console (which holds the requester's key: the page never sees one)
// posts an access request for the patient named in the find form, and the page polls the job
// every 500 ms: pending -> committed at height h -> k of the m trustees answered (t needed) ->
// the visits the console decrypted, with the hospital the trustees' opening named and the FHIR
// resource rendered as text. The name, ID and purpose go to the console only.
import { $, call, cell, clear, visible } from './format.js';
import { renderFhir } from './fhir_view.js';

const kPollMs = 500;
let chain = { threshold: 0, trustees: 0 };

export function setupAccess(session) {
  chain = session;
  if (session.requester) {
    $('requester').textContent = `Requests are signed by the ${visible(session.requester)}, whose key stays in hc console.`;
  } else {
    $('access-form').hidden = true;
    $('requester').textContent = 'This console holds no requester key (start hc console with --dir, or --reader-key in '
      + 'trustees mode, to read histories).';
  }
}

function stepText(r) {
  if (chain.access_mode !== 'trustees') {  // single-manager: the access audit entry, then the manager's keys
    const entry = `audit entry ${String(r.request_id).slice(0, 16)}...`;
    if (r.stage === 'pending') return `${entry}: posted, waiting for it to commit`;
    return `${entry}: committed at height ${r.height}; records read with the manager's keys after it`;
  }
  const id = `request ${String(r.request_id).slice(0, 16)}...`;
  if (r.stage === 'pending') return `${id}: posted, waiting for it to commit`;
  const what = `${r.records} record(s), key epoch ${r.key_epoch}${r.asks_to_open ? ', decrypt and open' : ', decrypt'}`;
  const answered = `${r.answers} of ${chain.trustees} trustees answered (${chain.threshold} needed)`;
  const by = Array.isArray(r.answered_by) ? `: trustees ${r.answered_by.join(', ')}` : '';
  return `${id}: committed at height ${r.height} (${what}); ${answered}${by}`;
}

function showSteps(job) {
  const list = $('access-steps');
  clear(list);
  for (const r of job.requests) {
    const li = document.createElement('li');
    li.dataset.stage = r.stage;
    li.textContent = visible(stepText(r));
    list.appendChild(li);
    for (const x of r.rejected || []) {
      const bad = document.createElement('li');
      bad.className = 'error';
      bad.textContent = visible(`trustee ${x.trustee} sent a bad answer: ${x.reason}`);
      list.appendChild(bad);
    }
  }
  $('access-state').textContent = job.state === 'running' ? 'running...' : job.state;
  $('access-state').dataset.state = job.state;
}

function showHistory(history) {
  const tbody = $('history').querySelector('tbody');
  clear(tbody);
  for (const v of history.visits) {
    const tr = document.createElement('tr');
    tr.dataset.kind = 'visit';
    tr.appendChild(cell(v.time));
    tr.appendChild(cell(v.diagnosis));
    tr.appendChild(cell(v.hospital));
    tr.appendChild(cell(String(v.height)));
    const fhir = document.createElement('td');
    if (v.fhir !== undefined && v.fhir !== null) fhir.appendChild(renderFhir(v.fhir));
    tr.appendChild(fhir);
    tbody.appendChild(tr);
  }
  for (const u of history.unreadable) {
    const tr = document.createElement('tr');
    tr.dataset.kind = 'unreadable';
    tr.appendChild(cell('unreadable'));
    tr.appendChild(cell(`transaction ${u.tx_id}: ${u.reason}`));
    tr.appendChild(cell(u.hospital));
    tr.appendChild(cell(String(u.height)));
    tr.appendChild(cell(''));
    tbody.appendChild(tr);
  }
  $('history-summary').textContent =
    `${history.visits.length} visit(s) read, ${history.unreadable.length} record(s) unreadable, ` +
    `${history.verified_items} item(s) verified under the serial`;
  $('history-section').hidden = false;
}

async function watch(jobId) {
  for (;;) {
    const job = await call('GET', `/console-api/access/${jobId}`);
    showSteps(job);
    if (job.state === 'failed') throw new Error(job.error || 'the request failed');
    if (job.state === 'done') return job;
    await new Promise((resolve) => setTimeout(resolve, kPollMs));
  }
}

async function onRequest(event) {
  event.preventDefault();
  $('purpose-error').textContent = '';
  $('access-error').textContent = '';
  $('purpose').removeAttribute('aria-invalid');
  $('history-section').hidden = true;
  const body = JSON.stringify({ name: $('name').value, id: $('id').value, purpose: $('purpose').value });
  $('request-button').disabled = true;
  try {
    const started = await call('POST', '/console-api/access', body);
    $('access-serial').textContent = `serial ${started.serial}`;
    const job = await watch(started.job);
    showHistory(job.history);
  } catch (e) {
    const field = ['purpose', 'name', 'id'].includes(e.field) ? e.field : 'access';
    $(`${field}-error`).textContent = visible(e.message);
    if (field !== 'access') $(field).setAttribute('aria-invalid', 'true');
  } finally {
    $('request-button').disabled = false;
  }
}

export function wireAccess() {
  $('access-form').addEventListener('submit', onRequest);
}

// The doctors' upload page (docs/web.md): wires the sign-in and visit forms to session.js,
// shows each refusal beside the field that caused it, and follows each posted record until it
// commits (GET /v1/tx/{id}). Everything shown is set as text (textContent), never as HTML.
// The session (token, genesis, pseudonym key) and the list of submissions live in this
// module's memory only: nothing is written to cookies or web storage.
import * as api from './node_api.js';
import { nowRfc3339 } from './rules.js';
import { postRecord, sealVisit, signIn, visitErrors } from './session.js';

const kPollIntervalMs = 500;
const kPollAttempts = 240;
const kMaxFileBytes = 1024 * 1024;
const kVisitFields = ['name', 'id', 'time', 'diagnosis', 'fhir', 'form'];
const kSignInFields = ['token', 'genesis', 'pseudonym-key'];

let session = null;
const submissions = [];

const $ = (id) => document.getElementById(id);

function showErrors(fields, errors) {
  for (const field of fields) {
    const message = errors.filter((e) => e.field === field).map((e) => e.message).join('; ');
    $(`${field}-error`).textContent = message;
    const input = $(field);
    if (input && field !== 'form') input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
}

async function readFile(input, limitBytes) {
  const file = input.files && input.files[0];
  if (!file) return null;
  if (file.size > limitBytes) return { tooLarge: true };
  return { bytes: new Uint8Array(await file.arrayBuffer()) };
}

async function onSignIn(event) {
  event.preventDefault();
  const button = $('signin-button');
  button.disabled = true;
  try {
    const errors = [];
    const genesis = await readFile($('genesis'), kMaxFileBytes);
    const key = await readFile($('pseudonym-key'), 256);
    if (!genesis) errors.push({ field: 'genesis', message: 'choose the genesis file' });
    if (!key) errors.push({ field: 'pseudonym-key', message: 'choose the pseudonym key file' });
    if (key && key.tooLarge) errors.push({ field: 'pseudonym-key', message: 'the pseudonym key file must hold 64 hex digits' });
    if (genesis && genesis.tooLarge) errors.push({ field: 'genesis', message: 'the genesis file is larger than 1 MiB' });
    if (errors.length) return showErrors(kSignInFields, errors);
    const decoder = new TextDecoder();
    const keyText = decoder.decode(key.bytes);
    key.bytes.fill(0);
    try {
      session = await signIn($('token').value, decoder.decode(genesis.bytes), keyText);
    } catch (e) {
      return showErrors(kSignInFields, [{ field: e.field || 'token', message: e.message }]);
    }
    showErrors(kSignInFields, []);
    $('token').value = '';
    $('signin-section').hidden = true;
    $('visit-section').hidden = false;
    $('who').hidden = false;
    const mode = session.trustees ? 'trustees mode: visits are sealed to the trustees\' access key' : 'single-manager mode';
    $('who').textContent = `Signed in as ${session.doctor} on chain ${session.genesis.chain_name} (${mode})`;
    $('time').value = nowRfc3339();
  } finally {
    button.disabled = false;
  }
}

function renderSubmissions() {
  $('submissions-section').hidden = submissions.length === 0;
  const body = $('submissions').tBodies[0];
  body.replaceChildren(...submissions.map((s) => {
    const row = document.createElement('tr');
    row.dataset.txId = s.txId;
    const cells = [s.time, s.serial.slice(0, 16) + '…', s.txId.slice(0, 16) + '…', s.status];
    cells.forEach((text, i) => {
      const cell = document.createElement('td');
      cell.textContent = text;
      if (i === 1 || i === 2) cell.className = 'mono';
      if (i === 3) cell.className = s.status.startsWith('committed') ? 'committed' : s.status.startsWith('not') ? 'failed' : '';
      row.append(cell);
    });
    return row;
  }));
}

async function follow(entry) {
  for (let i = 0; i < kPollAttempts; i++) {
    await new Promise((resolve) => setTimeout(resolve, kPollIntervalMs));
    try {
      // By its transaction, then by its record id: after a revocation its node signs it again
      // and another transaction commits it (the node's pool answers only for the first).
      let answer = await api.txStatus(entry.txId);
      if (answer.status !== 'committed' && entry.recordId !== entry.txId) {
        const byRecord = await api.txStatus(entry.recordId);
        if (byRecord.status === 'committed') answer = byRecord;
      }
      if (answer.status === 'committed') {
        entry.txId = answer.tx_id;  // the transaction that carried it
        entry.status = `committed at height ${answer.height}`;
        return renderSubmissions();
      }
      entry.status = answer.status;  // pending, or unknown while the relay diffuses it
    } catch (e) {
      entry.status = `pending (${e.message})`;
    }
    renderSubmissions();
  }
  entry.status = 'not committed after 2 minutes';
  renderSubmissions();
}

async function onSubmitVisit(event) {
  event.preventDefault();
  const button = $('submit-button');
  button.disabled = true;
  $('form-status').textContent = '';
  try {
    const fhir = await readFile($('fhir'), 2 * 128 * 1024);
    const visit = {
      name: $('name').value,
      id: $('id').value,
      time: $('time').value,
      diagnosis: $('diagnosis').value,
      fhirBytes: fhir === null ? null : fhir.tooLarge ? new Uint8Array(128 * 1024 + 1) : fhir.bytes,
    };
    const errors = visitErrors(visit);
    showErrors(kVisitFields, errors);
    if (errors.length) return;
    $('form-status').textContent = 'Checking the chain\'s key and sealing…';
    let sealed;
    let txId;
    let recordId;
    try {
      sealed = await sealVisit(session, visit);
      ({ txId, recordId } = await postRecord(session, sealed.record));
    } catch (e) {
      $('form-status').textContent = '';
      return showErrors(kVisitFields, [{ field: e.field && kVisitFields.includes(e.field) ? e.field : 'form', message: e.message }]);
    }
    const entry = { time: visit.time, serial: sealed.serial, txId, recordId, status: 'pending' };
    submissions.unshift(entry);
    renderSubmissions();
    $('form-status').textContent = `Submitted: transaction ${txId.slice(0, 16)}…, sealed to ${sealed.sealedTo}`;
    $('visit').reset();
    $('time').value = nowRfc3339();
    follow(entry);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('signin').addEventListener('submit', onSignIn);
  $('visit').addEventListener('submit', onSubmitVisit);
});

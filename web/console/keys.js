// Rotating the manager's envelope key from the console (single-manager mode; docs/web.md, "The
// access console"): after a ticked confirmation, one POST with the session token; hc console
// makes a new RSA-3072 key current in the manager directory and publishes it on the chain,
// and the page shows its key id and the publication's height. Doctors seal to it from then on.
import { $, call, visible } from './format.js';

async function onRotate(event) {
  event.preventDefault();
  $('rotate-error').textContent = '';
  $('rotate-result').textContent = '';
  if (!$('rotate-confirm').checked) {
    $('rotate-error').textContent = 'tick the confirmation first';
    return;
  }
  $('rotate-button').disabled = true;
  try {
    const done = await call('POST', '/console-api/rotate-key', '{}');
    $('rotate-result').textContent = visible(
      `envelope key ${done.key_id} is current, published by transaction ${done.tx_id} at height ${done.height}`);
    $('rotate-confirm').checked = false;
  } catch (e) {
    $('rotate-error').textContent = visible(e.message);
  } finally {
    $('rotate-button').disabled = false;
  }
}

export function setupKeyRotation(session) {
  $('rotate-section').hidden = !session.can_rotate_key;
  $('rotate-form').addEventListener('submit', onRotate);
}

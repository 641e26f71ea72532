// Revoking a hospital from the console (either access mode, with the manager's directory;
// docs/web.md, "The access console"): the reader types the hospital's member name and ticks the confirmation; the
// console (holding the manager's keys) commits the revocation on the chain and moves the group
// to its new epoch, after which that hospital's signatures are refused. One POST, with the
// session token; the answer names the new epoch and the transaction's height.
import { $, call, visible } from './format.js';

async function onRevoke(event) {
  event.preventDefault();
  $('member-error').textContent = '';
  $('revoke-result').textContent = '';
  if (!$('revoke-confirm').checked) {
    $('member-error').textContent = 'tick the confirmation first: a revocation cannot be undone';
    return;
  }
  $('revoke-button').disabled = true;
  try {
    const done = await call('POST', '/console-api/revoke', JSON.stringify({ member: $('member').value }));
    $('revoke-result').textContent = visible(
      `revoked ${done.member}: group epoch ${done.new_epoch} started by transaction ${done.tx_id} at height ${done.height}`);
    $('revoke-confirm').checked = false;
  } catch (e) {
    $(e.field === 'member' ? 'member-error' : 'revoke-error').textContent = visible(e.message);
  } finally {
    $('revoke-button').disabled = false;
  }
}

export function setupRevoke(session) {
  $('revoke-section').hidden = !session.can_revoke;
  $('revoke-form').addEventListener('submit', onRevoke);
}

// The blocks the explorer shows: a bounded cache of GET /v1/blocks/{height} answers, the
// latest-blocks table and one block's page (header, certificate signers, transactions).
import * as api from './node_api.js';
import { certificateSigners } from './certificate.js';
import { abbreviated, clear, element, fact, utcTime } from './format.js';
import { transactionCard } from './transactions.js';

const kCachedBlocks = 300;
const kMaxShownTransactions = 500;
const cache = new Map();  // height -> the node's block JSON (a committed block never changes)

export async function fetchBlock(height) {
  const key = Number(height);
  if (cache.has(key)) return cache.get(key);
  const block = await api.block(key);
  if (cache.size >= kCachedBlocks) cache.delete(cache.keys().next().value);
  cache.set(key, block);
  return block;
}

function signersText(block, replicaCount) {
  try {
    const { signers } = certificateSigners(block.certificate);
    return `${signers.join(', ')} (${signers.length}${replicaCount ? ' of ' + replicaCount : ''})`;
  } catch (e) {
    return `unreadable: ${e.message}`;
  }
}

function heightButton(height, onOpen) {
  const b = element('button', String(height), { cls: 'link' });
  b.type = 'button';
  b.dataset.height = String(height);
  b.addEventListener('click', () => onOpen(height));
  return b;
}

// Rows for `blocks` (newest first) in the latest-blocks table.
export function renderBlockRows(tbody, blocks, replicaCount, onOpen) {
  clear(tbody);
  for (const block of blocks) {
    const tr = document.createElement('tr');
    tr.dataset.height = String(block.height);
    const first = document.createElement('td');
    first.appendChild(heightButton(block.height, onOpen));
    tr.appendChild(first);
    tr.appendChild(element('td', utcTime(block.header.timestamp_ms)));
    tr.appendChild(element('td', abbreviated(block.hash, 8), { cls: 'mono', title: block.hash }));
    tr.appendChild(element('td', String(block.transactions.length)));
    tr.appendChild(element('td', `replica ${block.header.proposer}`));
    tr.appendChild(element('td', String(block.header.view)));
    tr.appendChild(element('td', signersText(block, replicaCount)));
    tbody.appendChild(tr);
  }
}

// The block's page: header facts, then one card per transaction (the selected one marked).
export function renderBlock(block, replicaCount, selectedTxId = '') {
  document.getElementById('block-title').textContent = `Block ${block.height}`;
  const dl = document.getElementById('block-header');
  clear(dl);
  const h = block.header;
  fact(dl, 'hash', block.hash, 'mono');
  fact(dl, 'previous hash', h.previous_hash, 'mono');
  fact(dl, 'time', utcTime(h.timestamp_ms));
  fact(dl, 'proposer', `replica ${h.proposer} (primary of view ${h.view})`);
  fact(dl, 'Merkle root of the transactions', h.merkle_root, 'mono');
  fact(dl, 'application state hash', h.app_hash, 'mono');
  fact(dl, 'commit certificate signers', signersText(block, replicaCount));
  const list = document.getElementById('transactions');
  clear(list);
  document.getElementById('block-empty').hidden = block.transactions.length > 0;
  const shown = block.transactions.slice(0, kMaxShownTransactions);
  shown.forEach((tx, i) => {
    const card = transactionCard(tx, block.tx_ids[i], i);
    if (block.tx_ids[i] === selectedTxId) card.classList.add('selected');
    list.appendChild(card);
  });
  if (block.transactions.length > shown.length) {
    list.appendChild(element('p', `${block.transactions.length - shown.length} more transactions not shown`, { cls: 'hint' }));
  }
  const section = document.getElementById('block-section');
  section.hidden = false;
  const selected = selectedTxId ? document.getElementById(`tx-${selectedTxId}`) : null;
  (selected || section).scrollIntoView({ block: 'start' });
}

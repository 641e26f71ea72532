// Lookup by block height, transaction id or serial, with the public routes only. A serial is
// searched in the browser, in the latest kSerialScanBlocks blocks: the node's index by serial
// (GET /v1/records/{serial}) is for reader tokens (docs/api.md), and the explorer shows only
// what the blocks themselves show (docs/web.md, "The public explorer").
import * as api from './node_api.js';
import { fetchBlock } from './blocks.js';
import { isHeight, isHex64 } from './format.js';

export const kSerialScanBlocks = 256;
const kParallelReads = 4;

export class LookupError extends Error {}

// What the query names: {kind: 'block', height} | {kind: 'tx', height, txId} |
// {kind: 'pending', txId} | {kind: 'serial', serial, hits: [{height, index, txId, kind, timeMs}],
// from, to}. Throws LookupError (bad query) or NodeError.
export async function lookUp(query, tipHeight, onProgress = () => {}) {
  const q = query.trim().toLowerCase();
  if (isHeight(q)) {
    if (Number(q) > tipHeight) throw new LookupError(`no block at height ${q} yet (the tip is ${tipHeight})`);
    return { kind: 'block', height: Number(q) };
  }
  if (!isHex64(q)) throw new LookupError('enter a block height (a decimal number), or a transaction id or serial (64 hex digits)');
  const status = await api.txStatus(q);
  if (status.status === 'committed') return { kind: 'tx', height: status.height, txId: q };
  if (status.status === 'pending') return { kind: 'pending', txId: q };
  return scanForSerial(q, tipHeight, onProgress);
}

async function scanForSerial(serial, tipHeight, onProgress) {
  const from = Math.max(1, tipHeight - kSerialScanBlocks + 1);
  const heights = [];
  for (let h = tipHeight; h >= from; h--) heights.push(h);
  const hits = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < heights.length) {
      const height = heights[next++];
      const block = await fetchBlock(height);
      block.transactions.forEach((tx, index) => {
        if (tx && tx.serial === serial) {
          hits.push({ height, index, txId: block.tx_ids[index], kind: tx.kind, timeMs: block.header.timestamp_ms });
        }
      });
      onProgress(++done, heights.length);
    }
  };
  await Promise.all(Array.from({ length: kParallelReads }, worker));
  hits.sort((a, b) => a.height - b.height || a.index - b.index);
  return { kind: 'serial', serial, hits, from, to: tipHeight };
}

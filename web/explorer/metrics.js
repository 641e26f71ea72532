// The explorer's two series from the node's public /metrics (Prometheus text): transactions
// committed per minute (hc_transactions_committed_total) and the mean block commit latency
// (hc_block_commit_latency_seconds, proposal to commit on this replica), each over the
// interval between two samples. Pure functions of the texts; the page samples every 2 s and
// keeps the last kMaxSamples.
export const kMaxSamples = 150;
const kMaxLines = 20000;

// {name: value} of the unlabelled samples named in `wanted` (labelled ones are skipped).
export function parseMetrics(text, wanted) {
  const out = {};
  const lines = text.split('\n', kMaxLines);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const name = line.slice(0, space);
    if (!wanted.includes(name)) continue;
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) out[name] = value;
  }
  return out;
}

export const kWanted = ['hc_transactions_committed_total', 'hc_blocks_committed_total',
  'hc_block_commit_latency_seconds_sum', 'hc_block_commit_latency_seconds_count'];

// One reading: {atMs, txs, blocks, latencySum, latencyCount} (a missing counter reads 0: the
// node has not committed anything since it started).
export function reading(text, atMs) {
  const m = parseMetrics(text, kWanted);
  return {
    atMs,
    txs: m.hc_transactions_committed_total || 0,
    blocks: m.hc_blocks_committed_total || 0,
    latencySum: m.hc_block_commit_latency_seconds_sum || 0,
    latencyCount: m.hc_block_commit_latency_seconds_count || 0,
  };
}

// The interval's point between two readings: {atMs, txsPerMinute, blocksPerMinute,
// latencyMs (null when no block committed in it)}, or null when the counters went back (the
// node restarted) or no time passed.
export function point(before, after) {
  const minutes = (after.atMs - before.atMs) / 60000;
  if (minutes <= 0 || after.txs < before.txs || after.latencyCount < before.latencyCount) return null;
  const blocks = after.latencyCount - before.latencyCount;
  return {
    atMs: after.atMs,
    txsPerMinute: (after.txs - before.txs) / minutes,
    blocksPerMinute: (after.blocks - before.blocks) / minutes,
    latencyMs: blocks > 0 ? ((after.latencySum - before.latencySum) / blocks) * 1000 : null,
  };
}

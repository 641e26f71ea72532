// The commit-certificate checker the doctors' page checks a node's answers with: it follows
// the consortium's membership changes, as hc's FollowingCertificateVerifier does
// (src/client/following_certificates.h; docs/consensus.md section 2c, "Clients follow the
// changes"). A certificate is checked against the configuration of its height in the history
// the page verified from the genesis (configuration_history.js). The history starts empty (the
// genesis configuration) and is fetched lazily: only when a certificate does not verify
// against what is known is the node's GET /v1/consortium/changes fetched, verified and the
// certificate checked again; at most once per kHistoryRefetchMs, so a forged answer costs at
// most one fetch. A chain without membership changes costs no extra request. Calls are
// serialized (one check or fetch at a time), so concurrent checks never interleave an update
// of the history.
import { CertificateRefused, ReplicaKeys } from './commit_certificate.js';
import { ChangeProofsRefused, changeProofsFromJson } from './change_proofs.js';
import { ConfigurationHistory, HistoryRefused } from './configuration_history.js';
import { fromHex } from './serial.js';

// Between two fetches of the history (a long-open page may see a later change).
export const kHistoryRefetchMs = 5000;

// The genesis file's replicas as the history needs them; throws CertificateRefused.
function genesisReplicas(genesis) {
  const replicas = Array.isArray(genesis.replicas) ? genesis.replicas : [];
  return replicas.map((r, i) => {
    if (!r || r.id !== i) throw new CertificateRefused('genesis replica ids must be 0..n-1', { malformed: true });
    if (typeof r.public_key !== 'string' || !/^[0-9a-f]{64}$/.test(r.public_key)) {
      throw new CertificateRefused(`genesis replica ${i} has no Ed25519 key`, { malformed: true });
    }
    return { id: i, publicKey: fromHex(r.public_key) };
  });
}

export class FollowingCertificates {
  // `genesis`: the parsed genesis file; `chainId`: its hash (32 bytes); `fetchChanges`: an
  // async function returning GET /v1/consortium/changes's JSON (or null: the genesis
  // configuration only); `nowMs`: a monotonic clock in milliseconds.
  constructor(genesis, chainId, fetchChanges, nowMs = () => performance.now()) {
    this.history = new ConfigurationHistory({ replicas: genesisReplicas(genesis) }, chainId, new ReplicaKeys());
    this.fetchChanges = fetchChanges;
    this.nowMs = nowMs;
    this.lastFetchMs = null;
    this.fetches = 0;
    this.queue = Promise.resolve();
  }

  verifiedChanges() {
    return this.history.verifiedChanges();
  }

  // A function (header, ids, certificate bytes) -> Promise, for committed_item.js.
  checker() {
    return (header, ids, certificate) => this.check(header, ids, certificate);
  }

  // Fetches and verifies the history now (tests and the benchmark; check() does it lazily).
  // Throws HistoryRefused or ChangeProofsRefused, or the fetch's own error.
  refresh() {
    return this.serialized(() => this.refreshNow());
  }

  // Against the configuration of header.height in the verified history, fetched first if the
  // certificate does not verify against what is known. Throws CertificateRefused naming what
  // is wrong, with the history's own refusal if it was fetched and did not verify.
  check(header, ids, certificate) {
    return this.serialized(() => this.checkNow(header, ids, certificate));
  }

  serialized(task) {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  async refreshNow() {
    this.lastFetchMs = this.nowMs();
    this.fetches += 1;
    const answer = await this.fetchChanges();
    await this.history.extend(changeProofsFromJson(answer));
  }

  async checkNow(header, ids, certificate) {
    let known;
    try {
      await this.history.checkCertificate(header, ids, certificate);
      return;
    } catch (e) {
      if (!(e instanceof CertificateRefused) || e.malformed || !this.fetchChanges) throw e;
      known = e;
    }
    if (this.lastFetchMs !== null && this.nowMs() - this.lastFetchMs < kHistoryRefetchMs) throw known;
    try {
      await this.refreshNow();
    } catch (e) {
      if (!(e instanceof HistoryRefused || e instanceof ChangeProofsRefused)) {
        throw new CertificateRefused(`${known.detail} (and the consortium's membership changes could not be fetched: ${e.message})`);
      }
      throw new CertificateRefused(`${known.detail} (and the consortium's membership changes did not verify: ${e.message})`);
    }
    try {
      await this.history.checkCertificate(header, ids, certificate);
    } catch (e) {
      if (!(e instanceof CertificateRefused) || e.malformed) throw e;
      throw new CertificateRefused(`${e.detail} (checked against the configuration after the ${this.verifiedChanges()} membership changes the node proves)`);
    }
  }
}

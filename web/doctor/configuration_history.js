// The consortium's configuration history as the page verifies it from the genesis, the JS
// counterpart of src/client/configuration_history.h (docs/consensus.md section 2c, "Clients
// follow the changes"). Each membership change's proof (change_proofs.js) is checked in
// height order against the configurations the genesis and the changes verified before it fix:
//   - the headers are those of h and h+1 and h+1 extends h (previous hash), each header's
//     Merkle root is that of its transaction ids;
//   - block h's certificate verifies under the configuration of h, block h+1's under that of
//     h+1 (commit_certificate.js, with the configuration from governance_state.js);
//   - app_hash(h), recomputed from header(h).app_hash, h, block_hash(h) and SHA-256 of the
//     state-change bytes, equals header(h+1).app_hash;
//   - the state changes decode canonically (state_changes.js) and hold consortium/change/<h>
//     and consortium/head, whose change counter is one above the changes verified before it
//     (a node that leaves a change out is caught at the next one).
// Only the consortium/change/, consortium/member/, consortium/key/ entries and the head are
// kept. A node that withholds the newest changes only makes the page lag: certificates signed
// under a configuration it does not know are then refused, never accepted. Refusals throw
// HistoryRefused with hc's wording. Not reentrant: following_certificates.js serializes it.
import { be } from './bytes.js';
import { CertificateRefused, verifyCertificateIn } from './commit_certificate.js';
import { merkleRoot } from './committed_item.js';
import { GovernanceRefused, GovernanceState, configurationAt, decodeHead, kChangePrefix, kHeadKey, kKeyPrefix, kMemberPrefix,
  keyString, replicaIdSpace } from './governance_state.js';
import { sha256 } from './seal.js';
import { StateChangesRefused, decodeStateChanges, nextAppHash } from './state_changes.js';

export class HistoryRefused extends Error {}

const kKeptPrefixes = [kChangePrefix, kMemberPrefix, kKeyPrefix];

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function refused(height, what) {
  return new HistoryRefused(`membership change at height ${height} does not verify: ${what}`);
}

// The governance entries of a change's state changes that the page keeps, as key text.
function keptEntries(changes) {
  return changes.entries.map((e) => ({ ...e, text: keyString(e.key) }))
    .filter((e) => e.text === kHeadKey || kKeptPrefixes.some((p) => e.text.length > p.length && e.text.startsWith(p)));
}

export class ConfigurationHistory {
  // `genesis`: {replicas: [{id, publicKey (32 bytes)}]}, ids 0..n-1; `chainId`: the genesis
  // hash; `replicaKeys`: commit_certificate.js's key cache.
  constructor(genesis, chainId, replicaKeys) {
    this.genesis = genesis;
    this.chainId = chainId;
    this.replicaKeys = replicaKeys;
    this.idSpace = replicaIdSpace(genesis);
    this.verified = [];  // the fingerprints and heights of the proofs verified, in order
    this.state = new GovernanceState();
  }

  verifiedChanges() {
    return this.verified.length;
  }

  // Checks a block's certificate against the configuration of its height in `state` (the
  // verified history by default); throws CertificateRefused (malformed for a corrupt state).
  async checkCertificate(header, ids, certificate, state = this.state) {
    let config;
    try {
      config = configurationAt(this.genesis, state, header.height);
    } catch (e) {
      if (e instanceof GovernanceRefused) throw new CertificateRefused(e.message, { malformed: true });
      throw e;
    }
    await verifyCertificateIn(this.chainId, config, this.idSpace, header, ids, certificate, this.replicaKeys);
  }

  async checkCertified(c, state, height, which) {
    if (!equal(await merkleRoot(c.ids), c.header.merkle_root)) {
      throw refused(height, `${which}'s transaction ids do not give its Merkle root`);
    }
    try {
      await this.checkCertificate(c.header, c.ids, c.certificate, state);
    } catch (e) {
      if (e instanceof CertificateRefused) throw refused(height, `${which}'s commit certificate: ${e.detail}`);
      throw e;
    }
  }

  // The entries proof `p` adds, once verified; throws HistoryRefused.
  async verifyOne(p) {
    const h = p.height;
    const last = this.verified.length === 0 ? 0n : this.verified[this.verified.length - 1].height;
    if (h <= last) throw refused(h, `it is not above the change verified before it (height ${last})`);
    if (p.accepting.header.height !== h) throw refused(h, 'the accepting header is of another height');
    if (p.successor.header.height !== h + 1n) throw refused(h, 'the successor header is not of the next height');
    const hash = await sha256(p.accepting.header.encoding);
    if (!equal(p.successor.header.previous_hash, hash)) throw refused(h, 'the successor header does not extend the accepting block');
    await this.checkCertified(p.accepting, this.state, h, 'the accepting block');
    if (!equal(await nextAppHash(p.accepting.header.app_hash, h, hash, p.stateChanges), p.successor.header.app_hash)) {
      throw refused(h, 'the state changes do not give the app hash the next block carries');
    }
    let changes;
    try {
      changes = decodeStateChanges(p.stateChanges);
    } catch (e) {
      if (e instanceof StateChangesRefused) throw refused(h, `state changes: ${e.message}`);
      throw e;
    }
    const kept = keptEntries(changes);
    const expectedChange = kChangePrefix + keyString(be(h, 8));
    let changeEntries = 0;
    let head = null;
    for (const e of kept) {
      if (e.text.startsWith(kChangePrefix)) {
        changeEntries += 1;
        if (e.text !== expectedChange) throw refused(h, 'it records a change at another height');
      }
      if (e.text === kHeadKey) head = e;
    }
    if (changeEntries !== 1) throw refused(h, 'the block\'s state changes accept no membership change');
    if (head === null) throw refused(h, 'the block\'s state changes carry no consortium head');
    let decodedHead;
    try {
      decodedHead = decodeHead(head.value);
    } catch (e) {
      if (e instanceof GovernanceRefused) throw refused(h, `consortium head: ${e.message}`);
      throw e;
    }
    if (decodedHead.changes !== this.verified.length + 1) {
      throw refused(h, `it is change ${decodedHead.changes} but ${this.verified.length} were verified before it (a change is missing)`);
    }
    // The successor's configuration, with this change known (its boundary lies above h + 1).
    const withChange = this.state.copy();
    withChange.apply(kept);
    await this.checkCertified(p.successor, withChange, h, 'the next block');
    return kept;
  }

  // Verifies `proofs` (a node's whole list, in height order) and keeps what they prove. The
  // proofs already verified must come first, unchanged; the proofs verified before a failing
  // one are kept. Throws HistoryRefused.
  async extend(proofs) {
    if (proofs.length < this.verified.length) {
      throw new HistoryRefused(`the node lists ${proofs.length} membership changes, fewer than the ${this.verified.length} already verified`);
    }
    for (let i = 0; i < this.verified.length; i++) {
      if (proofs[i].fingerprint !== this.verified[i].fingerprint) {
        throw refused(proofs[i].height, 'it differs from the change already verified at that position');
      }
    }
    for (let i = this.verified.length; i < proofs.length; i++) {
      const kept = await this.verifyOne(proofs[i]);
      this.state.apply(kept);
      this.verified.push({ height: proofs[i].height, fingerprint: proofs[i].fingerprint });
    }
  }
}

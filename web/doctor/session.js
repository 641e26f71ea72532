// A doctor's session in the page: signing in (the doctor's token, the chain's genesis file and
// the consortium pseudonym key file, all held in this tab's memory only), and turning a visit
// into a sealed record and posting it. The patient's name, ID and diagnosis are used only
// here, in the browser: what leaves is the sealed record (serial, key id, wrapped key or
// ephemeral key, nonce, ciphertext).
import * as api from './node_api.js';
import { verifyAccessKeyAnswer } from './access_key_trust.js';
import { FollowingCertificates } from './following_certificates.js';
import { genesisHash } from './genesis_hash.js';
import { verifyEnvelopeKeyAnswer } from './key_trust.js';
import { RuleError, canonicalFhir, normalizeId, normalizeName, padVisitJson, validateRfc3339, visitJson } from './rules.js';
import { sealV1, sealV2 } from './seal.js';
import { computeSerial, importPseudonymKey, pseudonymKeyCheck, toHex } from './serial.js';

const kMaxGenesisBytes = 1024 * 1024;
const kAnyValidTime = '2000-01-01T00:00:00Z';  // stands in while the diagnosis is checked alone

function parseGenesis(text) {
  if (text.length > kMaxGenesisBytes) throw new RuleError('genesis', 'the genesis file is larger than 1 MiB');
  let genesis;
  try {
    genesis = JSON.parse(text);
  } catch {
    throw new RuleError('genesis', 'the genesis file is not JSON');
  }
  const ok = genesis && typeof genesis.chain_name === 'string' && typeof genesis.pseudonym_key_check === 'string' &&
    typeof genesis.manager_admin_key === 'string' && Array.isArray(genesis.replicas);
  if (!ok) throw new RuleError('genesis', 'the file is not a Healthchain genesis (no chain_name, keys or replicas)');
  return genesis;
}

// Throws RuleError naming the field ('token', 'genesis' or 'pseudonym-key') that is wrong.
export async function signIn(token, genesisText, pseudonymKeyText) {
  if (!/^[\x21-\x7e]{1,256}$/.test(token)) throw new RuleError('token', 'the token is 1 to 256 printable characters');
  const genesis = parseGenesis(genesisText);
  let who;
  try {
    who = await api.whoami(token);
  } catch (e) {
    throw new RuleError('token', e.status === 401 ? 'the node does not know this token' : e.message);
  }
  if (who.role !== 'doctor') throw new RuleError('token', `this is a ${who.role}'s token, not a doctor's`);
  let chainId;
  try {
    chainId = await genesisHash(genesis);
  } catch (e) {
    throw new RuleError('genesis', e.message);
  }
  const node = await api.status();
  if (node.chain_id !== genesis.chain_name) {
    throw new RuleError('genesis', `this node is on chain ${node.chain_id}, the genesis file is chain ${genesis.chain_name}'s`);
  }
  if (node.genesis_hash !== toHex(chainId)) {
    throw new RuleError('genesis', `this node's chain ${node.chain_id} has another genesis than this file (genesis hash ${String(node.genesis_hash).slice(0, 16)}…, the file's ${toHex(chainId).slice(0, 16)}…)`);
  }
  let key;
  try {
    key = await importPseudonymKey(pseudonymKeyText);
  } catch (e) {
    throw new RuleError('pseudonym-key', e.message);
  }
  if ((await pseudonymKeyCheck(key, genesis.chain_name)) !== genesis.pseudonym_key_check) {
    throw new RuleError('pseudonym-key', `this file is not the pseudonym key of chain ${genesis.chain_name}`);
  }
  const trustees = genesis.access_mode === 'trustees';
  let certificates;
  try {
    certificates = new FollowingCertificates(genesis, chainId, api.consortiumChanges);
  } catch (e) {
    throw new RuleError('genesis', e.message);
  }
  return { token, genesis, pseudonymKey: key, doctor: who.name, trustees, chainId, certificates };
}

// Every refused field of a visit, in form order: [{field, message}] (empty when all pass).
export function visitErrors({ name, id, time, diagnosis, fhirBytes }) {
  const errors = [];
  const attempt = (f) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      errors.push({ field: e.field, message: e.message });
    }
  };
  attempt(() => normalizeName(name).fill(0));
  attempt(() => normalizeId(id).fill(0));
  // Each field on its own (hc stops at the first), then the whole payload's size.
  attempt(() => validateRfc3339(time));
  attempt(() => visitJson(kAnyValidTime, diagnosis, null));
  if (fhirBytes !== null) attempt(() => canonicalFhir(fhirBytes));
  if (errors.length === 0) attempt(() => padVisitJson(visitJson(time, diagnosis, fhirBytes)).fill(0));
  return errors;
}

// The chain's current envelope key, verified (key_trust.js); throws KeyNotVouched.
export async function trustedEnvelopeKey(session) {
  const answer = await api.envelopeKey();
  return verifyEnvelopeKeyAnswer(answer, session.genesis, Date.now(), session.certificates.checker());
}

// The trustees' current access key, verified against the DKG transcript (access_key_trust.js);
// throws AccessKeyNotVouched, or NodeError while no key has formed.
export async function trustedAccessKey(session) {
  const answer = await api.accessKey();
  return verifyAccessKeyAnswer(answer, session.genesis, session.chainId, session.certificates.checker());
}

// The sealed record of a visit whose fields passed visitErrors(): envelope version 1 on a
// single-manager chain, version 2 to the trustees' access key on a trustees-mode chain.
export async function sealVisit(session, visit) {
  const key = session.trustees ? await trustedAccessKey(session) : await trustedEnvelopeKey(session);
  const serial = await computeSerial(session.pseudonymKey, visit.name, visit.id);
  const padded = padVisitJson(visitJson(visit.time, visit.diagnosis, visit.fhirBytes));
  const record = session.trustees ? await sealV2(padded, serial, key.accessKey, key.keyId)
    : await sealV1(padded, serial, key.spki, key.keyId);
  padded.fill(0);
  const sealedTo = session.trustees ? `the trustees' access key (key epoch ${key.epoch})` : 'the manager\'s envelope key';
  return { record, serial: toHex(serial), sealedTo };
}

// The node's answer: the transaction id, and the record id (the sealed content's digest) by
// which the record is followed: it stays if the node signs the record again after a revocation
// (docs/api.md, GET /v1/tx/{id}).
export async function postRecord(session, record) {
  const answer = await api.submitRecord(session.token, record);
  return { txId: answer.tx_id, recordId: answer.record_id || answer.tx_id };
}

"""The vector files the doctors' page must agree with, run by the page's own JavaScript modules
inside the browser (imported in the page's context: the page itself holds no test code).
Used by doctor_page_test.py. Each script returns {failures: [...], cases: N}.

- tests/vectors/serial_and_visit.json: the shared rules (serials, times, visits, padding),
  also checked against src/crypto by web_vectors_test.
- tests/vectors/envelope_v2_seal.json: envelope version 2 records, P-256 sums, multiples and
  refused points, trustee signatures, computed by our C++ code (web_envelope_v2_vectors_test).
- tests/vectors/genesis_hash.json: genesis files and their chain ids (web_genesis_vectors_test).
- tests/vectors/dkg_complaints.json: a DKG transcript with complaints and its judgement
  (web_dkg_vectors_test), its deals in the proven form; dkg_complaints_legacy.json: one in
  the legacy form (no ephemeral proofs), as older chains hold.
- tests/vectors/change_history.json: membership change proofs from ledgers with joins and
  exits, with hc's verdict on each certificate and each forged answer
  (web_change_history_vectors_test).

Run on its own (no cluster: the page's modules served from the source tree), for example to
check the page's JavaScript of another checkout against the vectors:
  /usr/bin/python3 tests/web/page_vectors.py --source . [--web OTHER/web] [--only change_history.json]
"""
import collections
import json
import os

# The shared vectors, run by the page's own modules (imported in the page's context: the
# page itself holds no test code).
VECTOR_SCRIPT = r"""
const [vectors, done] = arguments;
(async () => {
  const rules = await import('/doctor/rules.js');
  const serialMod = await import('/doctor/serial.js');
  const failures = [];
  const key = await crypto.subtle.importKey('raw', serialMod.fromHex(vectors.pseudonym_key), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  const text = (c, field, repeat) => c[repeat] ? c[repeat][0].repeat(c[repeat][1]) : c[field];
  for (const c of vectors.serials) {
    try {
      const s = serialMod.toHex(await serialMod.computeSerial(key, c.name, c.id));
      if (c.error) failures.push(`${c.note}: accepted, expected "${c.error}"`);
      else if (s !== c.serial) failures.push(`${c.note}: serial ${s}, expected ${c.serial}`);
    } catch (e) {
      if (!c.error || e.message !== c.error || e.field !== c.field) failures.push(`${c.note}: refused "${e.message}" on ${e.field}, expected ${c.error ? '"' + c.error + '" on ' + c.field : 'a serial'}`);
    }
  }
  for (const c of vectors.times) {
    try {
      rules.validateRfc3339(c.time);
      if (c.error) failures.push(`time ${c.time}: accepted, expected "${c.error}"`);
    } catch (e) {
      if (e.message !== c.error) failures.push(`time ${c.time}: refused "${e.message}", expected ${c.error || 'acceptance'}`);
    }
  }
  const utf8 = new TextEncoder();
  for (const c of vectors.visits) {
    let fhir = null;
    if (c.fhir !== undefined) fhir = c.fhir_padded_to ? c.fhir + ' '.repeat(c.fhir_padded_to - utf8.encode(c.fhir).length) : c.fhir;
    try {
      const json = rules.visitJson(c.time, text(c, 'diagnosis', 'diagnosis_repeat'), fhir === null ? null : utf8.encode(fhir));
      const padded = rules.padVisitJson(json);
      if (c.error) { failures.push(`${c.note}: accepted, expected "${c.error}"`); continue; }
      if (padded.length !== c.padded_bytes) failures.push(`${c.note}: padded to ${padded.length}, expected ${c.padded_bytes}`);
      if (c.json !== undefined && json !== c.json) failures.push(`${c.note}: JSON ${json.slice(0, 300)} expected ${c.json.slice(0, 300)}`);
      if (c.json_bytes !== undefined && utf8.encode(json).length !== c.json_bytes) failures.push(`${c.note}: JSON of ${utf8.encode(json).length} bytes, expected ${c.json_bytes}`);
      const length = new DataView(padded.buffer).getUint32(1);
      if (padded[0] !== 2 || length !== utf8.encode(json).length || padded.slice(5 + length).some((b) => b !== 0)) failures.push(`${c.note}: malformed padding`);
    } catch (e) {
      if (!c.error || e.message !== c.error || e.field !== c.field) failures.push(`${c.note}: refused "${e.message}" on ${e.field}, expected ${c.error ? '"' + c.error + '" on ' + c.field : 'acceptance'}`);
    }
  }
  return {failures, cases: vectors.serials.length + vectors.times.length + vectors.visits.length};
})().then(done, (e) => done({failures: ['script failed: ' + e.message], cases: 0}));
"""

# tests/vectors/envelope_v2_seal.json (computed by our C++ code) against the page's modules:
# each record sealed by seal.js with the vector's ephemeral key and nonce must be the C++
# record byte for byte; each P-256 sum (p256.js) the C++ sum; each refused encoding refused.
V2_VECTOR_SCRIPT = r"""
const [vectors, done] = arguments;
(async () => {
  const seal = await import('/doctor/seal.js');
  const p256 = await import('/doctor/p256.js');
  const rules = await import('/doctor/rules.js');
  const trust = await import('/doctor/access_key_trust.js');
  const { fromHex, toHex } = await import('/doctor/serial.js');
  const failures = [];
  const utf8 = new TextEncoder();
  const accessKey = fromHex(vectors.access_key);
  if (toHex(await trust.accessKeyId(accessKey)) !== vectors.key_id) failures.push('the access key id differs');
  for (const c of vectors.seal) {
    const padded = rules.padVisitJson(rules.visitJson(c.time, c.diagnosis, c.fhir === undefined ? null : utf8.encode(c.fhir)));
    if (padded.length !== c.padded_bytes) failures.push(`${c.note}: padded to ${padded.length}, expected ${c.padded_bytes}`);
    const record = await seal.sealV2(padded, fromHex(c.serial), accessKey, fromHex(vectors.key_id),
      {ephemeralSecret: fromHex(c.ephemeral_secret), ephemeralPoint: fromHex(c.ephemeral_key), nonce: fromHex(c.nonce)});
    for (const field of ['version', 'serial', 'key_id', 'ephemeral_key', 'nonce', 'ciphertext']) {
      if (record[field] !== c.record[field]) failures.push(`${c.note}: ${field} differs from the C++ record`);
    }
    if (Object.keys(record).length !== 6) failures.push(`${c.note}: the record has other fields`);
  }
  for (const c of vectors.point_sums) {
    const sum = c.points.map((h) => p256.decodePoint(fromHex(h))).reduce(p256.addPoints, null);
    const got = sum === null ? null : toHex(p256.encodePoint(sum));
    if (got !== c.sum) failures.push(`${c.note}: sum ${got}, expected ${c.sum}`);
  }
  for (const c of vectors.scalar_mults) {
    const product = p256.multiplyPoint(BigInt('0x' + c.scalar), p256.decodePoint(fromHex(c.point)));
    if (toHex(p256.encodePoint(product)) !== c.product) failures.push(`scalar multiple ${c.scalar.slice(0, 8)}…: differs from the C++ product`);
  }
  const signatures = await import('/doctor/trustee_signature.js');
  for (const c of vectors.trustee_signatures) {
    const valid = await signatures.verifyTrusteeSignature(fromHex(c.message), p256.decodePoint(fromHex(c.key)), fromHex(c.signature));
    if (valid !== c.valid) failures.push(`trustee signature, ${c.note}: ${valid ? 'accepted' : 'refused'}, our C++ code says ${c.valid ? 'valid' : 'invalid'}`);
  }
  for (const c of vectors.bad_points) {
    try {
      p256.decodePoint(fromHex(c.point));
      failures.push(`${c.note}: accepted`);
    } catch (e) {
      if (!(e instanceof p256.PointRefused)) failures.push(`${c.note}: ${e.message}`);
    }
  }
  return {failures, cases: vectors.seal.length + vectors.point_sums.length + vectors.scalar_mults.length +
    vectors.trustee_signatures.length + vectors.bad_points.length};
})().then(done, (e) => done({failures: ['script failed: ' + e.message], cases: 0}));
"""

# tests/vectors/genesis_hash.json (computed by our C++ code) against genesis_hash.js, and its
# commit quorums (n = 1..16) against commit_certificate.js's commitQuorum.
GENESIS_VECTOR_SCRIPT = r"""
const [vectors, done] = arguments;
(async () => {
  const mod = await import('/doctor/genesis_hash.js');
  const { toHex } = await import('/doctor/serial.js');
  const failures = [];
  for (const c of vectors.cases) {
    const hash = toHex(await mod.genesisHash(c.genesis));
    if (hash !== c.genesis_hash) failures.push(`${c.note}: ${hash}, expected ${c.genesis_hash}`);
    const other = JSON.parse(JSON.stringify(c.genesis));
    other.limits.max_block_bytes += 1;
    if (toHex(await mod.genesisHash(other)) === c.genesis_hash) failures.push(`${c.note}: a changed limit keeps the hash`);
  }
  const { commitQuorum } = await import('/doctor/commit_certificate.js');
  for (const q of vectors.commit_quorums) {
    if (commitQuorum(q.replicas) !== q.quorum) failures.push(`n = ${q.replicas}: quorum ${commitQuorum(q.replicas)}, our C++ code says ${q.quorum}`);
  }
  return {failures, cases: vectors.cases.length + vectors.commit_quorums.length};
})().then(done, (e) => done({failures: ['script failed: ' + e.message], cases: 0}));
"""

# tests/vectors/dkg_complaints.json (a transcript made and judged by our C++ code) against
# dkg_complaint.js and access_key_trust.js: every verdict, the qualified dealers and the key.
DKG_VECTOR_SCRIPT = r"""
const [v, done] = arguments;
(async () => {
  const akt = await import('/doctor/access_key_trust.js');
  const dc = await import('/doctor/dkg_complaint.js');
  const p256 = await import('/doctor/p256.js');
  const { fromHex, toHex } = await import('/doctor/serial.js');
  const tr = v.transcript;
  const ex = v.expected;
  const keys = tr.trustee_keys.map(fromHex);
  const points = keys.map((k) => p256.decodePoint(k));
  const failures = [];
  const digest = await akt.dkgParamsDigest(fromHex(tr.chain_id), BigInt(tr.epoch), tr.t, keys);
  if (toHex(digest) !== ex.params_digest) failures.push('the DKG parameters digest differs');
  const deals = new Map();
  tr.deals.forEach((d, i) => deals.set(i + 1, akt.parseDeal(fromHex(d), digest, i + 1, tr.t, keys.length)));
  const complaints = tr.complaints.map((c) => dc.parseComplaint(fromHex(c), digest, keys.length));
  for (const [i, c] of complaints.entries()) {
    const verdict = await dc.judgeComplaint(digest, deals.get(c.dealer), c, points[c.complainer - 1]);
    if (verdict !== ex.verdicts[i]) failures.push(`complaint ${i + 1}: ${verdict}, our C++ code says ${ex.verdicts[i]}`);
  }
  const out = await akt.qualifiedDealers(deals, complaints, digest, points);
  for (const [mine, theirs, what] of [[out.qualified, ex.qualified, 'qualified'], [out.disqualified, ex.disqualified, 'disqualified'],
    [out.rejectedComplainers, ex.rejected_complainers, 'rejected complainers']]) {
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) failures.push(`${what}: ${mine}, our C++ code says ${theirs}`);
  }
  const key = p256.encodePoint(out.qualified.map((d) => deals.get(d).commitments[0]).reduce(p256.addPoints, null));
  if (toHex(key) !== ex.access_key || toHex(await akt.accessKeyId(key)) !== ex.key_id) failures.push('the access key differs');
  return {failures, cases: complaints.length};
})().then(done, (e) => done({failures: ['script failed: ' + e.message], cases: 0}));
"""

# tests/vectors/change_history.json (our C++ code's ledgers and verdicts) against
# following_certificates.js and the modules under it: each block's certificate checked with
# the genesis configuration only and with the followed history (the same verdict, hc's words,
# the same number of fetches), a node withholding the last change, every forged or malformed
# answer refused with hc's one-line error, the state-change encodings, the envelope key
# published above the boundaries (accepted when following, refused with the genesis only, as
# the page did before), the refetch bound; and the time to verify a 1-change and an 8-change
# history (performance.now(), the median of 5).
CHANGE_HISTORY_VECTOR_SCRIPT = r"""
const [v, done] = arguments;
(async () => {
  const fc = await import('/doctor/following_certificates.js');
  const sc = await import('/doctor/state_changes.js');
  const kt = await import('/doctor/key_trust.js');
  const { fromHex } = await import('/doctor/serial.js');
  const failures = [];
  let cases = 0;
  const clone = (x) => JSON.parse(JSON.stringify(x));
  // A checker of `genesis` following `answer` (null: the genesis configuration only), on a
  // clock the script moves with advance(ms).
  const following = (genesis, chainHex, answer) => {
    let now = 0;
    const f = new fc.FollowingCertificates(genesis, fromHex(chainHex), answer === null ? null : async () => clone(answer), () => now);
    f.advance = (ms) => { now += ms; };
    return f;
  };
  const verdict = async (promise) => {
    try { await promise; return 'ok'; } catch (e) { return e.detail !== undefined ? e.detail : e.message; }
  };
  const check = (f, b) => f.check(b.header, b.tx_ids.map(fromHex), fromHex(b.certificate));

  const genesisOnly = following(v.genesis, v.chain_id, null);
  const follow = following(v.genesis, v.chain_id, v.changes);
  for (const b of v.blocks) {
    const g = await verdict(check(genesisOnly, b));
    if (g !== b.genesis_only) failures.push(`block ${b.height}, genesis configuration only: "${g}", hc says "${b.genesis_only}"`);
    const f = await verdict(check(follow, b));
    if (f !== b.following) failures.push(`block ${b.height}, following the changes: "${f}", hc says "${b.following}"`);
    if (follow.fetches !== b.fetches_after) failures.push(`block ${b.height}: ${follow.fetches} fetches, hc made ${b.fetches_after}`);
    cases += 1;
  }
  if (follow.verifiedChanges() !== v.changes.changes.length) failures.push(`${follow.verifiedChanges()} changes verified`);

  const w = v.withheld;
  const lagging = following(v.genesis, v.chain_id, w.changes);
  const got = await verdict(check(lagging, w));
  if (got !== w.error) failures.push(`the last change withheld: "${got}", hc says "${w.error}"`);
  if (lagging.verifiedChanges() !== w.verified_changes) failures.push(`the last change withheld: ${lagging.verifiedChanges()} verified`);
  // The refetch bound: again within 5 s, no fetch; after it, one more.
  lagging.advance(1000);
  await verdict(check(lagging, w));
  if (lagging.fetches !== 1) failures.push(`a second refusal within 5 s fetched again (${lagging.fetches} fetches)`);
  lagging.advance(fc.kHistoryRefetchMs);
  await verdict(check(lagging, w));
  if (lagging.fetches !== 2) failures.push(`a refusal after 5 s did not fetch again (${lagging.fetches} fetches)`);
  cases += 1;

  for (const c of v.refusals) {
    const answer = clone(c.changes);
    if (c.repeat) answer.changes[c.repeat.proof][c.repeat.field] = c.repeat.text.repeat(c.repeat.count);
    const r = await verdict(following(v.genesis, v.chain_id, answer).refresh());
    if (r !== c.error) failures.push(`${c.note}: "${r}", hc says "${c.error}"`);
    cases += 1;
  }

  for (const c of v.later_answers) {
    const answers = [v.changes, c.changes];
    const f = new fc.FollowingCertificates(v.genesis, fromHex(v.chain_id), async () => clone(answers.shift()), () => 0);
    await f.refresh();
    const r = await verdict(f.refresh());
    if (r !== c.error) failures.push(`a later answer, ${c.note}: "${r}", hc says "${c.error}"`);
    cases += 1;
  }

  for (const c of v.state_changes) {
    let accepted = true;
    let entries = 0;
    try {
      entries = sc.decodeStateChanges(fromHex(c.bytes)).entries.length;
    } catch (e) {
      if (!(e instanceof sc.StateChangesRefused)) failures.push(`state changes, ${c.note}: ${e.message}`);
      accepted = false;
    }
    if (accepted !== c.accepted || entries !== c.entries) failures.push(`state changes, ${c.note}: ${accepted ? 'accepted' : 'refused'}, hc ${c.accepted ? 'accepts' : 'refuses'}`);
    cases += 1;
  }

  const key = v.envelope_key;
  const trusted = await kt.verifyEnvelopeKeyAnswer(key.answer, v.genesis, key.now_ms, following(v.genesis, v.chain_id, v.changes).checker())
    .then((k) => k, (e) => ({ error: e.message }));
  if (trusted.height !== key.answer.height) failures.push(`the envelope key published above the boundaries: ${trusted.error || 'wrong height'}`);
  const before = await verdict(kt.verifyEnvelopeKeyAnswer(key.answer, v.genesis, key.now_ms, following(v.genesis, v.chain_id, null).checker()));
  if (!before.startsWith("the node's envelope key is not vouched for by the chain: ")) failures.push(`the same key with the genesis configuration only: ${before}`);
  cases += 1;

  // The answer's bound (node_api.js reads a stream and stops past it; the changes' bound is 48 MiB).
  const api = await import('/doctor/node_api.js');
  const within = await verdict(api.boundedText(new Response('{"changes": []}'), 15));
  const beyond = await verdict(api.boundedText(new Response('{"changes": [] }'), 15));
  if (within !== 'ok' || beyond !== 'the node answered more than 15 bytes') {
    failures.push(`the answer bound: ${within} / ${beyond}`);
  }
  cases += 1;

  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timed = async (h, answer) => {
    const ms = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await verdict(following(h.genesis, h.chain_id, answer).refresh());
      ms.push(performance.now() - t0);
      if (r !== 'ok') failures.push(`the ${answer.changes.length}-change history: ${r}`);
    }
    return median(ms);
  };
  const h8 = v.history8;
  const timings = {one_change_ms: await timed(h8, { changes: h8.changes.changes.slice(0, 1) }),
                   eight_changes_ms: await timed(h8, h8.changes)};
  return {failures, cases, timings, before};
})().then(done, (e) => done({failures: ['script failed: ' + e.message], cases: 0}));
"""


Check = collections.namedtuple('Check', 'file script min_cases summary')

CHECKS = (
    Check('serial_and_visit.json', VECTOR_SCRIPT, 41, "the page's JavaScript agrees with all {} shared vector cases"),
    Check('envelope_v2_seal.json', V2_VECTOR_SCRIPT, 24,
          "the page's sealing (v2), P-256 arithmetic and trustee signature checks agree with all {} C++ vector cases"),
    Check('genesis_hash.json', GENESIS_VECTOR_SCRIPT, 22,
          "the page's chain id (genesis hash) and commit quorum agree with all {} C++ genesis vectors"),
    Check('dkg_complaints.json', DKG_VECTOR_SCRIPT, 3,
          'the page judges all {} complaints of the C++ DKG transcript as our C++ code does, and forms the same key'),
    Check('dkg_complaints_legacy.json', DKG_VECTOR_SCRIPT, 3,
          'the page judges all {} complaints of the legacy-form C++ DKG transcript (older chains) as our C++ code does'),
    Check('change_history.json', CHANGE_HISTORY_VECTOR_SCRIPT, 36,
          "the page follows the membership changes as hc does: all {} certificate, refusal and encoding cases agree"),
)


def run_in_page(driver, source_dir, check):
    """The check's script on its file, in the page that `driver` has open."""
    with open(os.path.join(source_dir, 'tests', 'vectors', check.file)) as f:
        vectors = json.load(f)
    return driver.execute_async_script(check.script, vectors)


def main():
    """Every check (or --only one) in headless Chromium, the page's modules served from --web."""
    import argparse
    import functools
    import http.server
    import sys
    import threading
    import time
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from browser_harness import check_prerequisites, start_browser
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument('--source', required=True, help='the source tree (tests/vectors)')
    parser.add_argument('--web', help='the web/ directory whose doctor/ modules to run (default: the source tree\'s)')
    parser.add_argument('--only', help='one vector file, such as change_history.json')
    args = parser.parse_args()
    check_prerequisites()
    web = args.web or os.path.join(args.source, 'web')
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=web)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = start_browser([])
    failed = False
    try:
        driver.get(f'http://127.0.0.1:{server.server_address[1]}/doctor/doctor.css')
        driver.set_script_timeout(120)
        for check in CHECKS:
            if args.only and check.file != args.only:
                continue
            started = time.time()
            result = run_in_page(driver, args.source, check)
            print(f"{check.file}: {result['cases']} cases, {len(result['failures'])} failures ({time.time() - started:.1f} s)")
            for f in result['failures']:
                print('  ' + f)
            if result.get('timings'):
                print(f"  timings: {result['timings']}")
            failed = failed or bool(result['failures']) or result['cases'] < check.min_cases
    finally:
        driver.quit()
        server.shutdown()
    return 1 if failed else 0


if __name__ == '__main__':
    raise SystemExit(main())

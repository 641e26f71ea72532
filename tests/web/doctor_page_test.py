#!/usr/bin/env python3
"""The doctors' upload page (web/doctor/, docs/web.md) in a real browser: headless Chromium
driven by Selenium, against real local consortia (`hc cluster up`, single-manager mode, then
trustees mode).

1. The shared rule vectors (tests/vectors/serial_and_visit.json) against the page's own
   JavaScript modules, loaded in the page: every serial, refusal and padded size; and the
   envelope version 2 vectors our C++ code computed (tests/vectors/envelope_v2_seal.json):
   every record sealed byte for byte, every P-256 sum, multiple and refused point, every
   trustee signature's verdict; the chain ids of tests/vectors/genesis_hash.json; and the
   membership change proofs of tests/vectors/change_history.json, each verdict hc's.
2. Sign-in refusals beside their fields; a doctor's own account (hc hospital doctor add).
3. Form errors beside each field for each bad input.
4. A visit with a FHIR file is sealed in the page, posted, followed to "committed at height h";
   `hc manager retrieve --json` returns exactly that visit, from the right hospital.
5. The network check: every request the page made (Chrome DevTools Protocol, the performance
   log) holds neither the patient's name, ID nor diagnosis, in the URL, a header or the body;
   and the checker is shown to fail: the test itself sends the name from the page's context.
6. A lying node (a proxy in front of node 0 that serves another RSA key as the chain's) makes
   the page refuse to seal, and nothing reaches POST /v1/records.
7. Trustees mode: the page recomputes the access key from the DKG transcript, seals version 2,
   the record commits and `hc access request` reads back exactly that visit through the
   trustees; the network check again; a proxy forging GET /v1/access-key (another key, an
   altered deal, too few deals, a complaint) makes the page refuse and post nothing.
Screenshots of each state go to --out. With --bench N, also times N records sealed and posted
in the page (performance.now()) against N runs of `hc record submit`, and prints both.

Exit status: 0 pass, 1 fail, 77 skipped because chromium, chromium-driver or python3-selenium is
not installed (CTest's SKIP_RETURN_CODE: reported as skipped, never as passed).
"""
import argparse
import base64
import http.client
import http.server
import json
import os
import shutil
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page_vectors  # noqa: E402  (beside this file)
from browser_harness import (Cluster, Failure, NetworkLog, Page, expect, expect_clean_console, manager_retrieve,  # noqa: E402
                             prepare, report_failure, spki_sha256, start_browser, wait_for, write_patient_file)

# The doctors' page's screenshots (docs/web.md) are taken at this size.
WINDOW = '1100,1300'

PATIENT = {'name': 'Ada Quintessa Lovelace', 'id': 'QX-7310-ZK', 'diagnosis': 'Tachycardia zeta-9941, beta blocker'}
TRUSTEES_PATIENT = {'name': 'Tess Ombrevaux Kiln', 'id': 'TK-5521-RV', 'diagnosis': 'Otitis media omega-3318, amoxicillin'}
FHIR = {'resourceType': 'Observation', 'status': 'final',
        'code': {'coding': [{'system': 'http://loinc.org', 'code': '8867-4', 'display': 'Heart rate'}]},
        'valueQuantity': {'value': 131.0, 'unit': '/min'}}


class LyingProxy:
    """Forwards every request to the node, except GET /v1/envelope-key, whose key it replaces by
    one of its own (a node that lies about the chain's key). Records the paths posted to."""

    def __init__(self, node_url, ca_pem, rsa_key=True):
        import ssl
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        if rsa_key:  # the forged envelope key of single-manager mode
            key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
            self.forged_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
            self.forged_key_id = spki_sha256(key.public_key()).hex()
        self.upstream = urllib.parse.urlparse(node_url)
        self.tls = ssl.create_default_context(cadata=ca_pem) if self.upstream.scheme == 'https' else None
        self.posted = []
        self.mode = 'key'
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                if self.command == 'POST':
                    proxy.posted.append(self.path)
                if proxy.tls is not None:
                    conn = http.client.HTTPSConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30, context=proxy.tls)
                else:
                    conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                if self.path == '/v1/envelope-key' and answer.status == 200:
                    data = json.dumps(proxy.lie(json.loads(data))).encode()
                if self.path == '/v1/access-key' and answer.status == 200:
                    data = json.dumps(proxy.lie_about_access_key(json.loads(data))).encode()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ('content-length', 'connection', 'transfer-encoding', 'server', 'date'):
                        self.send_header(k, v)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = forward
            do_POST = forward

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def lie(self, answer):
        """The answer as this proxy's mode forges it."""
        if self.mode == 'key':  # another key in place of the chain's
            answer['public_key_pem'] = self.forged_pem
            answer['key_id'] = self.forged_key_id
        elif self.mode == 'certificate':  # one bit of one replica's COMMIT signature flipped
            cert = bytearray(base64.b64decode(answer['publication']['certificate']))
            cert[57 + 4] ^= 0x01
            answer['publication']['certificate'] = base64.b64encode(bytes(cert)).decode()
        elif self.mode == 'few-signers':  # the certificate cut to f signatures (count and list)
            cert = bytearray(base64.b64decode(answer['publication']['certificate']))
            cert[53:57] = (1).to_bytes(4, 'big')
            answer['publication']['certificate'] = base64.b64encode(bytes(cert[:57 + 68])).decode()
        return answer

    def lie_about_access_key(self, answer):
        """GET /v1/access-key's answer as this proxy's mode forges it (trustees mode)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        if self.mode == 'access-key':  # another P-256 key (with its own key id) in place of the DKG's
            public = ec.generate_private_key(ec.SECP256R1()).public_key()
            answer['access_key'] = public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint).hex()
            answer['key_id'] = spki_sha256(public).hex()
        elif self.mode == 'altered-deal':  # one byte of the first deal's constant commitment changed
            item = answer['deals'][0]['item']
            encoding = bytearray(base64.b64decode(item['encoding']))
            encoding[-200] ^= 0x01
            item['encoding'] = base64.b64encode(bytes(encoding)).decode()
        elif self.mode == 'one-deal':  # all deals but one left out: too few to form a key
            answer['deals'] = answer['deals'][:1]
        elif self.mode == 'deal-as-complaint':  # a committed deal passed off as a complaint
            answer['complaints'] = [{'complainer': 2, 'item': answer['deals'][0]['item']}]
        return answer

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def leaks(requests, secrets):
    """[(request, secret)] for each request whose URL, headers or body holds a secret (as is,
    lower or upper case, URL-encoded, JSON-escaped or base64), or whose body could not be read."""
    found = []
    for r in requests:
        if r['body'] is None:
            found.append((r, '<body not readable>'))
            continue
        haystack = (r['url'] + '\n' + json.dumps(r['headers'], ensure_ascii=False) + '\n' + r['body'])
        variants_of = lambda s: {s, s.lower(), s.upper(), urllib.parse.quote(s), urllib.parse.quote_plus(s),
                                 json.dumps(s)[1:-1], base64.b64encode(s.encode()).decode()[:-4]}
        lowered = haystack.lower()
        decoded = urllib.parse.unquote_plus(haystack).lower()
        for secret in secrets:
            if any(v and (v in haystack or v.lower() in lowered) for v in variants_of(secret)) or secret.lower() in decoded:
                found.append((r, secret))
    return found


class DoctorPage(Page):
    def open(self):
        self.driver.get(self.base + '/doctor/')
        wait_for(lambda: self.by_id('signin').is_displayed(), 10, 'the sign-in form')

    def error(self, field):
        return self.by_id(f'{field}-error').text

    def sign_in(self, token, genesis_file, key_file):
        self.by_id('token').clear()
        self.by_id('token').send_keys(token)
        self.by_id('genesis').send_keys(genesis_file)
        self.by_id('pseudonym-key').send_keys(key_file)
        self.by_id('signin-button').click()

    def fill_visit(self, name, id_, time_text, diagnosis, fhir_file=None):
        # Set as values (send_keys would turn a tab into a focus change).
        for field, value in (('name', name), ('id', id_), ('time', time_text), ('diagnosis', diagnosis)):
            self.driver.execute_script('arguments[0].value = arguments[1];', self.by_id(field), value)
        self.driver.execute_script("arguments[0].value = '';", self.by_id('fhir'))
        if fhir_file:
            self.by_id('fhir').send_keys(fhir_file)
        self.by_id('submit-button').click()


# N records sealed and posted by the page's modules; the milliseconds of each (seal + post).
BENCH_SCRIPT = r"""
const [token, genesisText, keyText, count, done] = arguments;
(async () => {
  const session = await import('/doctor/session.js');
  const sealMod = await import('/doctor/seal.js');
  const s = await session.signIn(token, genesisText, keyText);
  const times = [];
  for (let i = 0; i < count; i++) {
    const visit = {name: `Bench Patient ${i}`, id: `B-${i}`, time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
                   diagnosis: `benchmark visit ${i}`, fhirBytes: null};
    const t0 = performance.now();
    const sealed = await session.sealVisit(s, visit);
    await session.postRecord(s, sealed.record);
    times.push(performance.now() - t0);
  }
  // The key check alone (fetch + chain check), then sealing alone with the checked key.
  const check = [];
  const seal = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const key = s.trustees ? await session.trustedAccessKey(s) : await session.trustedEnvelopeKey(s);
    check.push(performance.now() - t0);
    const padded = new Uint8Array(1024);
    const serial = crypto.getRandomValues(new Uint8Array(32));
    const t1 = performance.now();
    if (s.trustees) await sealMod.sealV2(padded, serial, key.accessKey, key.keyId);
    else await sealMod.sealV1(padded, serial, key.spki, key.keyId);
    seal.push(performance.now() - t1);
  }
  return {total: times, check, seal};
})().then(done, (e) => done({error: e.message}));
"""


def run_vectors_in_page(page, source_dir):
    """Every vector file against the page's own modules (page_vectors.py)."""
    page.driver.set_script_timeout(60)
    for check in page_vectors.CHECKS:
        result = page_vectors.run_in_page(page.driver, source_dir, check)
        expect(result['cases'] >= check.min_cases, f"{check.file} holds too few cases ({result['cases']})")
        expect(not result['failures'], f'the page disagrees with {check.file}:\n  ' + '\n  '.join(result['failures']))
        print('  ' + check.summary.format(result['cases']))
        if result.get('timings'):
            print('  ' + ', '.join(f'{k} {v:.1f}' for k, v in result['timings'].items()) + ' (performance.now(), median of 5)')


def check_lying_node(proxy, liar, sign_in, patient, visit_time, refusals, what, shot):
    """The page signed in through the lying proxy (`liar`, with sign_in = (token, genesis file,
    key file)): for each (proxy mode, expected refusal), a visit of `patient` is refused with that
    line beside the form (the first one photographed as `shot`); nothing reaches POST /v1/records."""
    liar.open()
    liar.sign_in(*sign_in)
    wait_for(lambda: liar.by_id('visit-section').is_displayed(), 10, 'the visit form through the lying node')
    for mode, expected in refusals:
        proxy.mode = mode
        liar.driver.execute_script("document.getElementById('form-error').textContent = '';")
        liar.fill_visit(patient['name'], patient['id'], visit_time, patient['diagnosis'])
        message = wait_for(lambda: liar.error('form'), 30, f'the refusal of the forged {what} ({mode})')
        expect(message.startswith(expected), f'{mode}: unexpected message: {message}')
        if mode == refusals[0][0]:
            liar.shot(shot)
        print(f'  {mode}: refused: {message}')
    expect(not any(p.startswith('/v1/records') for p in proxy.posted), f'a record was posted to the lying node: {proxy.posted}')


def check_form_errors(page, fhir_patient_file):
    cases = [
        # (name, id, time, diagnosis, fhir file, field, expected message)
        ('  \t ', 'X1', '2026-11-24T09:30:00Z', 'flu', None, 'name', 'name is empty'),
        ('Ada', '9' * 129, '2026-11-24T09:30:00Z', 'flu', None, 'id', 'id is longer than 128 bytes'),
        ('Ada', 'X1', '24/11/2026 09:30', 'flu', None, 'time', 'visit time must be RFC 3339, e.g. 2026-11-24T09:30:00Z'),
        ('Ada', 'X1', '2026-02-30T09:30:00Z', 'flu', None, 'time', 'visit time has an out-of-range field: 2026-02-30T09:30:00Z'),
        ('Ada', 'X1', '2026-11-24T09:30:00Z', '', None, 'diagnosis', 'diagnosis is empty'),
        ('Ada', 'X1', '2026-11-24T09:30:00Z', 'flu', fhir_patient_file, 'fhir',
         'FHIR document: Patient is a Patient resource, which identifies a person or institution (not allowed in a visit)'),
    ]
    for name, id_, time_text, diagnosis, fhir, field, message in cases:
        page.fill_visit(name, id_, time_text, diagnosis, fhir)
        wait_for(lambda: page.error(field) == message, 5, f'"{message}" beside {field} (shown: "{page.error(field)}")')
        others = [f for f in ('name', 'id', 'time', 'diagnosis', 'fhir', 'form') if f != field and page.error(f)]
        expect(not others, f'errors shown beside other fields too: {others}')
        expect(page.by_id('submissions-section').is_displayed() is False, 'a refused visit was submitted')
    # Several bad fields at once: each error beside its own field.
    page.fill_visit('', '', 'now', '', None)
    wait_for(lambda: page.error('name') == 'name is empty' and page.error('id') == 'id is empty' and
             page.error('time').startswith('visit time must be RFC 3339'), 5, 'an error beside each of three fields')
    page.shot('doctor-form-errors')
    print(f'  {len(cases) + 1} bad inputs refused beside their fields')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bin', required=True, help='the build tree bin/ with hc and hc-node')
    parser.add_argument('--source', required=True, help='the source tree (for the shared vectors)')
    parser.add_argument('--out', required=True, help='directory for the screenshots')
    parser.add_argument('--bench', type=int, default=0, help='also time N records in the page and with hc')
    parser.add_argument('--part', choices=('all', 'trustees'), default='all',
                        help='trustees: only the trustees-mode cluster (when working on it)')
    args = parser.parse_args()
    hc, work = prepare(args, 'hc-web-test-')
    cluster = driver = proxy = None
    try:
        if args.part == 'trustees':
            trustees_part(args, hc, work)
            print('PASS')
            return 0
        print('starting a 4-node cluster (single-manager mode)')
        cluster = Cluster(hc, os.path.join(work, 'cluster'))
        node = cluster.nodes[0]
        doctor_token_file = os.path.join(work, 'dr-ada.token')
        cluster.run('hospital', 'doctor', 'add', 'dr.ada', '--node', node['api_url'], '--admin-token-file',
                    cluster.path('nodes', node['name'], 'admin.token'), '--genesis', cluster.path('genesis.json'),
                    '--out', doctor_token_file)
        with open(doctor_token_file) as f:
            token = f.read().strip()
        genesis_file, key_file = cluster.path('genesis.json'), cluster.path('manager', 'pseudonym.key')
        other_genesis_file = os.path.join(work, 'other-genesis.json')  # the same chain name, one field changed
        with open(genesis_file) as f:
            other_genesis = json.load(f)
        other_genesis['genesis_time_ms'] += 1
        with open(other_genesis_file, 'w') as f:
            json.dump(other_genesis, f)
        wrong_key_file = os.path.join(work, 'wrong.key')
        with open(wrong_key_file, 'w') as f:
            f.write('ab' * 32 + '\n')
        fhir_file = os.path.join(work, 'observation.json')
        with open(fhir_file, 'w') as f:
            json.dump(FHIR, f, indent=2)
        fhir_patient_file = os.path.join(work, 'patient.json')
        with open(fhir_patient_file, 'w') as f:
            json.dump({'resourceType': 'Patient', 'id': 'p1'}, f)

        ca_pems = cluster.tls_ca_pems()
        driver = start_browser(ca_pems, window=WINDOW)
        network = NetworkLog(driver)
        page = DoctorPage(driver, node['api_url'].rstrip('/'), args.out)
        page.open()
        page.shot('doctor-sign-in')

        print('sign-in refusals')
        page.sign_in('not-a-token', genesis_file, key_file)
        wait_for(lambda: page.error('token') == 'the node does not know this token', 10, 'the unknown-token error')
        page.open()
        page.sign_in(token, other_genesis_file, key_file)
        wait_for(lambda: 'has another genesis than this file' in page.error('genesis'), 10, 'the other-genesis error')
        page.open()
        page.sign_in(token, genesis_file, wrong_key_file)
        wait_for(lambda: page.error('pseudonym-key').startswith('this file is not the pseudonym key of chain'), 10,
                 'the wrong-key error')
        page.open()
        page.sign_in(token, genesis_file, key_file)
        wait_for(lambda: page.by_id('visit-section').is_displayed(), 10, 'the visit form after signing in')
        expect('dr.ada' in page.by_id('who').text, 'the page does not name the signed-in doctor')
        expect('(single-manager mode)' in page.by_id('who').text, f"the page does not say the chain's mode: {page.by_id('who').text}")
        expect(driver.execute_script('return document.cookie') == '', 'the page set a cookie')
        expect(driver.execute_script('return localStorage.length + sessionStorage.length') == 0, 'the page used web storage')
        default_time = page.by_id('time').get_attribute('value')
        expect(default_time.endswith('Z') and len(default_time) == 20, f'the time does not default to now: {default_time}')

        print('shared vectors in the page')
        run_vectors_in_page(page, args.source)

        print('form errors')
        check_form_errors(page, fhir_patient_file)

        print('a visit with a FHIR file')
        visit_time = '2026-11-29T08:15:00Z'
        page.fill_visit(PATIENT['name'], PATIENT['id'], visit_time, PATIENT['diagnosis'], fhir_file)
        wait_for(lambda: page.by_id('submissions-section').is_displayed(), 60, 'the submission in the list')
        page.shot('doctor-submitted')
        started = time.time()
        status = wait_for(lambda: (lambda t: t if t.startswith('committed at height') else None)(
            page.driver.find_element('css selector', '#submissions tbody tr td:last-child').text), 120, 'the commit')
        print(f'  {status} ({time.time() - started:.1f} s after the post)')
        page.shot('doctor-committed')
        expect(page.by_id('name').get_attribute('value') == '', 'the form kept the patient name after submitting')

        patient_file = write_patient_file(os.path.join(work, 'ada.patient'), PATIENT)
        history = manager_retrieve(cluster, patient_file, 'browser test: the visit recorded from the page')
        visits = history.get('visits', [])
        expect(len(visits) == 1, f'hc manager retrieve found {len(visits)} visits, expected 1: {history}')
        v = visits[0]
        expect(v['time'] == visit_time, f"retrieved time {v['time']}")
        expect(v['diagnosis'] == PATIENT['diagnosis'], f"retrieved diagnosis {v['diagnosis']!r}")
        expect(v.get('fhir') == FHIR, f"retrieved FHIR {v.get('fhir')}")
        expect(v['hospital'] == node['name'], f"retrieved hospital {v['hospital']}, expected {node['name']}")
        print(f"  hc manager retrieve: the same visit, signed by {v['hospital']}")

        print('the network check')
        requests = network.collect()
        posts = [r for r in requests if r['method'] == 'POST' and r['url'].endswith('/v1/records')]
        expect(len(posts) >= 1, 'the performance log shows no POST /v1/records: the capture is not working')
        expect(any('"ciphertext"' in (r['body'] or '') for r in posts), 'the captured POST body is not the sealed record')
        secrets = [PATIENT['name'], PATIENT['id'], PATIENT['diagnosis']]
        found = leaks(requests, secrets)
        expect(not found, 'the page sent patient data: ' + '; '.join(f"{s!r} in {r['method']} {r['url']}" for r, s in found))
        print(f'  {len(requests)} request events captured, none holds the name, ID or diagnosis')
        # Negative control: the test itself sends the name from the page's context.
        driver.execute_async_script(
            "const [name, done] = arguments; fetch('/v1/status', {method: 'POST', body: JSON.stringify({note: name})})"
            ".then(() => done(), () => done());", PATIENT['name'])
        driver.execute_async_script(
            "const [id, done] = arguments; fetch('/v1/tx/' + encodeURIComponent(id)).then(() => done(), () => done());",
            PATIENT['id'])
        control = leaks(network.collect(), secrets)
        expect({s for _, s in control} == {PATIENT['name'], PATIENT['id']},
               f'the checker missed the negative control: {[(r["url"], s) for r, s in control]}')
        print('  negative control: the checker flags the name sent in a body and the ID sent in a URL')

        print('a lying node')
        proxy = LyingProxy(node['api_url'], ca_pems[0] if ca_pems else None)
        refusals = (('key', "the node's envelope key is not vouched for by the chain: the answered key is not the one the proof publishes"),
                    ('certificate', "the node's envelope key is not vouched for by the chain: node answer does not verify: commit certificate: bad signature"),
                    ('few-signers', "the node's envelope key is not vouched for by the chain: node answer does not verify: commit certificate: too few signatures"))
        check_lying_node(proxy, DoctorPage(driver, proxy.url, args.out), (token, genesis_file, key_file), PATIENT, visit_time,
                         refusals, 'answer', 'doctor-forged-key')

        expect_clean_console(driver)

        if args.bench:
            bench(args.bench, driver, page, cluster, node, token, genesis_file, key_file, work)
        # One cluster at a time on the CI's two cores.
        proxy.close()
        driver.quit()
        cluster.down()
        proxy = driver = cluster = None
        trustees_part(args, hc, work)
        print('PASS')
        return 0
    except Failure as e:
        print(f'FAIL: {e}')
        report_failure(driver, os.path.join(args.out, 'failure.png'))
        return 1
    finally:
        if proxy is not None:
            proxy.close()
        if driver is not None:
            driver.quit()
        if cluster is not None:
            cluster.down()
        shutil.rmtree(work, ignore_errors=True)


def access_key_formed(node, ca_pem):
    import ssl
    context = ssl.create_default_context(cadata=ca_pem) if ca_pem else None
    try:
        with urllib.request.urlopen(node['api_url'].rstrip('/') + '/v1/access-key', timeout=5, context=context) as r:
            return r.status == 200
    except Exception:  # 404 until the DKG has ended, or the node is still starting
        return False


def access_request(cluster, patient_file):
    p = cluster.run('access', 'request', '--dir', cluster.path('manager'), '--node', cluster.nodes[1]['api_url'],
                    '--patient-file', patient_file, '--purpose', 'browser test: the visit sealed to the trustees',
                    '--json', '--timeout', '60')
    return json.loads(p.stdout)


def trustees_part(args, hc, work):
    """A trustees-mode cluster: the page seals version 2 to the access key it recomputed from the
    DKG transcript, the record commits, `hc access request` reads exactly that visit back through
    the trustees; a node lying about the access key makes the page refuse and post nothing."""
    print('starting a 4-node cluster (trustees mode)')
    started = time.time()
    cluster = Cluster(hc, os.path.join(work, 'trustees'), extra=('--access-mode', 'trustees'))
    driver = proxy = None
    try:
        node = cluster.nodes[0]
        with open(node['doctor_token_file']) as f:
            token = f.read().strip()
        genesis_file, key_file = cluster.path('genesis.json'), cluster.path('manager', 'pseudonym.key')
        ca_pems = cluster.tls_ca_pems()
        ca = ca_pems[0] if ca_pems else None
        driver = start_browser(ca_pems, window=WINDOW)
        network = NetworkLog(driver)
        page = DoctorPage(driver, node['api_url'].rstrip('/'), args.out)
        wait_for(lambda: access_key_formed(node, ca), 120, "the trustees' access key to form")
        print(f'  the access key formed {time.time() - started:.1f} s after hc cluster up started')
        page.open()
        page.sign_in(token, genesis_file, key_file)
        wait_for(lambda: page.by_id('visit-section').is_displayed(), 10, 'the visit form after signing in')
        fhir_file = os.path.join(work, 'observation-trustees.json')
        with open(fhir_file, 'w') as f:
            json.dump(FHIR, f)
        visit_time = '2026-11-30T10:45:00Z'
        page.fill_visit(TRUSTEES_PATIENT['name'], TRUSTEES_PATIENT['id'], visit_time, TRUSTEES_PATIENT['diagnosis'], fhir_file)
        wait_for(lambda: page.by_id('submissions-section').is_displayed() or page.error('form'), 60, 'the submission')
        expect(not page.error('form'), f"the page refused to seal on the trustees chain: {page.error('form')}")
        status = wait_for(lambda: (lambda t: t if t.startswith('committed at height') else None)(
            page.driver.find_element('css selector', '#submissions tbody tr td:last-child').text), 120, 'the commit')
        print(f'  sealed to the access key (envelope v2) in the page: {status}')
        expect('trustees mode' in page.by_id('who').text, f"the page does not say the chain's mode: {page.by_id('who').text}")
        sealed_to = page.by_id('form-status').text
        expect(sealed_to.endswith("sealed to the trustees' access key (key epoch 0)"), f'the page does not say what it sealed to: {sealed_to}')
        page.shot('doctor-trustees-committed')

        patient_file = write_patient_file(os.path.join(work, 'tess.patient'), TRUSTEES_PATIENT)
        history = access_request(cluster, patient_file)
        visits = history.get('visits', [])
        expect(len(visits) == 1, f'hc access request found {len(visits)} visits, expected 1: {history}')
        v = visits[0]
        expect(v['time'] == visit_time, f"retrieved time {v['time']}")
        expect(v['diagnosis'] == TRUSTEES_PATIENT['diagnosis'], f"retrieved diagnosis {v['diagnosis']!r}")
        expect(v.get('fhir') == FHIR, f"retrieved FHIR {v.get('fhir')}")
        expect(v['hospital'] == node['name'], f"retrieved hospital {v['hospital']}, expected {node['name']}")
        expect(not history.get('unreadable'), f"unreadable records: {history.get('unreadable')}")
        print(f"  hc access request: the same visit, through the trustees, signed by {v['hospital']}")

        requests = network.collect()
        posts = [r for r in requests if r['method'] == 'POST' and r['url'].endswith('/v1/records')]
        expect(any('"ephemeral_key"' in (r['body'] or '') for r in posts), 'the captured POST body is not a version-2 sealed record')
        found = leaks(requests, [TRUSTEES_PATIENT['name'], TRUSTEES_PATIENT['id'], TRUSTEES_PATIENT['diagnosis']])
        expect(not found, 'the page sent patient data: ' + '; '.join(f"{s!r} in {r['method']} {r['url']}" for r, s in found))
        print(f'  network check: {len(requests)} request events, none holds the name, ID or diagnosis')

        proxy = LyingProxy(node['api_url'], ca, rsa_key=False)
        prefix = "the node's access key is not vouched for by the chain: "
        refusals = (('access-key', prefix + 'the answered key id is not the one the proven transcript forms'),
                    ('altered-deal', prefix + 'node answer does not verify: transaction id does not match its encoding'),
                    ('one-deal', prefix + 'the proven transcript forms no key: only 1 of the 2 needed dealers qualified'),
                    ('deal-as-complaint', prefix + 'a complaint at height '))
        check_lying_node(proxy, DoctorPage(driver, proxy.url, args.out), (token, genesis_file, key_file), TRUSTEES_PATIENT, visit_time,
                         refusals, 'access key answer', 'doctor-trustees-forged-key')
        expect_clean_console(driver)
        if args.bench:
            print(f'benchmark, trustees mode: {args.bench} records sealed (version 2) and posted in the page, then with hc')
            bench_page(args.bench, driver, page, token, genesis_file, key_file, 'page (access key check + seal v2 + POST, performance.now())')
            bench_hc(args.bench, cluster, node, node['doctor_token_file'], genesis_file, key_file, 'hc record submit (process, wall clock)')
    except Failure:
        report_failure(driver, os.path.join(args.out, 'failure-trustees.png'))
        raise
    finally:
        if proxy is not None:
            proxy.close()
        if driver is not None:
            driver.quit()
        cluster.down()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_page(count, driver, page, token, genesis_file, key_file, label):
    """Times `count` records sealed and posted by the page's modules; prints median and p95."""
    page.open()
    with open(genesis_file) as f:
        genesis_text = f.read()
    with open(key_file) as f:
        key_text = f.read()
    driver.set_script_timeout(600)
    result = driver.execute_async_script(BENCH_SCRIPT, token, genesis_text, key_text, count)
    expect(isinstance(result, dict) and 'total' in result, f'the benchmark failed in the page: {result}')
    for part, values in ((label, result['total']), ('  of which the key fetch + chain check alone', result['check']),
                         ('  and sealing alone (1 KiB payload, the key checked)', result['seal'])):
        print(f'  {part}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms over {len(values)}')


def bench_hc(count, cluster, node, token_file, genesis_file, key_file, label):
    """Times `count` runs of `hc record submit` (a process each, wall clock); prints median and p95."""
    hc_ms = []
    for i in range(count):
        visit = f'name: Bench Patient {i}\nid: H-{i}\ntime: 2026-11-29T08:15:00Z\ndiagnosis: benchmark visit {i}\n'
        t0 = time.perf_counter()
        cluster.run('record', 'submit', '--node', node['api_url'], '--token-file', token_file, '--pseudonym-key', key_file,
                    '--genesis', genesis_file, '--visit-file', '-', stdin=visit)
        hc_ms.append((time.perf_counter() - t0) * 1000)
    print(f'  {label}: median {statistics.median(hc_ms):.1f} ms, p95 {percentile(hc_ms, 0.95):.1f} ms over {len(hc_ms)}')


def bench(count, driver, page, cluster, node, token, genesis_file, key_file, work):
    print(f'benchmark: {count} records sealed and posted in the page, then {count} with hc record submit')
    bench_page(count, driver, page, token, genesis_file, key_file, 'page (seal + POST, performance.now())')
    bench_hc(count, cluster, node, os.path.join(work, 'dr-ada.token'), genesis_file, key_file, 'hc record submit (process, wall clock)')


if __name__ == '__main__':
    sys.exit(main())

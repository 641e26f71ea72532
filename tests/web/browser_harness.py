"""What the browser tests of the node's pages share (docs/web.md, "Tests"): the skip rule
(exit 77 when chromium, chromium-driver or python3-selenium is missing), a local consortium
started with `hc cluster up`, headless Chromium trusting the genesis's hospital CAs, and
polling, the page object's basics, the request capture and the failure report. Used by
doctor_page_test.py, explorer_page_test.py and console_page_test.py."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
CHROMEDRIVER = shutil.which('chromedriver') or '/usr/bin/chromedriver'


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def skip(message):
    print(f'SKIP: {message}')
    sys.exit(77)


def check_prerequisites():
    missing = [p for p, path in (('chromium', CHROMIUM), ('chromium-driver', CHROMEDRIVER)) if not os.path.exists(path)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append('python3-selenium')
    if missing:
        skip(f"{', '.join(missing)} not installed for {sys.executable} (bash scripts/setup.sh installs them)")


def prepare(args, prefix):
    """The start of each test's main(): the skip rule, the --out directory, the hc binary in
    --bin and a scratch directory. Returns (hc, work)."""
    check_prerequisites()
    os.makedirs(args.out, exist_ok=True)
    hc = os.path.join(args.bin, 'hc')
    expect(os.access(hc, os.X_OK), f'{hc} is missing: build the hc and hc-node targets')
    return hc, tempfile.mkdtemp(prefix=prefix)


def wait_for(predicate, timeout_s, what):
    """Polls `predicate` until it returns a true value. An element the page re-rendered between
    finding it and reading it (StaleElementReferenceException) counts as not yet: the page
    redraws its lists as their state changes, so a poll can catch the old node."""
    from selenium.common.exceptions import StaleElementReferenceException
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            value = predicate()
        except StaleElementReferenceException:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise Failure(f'timed out after {timeout_s} s waiting for {what}')


class Cluster:
    """A local consortium (`hc cluster up --nodes N`), stopped by down()."""

    def __init__(self, hc, directory, nodes=4, extra=()):
        self.hc, self.dir = hc, directory
        self.env = dict(os.environ, HC_PASSPHRASE='web-test-passphrase-not-secret')
        self.run('cluster', 'up', '--nodes', str(nodes), '--dir', self.dir, *extra)
        with open(os.path.join(self.dir, 'cluster.json')) as f:
            self.nodes = json.load(f)['nodes']

    def run(self, *args, stdin=None, check=True):
        p = subprocess.run([self.hc, *args], input=stdin, capture_output=True, text=True, env=self.env, timeout=240)
        if check and p.returncode != 0:
            raise Failure(f"hc {' '.join(args[:3])} failed ({p.returncode}): {p.stderr.strip()}")
        return p

    def down(self):
        subprocess.run([self.hc, 'cluster', 'down', '--dir', self.dir], capture_output=True, env=self.env, timeout=120)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def tls_ca_pems(self):
        with open(self.path('genesis.json')) as f:
            return [r['tls_ca_certificate'] for r in json.load(f)['replicas'] if 'tls_ca_certificate' in r]


def write_patient_file(path, patient):
    """A patient file ({name, id}) for hc serial, hc manager retrieve and hc access request."""
    with open(path, 'w') as f:
        json.dump({'name': patient['name'], 'id': patient['id']}, f)
    return path


def submit_record(cluster, node, patient, visit_time, fhir_file=None):
    """`hc record submit --wait` of a visit of `patient` (with the FHIR resource in `fhir_file`,
    if given) through `node` with its doctor token: (transaction id, height) it committed at."""
    visit = f"name: {patient['name']}\nid: {patient['id']}\ntime: {visit_time}\ndiagnosis: {patient['diagnosis']}\n"
    if fhir_file:
        visit += f"fhir: {fhir_file}\n"
    p = cluster.run('record', 'submit', '--node', node['api_url'], '--token-file', cluster.path('nodes', node['name'], 'doctor.token'),
                    '--pseudonym-key', cluster.path('manager', 'pseudonym.key'), '--genesis', cluster.path('genesis.json'),
                    '--visit-file', '-', '--wait', stdin=visit)
    m = re.search(r'committed: transaction ([0-9a-f]{64}) at height (\d+)', p.stdout)
    expect(m, f'hc record submit said: {p.stdout.strip()}')
    return m.group(1), int(m.group(2))


def serial_of(cluster, patient_file):
    """The patient's serial as `hc serial` computes it."""
    p = cluster.run('serial', '--pseudonym-key', cluster.path('manager', 'pseudonym.key'), '--genesis',
                    cluster.path('genesis.json'), '--patient-file', patient_file)
    return p.stdout.strip()


def manager_retrieve(cluster, patient_file, purpose):
    """`hc manager retrieve --json` of the patient's history through node 1 (which also commits an
    access audit entry with this purpose)."""
    p = cluster.run('manager', 'retrieve', '--dir', cluster.path('manager'), '--node', cluster.nodes[1]['api_url'],
                    '--patient-file', patient_file, '--purpose', purpose, '--json')
    return json.loads(p.stdout)


def spki_sha256(public_key):
    """SHA-256 of a public key's DER SubjectPublicKeyInfo (bytes)."""
    from cryptography.hazmat.primitives import hashes, serialization
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return digest.finalize()


def spki_sha256_base64(pem):
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(pem.encode())
    return base64.b64encode(spki_sha256(cert.public_key())).decode()


def start_browser(trusted_ca_pems, window='1200,1400'):
    """Headless Chromium that trusts exactly the hospitals' TLS CAs of the genesis (by their
    public keys' hashes, as a hospital's IT would install the CA in the browser's trust store),
    with the DevTools performance log (network events) and the console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', f'--window-size={window}',
                 '--disable-gpu', '--no-first-run', '--disable-extensions', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--disable-default-apps'):
        options.add_argument(flag)
    if trusted_ca_pems:
        pins = ','.join(spki_sha256_base64(pem) for pem in trusted_ca_pems)
        options.add_argument(f'--ignore-certificate-errors-spki-list={pins}')
    options.set_capability('goog:loggingPrefs', {'performance': 'ALL', 'browser': 'ALL'})
    options.add_experimental_option('perfLoggingPrefs', {'enableNetwork': True, 'enablePage': False})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class NetworkLog:
    """Every request the browser made, from the DevTools Protocol's Network events in the
    performance log (URL, headers and body of each). Each collect() reads the events logged
    since the last one and returns all collected so far."""

    def __init__(self, driver):
        self.driver = driver
        self.requests = []

    def collect(self):
        for entry in self.driver.get_log('performance'):
            message = json.loads(entry['message'])['message']
            method = message.get('method', '')
            if not method.startswith('Network.requestWillBeSent'):
                continue
            params = message.get('params', {})
            request = params.get('request', {})
            body = request.get('postData', '')
            if request.get('hasPostData') and not body:
                try:
                    body = self.driver.execute_cdp_cmd('Network.getRequestPostData', {'requestId': params['requestId']})['postData']
                except Exception:  # the body could not be read: counted as unchecked, which fails the test
                    body = None
            self.requests.append({'event': method, 'url': request.get('url', ''), 'headers': params.get('headers') or request.get('headers', {}),
                                  'body': body, 'method': request.get('method', '')})
        return self.requests


def requests_made(driver):
    """[{method, url, headers, ...}] of every request in the performance log since the last call
    (the Network.requestWillBeSent events only, not their ExtraInfo companions)."""
    return [r for r in NetworkLog(driver).collect() if r['event'] == 'Network.requestWillBeSent']


def expect_clean_console(driver):
    """The page ran under its Content-Security-Policy without a violation or an uncaught error."""
    console = [e.get('message', '') for e in driver.get_log('browser')]
    bad = [m for m in console if 'Content Security Policy' in m or 'Uncaught' in m]
    expect(not bad, f'the browser console reports: {bad}')


def report_failure(driver, screenshot_path):
    """After a failure: a screenshot of the page and the browser console's last lines."""
    if driver is None:
        return
    try:
        driver.save_screenshot(screenshot_path)
        for entry in driver.get_log('browser')[-20:]:
            print('  browser:', entry.get('message'))
    except Exception:
        pass


class Page:
    """A page of the node (or the console) in the browser: elements by id, screenshots to --out."""

    def __init__(self, driver, base_url, out_dir):
        self.driver, self.base, self.out = driver, base_url, out_dir

    def by_id(self, element_id):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.ID, element_id)

    def shot(self, name):
        path = os.path.join(self.out, f'{name}.png')
        self.driver.save_screenshot(path)
        print(f'  screenshot {path}')

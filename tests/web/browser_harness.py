"""What the browser tests of the node's pages share (docs/web.md, "Tests"): the skip rule
(exit 77 when chromium, chromium-driver or python3-selenium is missing), a local consortium
started with `hc cluster up`, headless Chromium trusting the genesis's hospital CAs, and
polling. Used by explorer_page_test.py."""
import base64
import json
import os
import shutil
import subprocess
import sys
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


def wait_for(predicate, timeout_s, what):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        value = predicate()
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


def spki_sha256_base64(pem):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    cert = x509.load_pem_x509_certificate(pem.encode())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return base64.b64encode(digest.finalize()).decode()


def start_browser(trusted_ca_pems, window='1200,1400'):
    """Headless Chromium that trusts exactly the hospitals' TLS CAs of the genesis (by their
    public keys' hashes), with the DevTools performance log (network events) and the console."""
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


def requests_made(driver):
    """[{method, url, headers}] of every request in the performance log since the last call."""
    out = []
    for entry in driver.get_log('performance'):
        message = json.loads(entry['message'])['message']
        if message.get('method') != 'Network.requestWillBeSent':
            continue
        request = message.get('params', {}).get('request', {})
        out.append({'method': request.get('method', ''), 'url': request.get('url', ''), 'headers': request.get('headers', {})})
    return out

#!/usr/bin/env python3
"""The doctors' page after a hospital joined (issue 16; docs/web.md, "Following membership
changes"), against a real local consortium: `hc cluster up --plain-http` (4 nodes), `hc cluster
add-node` (a fifth hospital, returned once its change is in force, past the boundary), then a
new envelope key rotated and published in a block above the boundary, so its commit
certificate is signed by the new configuration (number 1, the joined hospital among the
members). A doctor signs in to the page, records a visit and the page must seal it to that
key and see it committed: the page verifies the membership change from the genesis first.
The page's modules are served from --web (default: this checkout's web/) by a proxy in front
of node 0 that forwards every other request, so the same run shows what another checkout's
JavaScript does (--web OTHER/web --expect-refusal: the page before it followed the changes
refused the key with "commit certificate: bad signature").

Not in CI (a cluster join takes a minute or more; the page's checks are covered in CI by
tests/vectors/change_history.json in web_doctor_page_test). Exit status: 0 pass, 1 fail, 77
skipped (chromium, chromium-driver or python3-selenium missing).

  /usr/bin/python3 tests/web/doctor_join_flow.py --bin build/release/bin --out /tmp/shots [--web DIR] [--expect-refusal]
"""
import argparse
import http.client
import http.server
import json
import mimetypes
import os
import shutil
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_harness import Cluster, Failure, expect, prepare, report_failure, start_browser, wait_for  # noqa: E402
from doctor_page_test import DoctorPage  # noqa: E402

PATIENT = {'name': 'Iona Merrow Castell', 'id': 'IM-4410-QT', 'diagnosis': 'Sinusitis kappa-2207, saline rinse'}


class PageProxy:
    """Serves GET /doctor/<file> from `web_dir`/doctor and forwards everything else to the node."""

    def __init__(self, node_url, web_dir):
        upstream = urllib.parse.urlparse(node_url)
        doctor_dir = os.path.realpath(os.path.join(web_dir, 'doctor'))

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, headers, data):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def serve_file(self):
                name = self.path.split('?')[0][len('/doctor/'):] or 'index.html'
                path = os.path.realpath(os.path.join(doctor_dir, name))
                if not path.startswith(doctor_dir + os.sep) or not os.path.isfile(path):
                    return self.reply(404, [], b'')
                with open(path, 'rb') as f:
                    data = f.read()
                kind = 'text/javascript' if path.endswith('.js') else mimetypes.guess_type(path)[0] or 'application/octet-stream'
                self.reply(200, [('Content-Type', kind), ('Cache-Control', 'no-store')], data)

            def forward(self):
                if self.command == 'GET' and self.path.startswith('/doctor/'):
                    return self.serve_file()
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                kept = [(k, v) for k, v in answer.getheaders()
                        if k.lower() not in ('content-length', 'connection', 'transfer-encoding', 'server', 'date')]
                self.reply(answer.status, kept, data)

            do_GET = forward
            do_POST = forward

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bin', required=True, help='the build tree bin/ with hc and hc-node')
    parser.add_argument('--out', required=True, help='directory for the screenshots')
    parser.add_argument('--web', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'web'),
                        help="the web/ directory whose doctors' page to serve (default: this checkout's)")
    parser.add_argument('--expect-refusal', action='store_true',
                        help='expect the page to refuse the key (a page that does not follow the changes)')
    args = parser.parse_args()
    hc, work = prepare(args, 'hc-join-flow-')
    cluster = driver = proxy = None
    started = time.time()
    try:
        cluster = Cluster(hc, os.path.join(work, 'cluster'), extra=('--plain-http',))
        node = cluster.nodes[0]
        api = node['api_url'].rstrip('/')
        print(f'4-node cluster up ({time.time() - started:.0f} s)')
        cluster.run('cluster', 'add-node', '--dir', cluster.dir)
        changes = get_json(api + '/v1/consortium')['changes']
        expect(len(changes) == 1, f'expected one accepted change: {changes}')
        accepted = changes[0]['accepted_at_height']
        boundary = (accepted + 15) // 16 * 16 + 64
        print(f'a fifth hospital joined: accepted at height {accepted}, in force above {boundary} ({time.time() - started:.0f} s)')
        cluster.run('manager', 'rotate-key', '--dir', cluster.path('manager'))
        cluster.run('manager', 'publish-key', '--dir', cluster.path('manager'), '--node', node['api_url'])
        key = wait_for(lambda: (lambda k: k if k['height'] > boundary else None)(get_json(api + '/v1/envelope-key')), 60,
                       'the new key published above the boundary')
        print(f"a new envelope key published at height {key['height']}, above the boundary")

        proxy = PageProxy(node['api_url'], args.web)
        driver = start_browser([])
        page = DoctorPage(driver, proxy.url, args.out)
        page.open()
        with open(node['doctor_token_file']) as f:
            token = f.read().strip()
        page.sign_in(token, cluster.path('genesis.json'), cluster.path('manager', 'pseudonym.key'))
        wait_for(lambda: page.by_id('visit-section').is_displayed(), 10, 'the visit form after signing in')
        t0 = time.time()
        page.fill_visit(PATIENT['name'], PATIENT['id'], '2026-11-30T23:30:00Z', PATIENT['diagnosis'])
        wait_for(lambda: page.by_id('submissions-section').is_displayed() or page.error('form'), 60, 'the submission')
        refusal = page.error('form')
        if args.expect_refusal:
            expect(refusal, 'the page sealed to the key although it was expected to refuse it')
            print(f'  refused, as expected of this page: {refusal}')
        else:
            expect(not refusal, f'the page refused the key published above the boundary: {refusal}')
            status = wait_for(lambda: (lambda t: t if t.startswith('committed at height') else None)(
                page.driver.find_element('css selector', '#submissions tbody tr td:last-child').text), 120, 'the commit')
            print(f'  the page checked the key (following the change), sealed and posted: {status} '
                  f'({time.time() - t0:.1f} s from the click)')
        page.shot('doctor-after-join')
        print(f'PASS ({time.time() - started:.0f} s in all)')
        return 0
    except Failure as e:
        print(f'FAIL: {e}')
        report_failure(driver, os.path.join(args.out, 'failure-join-flow.png'))
        return 1
    finally:
        if proxy is not None:
            proxy.close()
        if driver is not None:
            driver.quit()
        if cluster is not None:
            cluster.down()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""The access console's first page (`hc console`, web/console/, docs/web.md "The access
console") in a real browser: headless Chromium driven by Selenium, against a real local
consortium (`hc cluster up`, single-manager mode, HTTPS).

1. Records of a patient submitted with `hc record submit` and an audit entry from `hc manager
   retrieve`; `hc console` started with the reader's token and the pseudonym key.
2. The page finds the patient by name and ID: the serial `hc serial` computes, and the records
   and the audit entry at the heights they committed at.
3. A bad name is refused beside its field; every request of the page went to the console on
   127.0.0.1, none to the node; the console refuses another Host and a find without the
   session token.
Screenshots go to --out.

Exit status: 0 pass, 1 fail, 77 skipped because chromium, chromium-driver or python3-selenium is
not installed (CTest's SKIP_RETURN_CODE: reported as skipped, never as passed).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_harness import (Cluster, Failure, expect, expect_clean_console, manager_retrieve, prepare, report_failure,  # noqa: E402
                             requests_made, serial_of, start_browser, submit_record, wait_for, write_patient_file)

PATIENT = {'name': 'Rosalind Elsie Franklinova', 'id': 'RF-5120-JX', 'diagnosis': 'Pneumonia psi-3381, azithromycin'}
OTHER = {'name': 'Barbara McClintocka', 'id': 'BM-7702-TT', 'diagnosis': 'Sprain sigma-1180'}


def start_console(cluster, node):
    console = subprocess.Popen([cluster.hc, 'console', '--node', node['api_url'], '--genesis', cluster.path('genesis.json'),
                                '--pseudonym-key', cluster.path('manager', 'pseudonym.key'),
                                '--reader-token-file', cluster.path('manager', 'reader.token')],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cluster.env)
    line = console.stdout.readline()
    m = re.match(r'console at (http://127\.0\.0\.1:(\d+)/console/)', line)
    if not m:
        console.kill()
        raise Failure(f'hc console printed {line!r}: {console.stderr.read()[:500]}')
    return console, m.group(1), int(m.group(2))


def raw_request(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bin', required=True, help='the build tree bin/ with hc and hc-node')
    parser.add_argument('--out', required=True, help='directory for the screenshots')
    args = parser.parse_args()
    hc, work = prepare(args, 'hc-console-test-')
    cluster = driver = console = None
    try:
        print('starting a 4-node cluster (single-manager mode)')
        cluster = Cluster(hc, os.path.join(work, 'cluster'))
        first = submit_record(cluster, cluster.nodes[0], PATIENT, '2026-11-20T08:00:00Z')
        submit_record(cluster, cluster.nodes[1], OTHER, '2026-11-21T08:00:00Z')
        second = submit_record(cluster, cluster.nodes[2], PATIENT, '2026-11-22T08:00:00Z')
        patient_file = write_patient_file(os.path.join(work, 'rosalind.patient'), PATIENT)
        serial = serial_of(cluster, patient_file)
        manager_retrieve(cluster, patient_file, 'console test: follow-up')
        print(f'  records at heights {first[1]} and {second[1]}, an audit entry after them')

        print('hc console')
        console, url, port = start_console(cluster, cluster.nodes[3])
        driver = start_browser(cluster.tls_ca_pems())
        driver.get(url)
        wait_for(lambda: driver.find_element('id', 'chain').text.startswith('chain '), 10, 'the session')

        print('find a patient')
        def find(name, id_):
            driver.execute_script("document.getElementById('name').value = arguments[0];"
                                  "document.getElementById('id').value = arguments[1];"
                                  "for (const f of ['name', 'id', 'form']) document.getElementById(f + '-error').textContent = '';",
                                  name, id_)
            driver.find_element('id', 'find-button').click()
        find('', PATIENT['id'])
        wait_for(lambda: driver.find_element('id', 'name-error').text == 'name is empty', 10, 'the error beside the name')
        find(PATIENT['name'].upper(), PATIENT['id'])
        wait_for(lambda: driver.find_element('id', 'records-section').is_displayed(), 20, 'the records')
        rows = driver.execute_script(
            "return [...document.querySelectorAll('#records tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))")
        kinds = [r[2] for r in rows]
        heights = [int(r[0]) for r in rows]
        expect(kinds == ['record', 'record', 'access_audit'], f'found {kinds}')
        expect(heights[:2] == [first[1], second[1]] and heights[2] > second[1], f'heights {heights}')
        expect(rows[0][4] == first[0] and rows[1][4] == second[0], 'the transaction ids differ from hc record submit')
        expect(serial in driver.find_element('id', 'serial').text, 'the page shows another serial than hc serial')
        expect('console test: follow-up' in rows[2][3], f'the audit entry lacks its purpose: {rows[2]}')
        driver.save_screenshot(os.path.join(args.out, 'console.png'))
        print(f"  {len(rows)} items: {', '.join(f'{k} at {h}' for k, h in zip(kinds, heights))}")

        print('where the page sent the name')
        requests = requests_made(driver)
        expect(any(r['method'] == 'POST' for r in requests), 'no POST captured: the capture is not working')
        for r in requests:
            parsed = urllib.parse.urlparse(r['url'])
            expect(parsed.hostname == '127.0.0.1' and parsed.port == port, f"the page asked {r['url']}")
            expect(PATIENT['name'].lower() not in r['url'].lower() and PATIENT['id'].lower() not in r['url'].lower(),
                   f"patient data in a URL: {r['url']}")
        host = {'Host': f'127.0.0.1:{port}', 'Content-Type': 'application/json'}
        body = json.dumps({'name': PATIENT['name'], 'id': PATIENT['id']})
        status, _ = raw_request(port, 'POST', '/console-api/find', host, body)
        expect(status == 403, f'a find without the session token answered {status}')
        status, _ = raw_request(port, 'GET', '/console-api/session', {'Host': f'rebound.example:{port}'})
        expect(status == 403, f'another Host answered {status}')
        expect_clean_console(driver)
        print(f'  {len(requests)} requests, all to the console on 127.0.0.1:{port}; a tokenless find and another Host refused')

        console.send_signal(signal.SIGTERM)
        expect(console.wait(timeout=10) == 0, 'hc console did not stop cleanly on SIGTERM')
        console = None
        print('PASS')
        return 0
    except Failure as e:
        print(f'FAIL: {e}')
        report_failure(driver, os.path.join(args.out, 'console-failure.png'))
        return 1
    finally:
        if driver is not None:
            driver.quit()
        if console is not None:
            console.kill()
            console.wait()
        if cluster is not None:
            cluster.down()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""The public explorer (web/explorer/, docs/web.md "The public explorer") in a real browser:
headless Chromium driven by Selenium, against a real local consortium (`hc cluster up`,
single-manager mode, HTTPS).

1. The explorer opens on a node with no sign-in: the status, the latest blocks, the charts.
2. Records submitted with `hc record submit` appear; a record's block shows its serial, sizes
   and group signature, and the page nowhere shows the patient's name, ID or diagnosis.
3. Lookup by serial finds the patient's records and the access audit entry; by transaction id
   opens its block; bad queries are refused with a message.
4. Escaping: an audit purpose holding markup (`hc manager retrieve --purpose '<script>...'`)
   is shown as text, nothing of it runs; control and bidi characters in a transaction's fields
   (which the ledger refuses, so given to the page's own module as a node's answer) are shown
   as \\u{...} escapes.
5. The charts have data from /metrics (transactions per minute, block commit latency).
6. Every request the page made is a GET of a public route, with no credential; no CSP
   violation or uncaught error in the console.
Screenshots go to --out.

Exit status: 0 pass, 1 fail, 77 skipped because chromium, chromium-driver or python3-selenium is
not installed (CTest's SKIP_RETURN_CODE: reported as skipped, never as passed).
"""
import argparse
import os
import re
import shutil
import ssl
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_harness import (Cluster, Failure, Page, expect, expect_clean_console, manager_retrieve, prepare,  # noqa: E402
                             report_failure, requests_made, serial_of, start_browser, submit_record, wait_for,
                             write_patient_file)

PATIENTS = [
    {'name': 'Grace Brewster Hopperwell', 'id': 'GH-4471-QZ', 'diagnosis': 'Otitis media xi-2207, amoxicillin'},
    {'name': 'Emmy Noetherlin', 'id': 'EN-9038-KV', 'diagnosis': 'Fractured radius omicron-5512, cast'},
]
HOSTILE_PURPOSE = 'explorer test <script>window.__explorerXss = 1</script><img src=x onerror="window.__explorerXss = 2"> & "audit"'

# The page's own modules, given a forged node answer with control and bidi characters (the
# ledger refuses those, so no real transaction can carry them): the card must show escapes.
FORGED_CARD_SCRIPT = r"""
const done = arguments[0];
(async () => {
  const { transactionCard } = await import('/explorer/transactions.js');
  const { visibleText } = await import('/explorer/format.js');
  const tx = { version: '1', kind: 'access_audit', serial: '00'.repeat(32), manager_key_id: '11'.repeat(32),
               timestamp_ms: '1764500000000', purpose: 'bell\u0007 newline\n rtl\u202eevil <b>bold</b>',
               accessor: 'esc\u001b[31mred', manager_signature: '22'.repeat(64) };
  const card = transactionCard(tx, 'ab'.repeat(32), 0);
  return { text: card.textContent, elements: card.querySelectorAll('b, script').length,
           direct: visibleText('a\u0000b\u009fc\u200bd') };
})().then(done, (e) => done({ error: e.message }));
"""

PUBLIC_ROUTE = re.compile(r'^/(explorer/[a-z_]*(\.js|\.css|\.html)?|v1/status|v1/blocks/[0-9]+|v1/tx/[0-9a-f]{64}|metrics|favicon\.ico)$')


class Explorer(Page):
    def css(self, selector):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    # Read and clicked in one script: the page re-renders the latest blocks every 2 s, so an
    # element found by one WebDriver call may be gone by the next.
    def block_rows(self):
        return self.driver.execute_script("return [...document.querySelectorAll('#blocks tbody tr')].map((r) => r.dataset.height)")

    def newest_block_row_text(self):
        return self.driver.execute_script("const r = document.querySelector('#blocks tbody tr'); return r ? r.innerText : ''")

    def open_listed_block(self, height):
        return self.driver.execute_script(
            "const b = document.querySelector(`#blocks button[data-height='${arguments[0]}']`); if (b) b.click(); return !!b;", str(height))

    def serial_hits(self):
        return self.driver.execute_script(
            "return [...document.querySelectorAll('#lookup-results tbody tr')].map((r) => r.cells[2].textContent)")

    def look_up(self, query):
        self.driver.execute_script("document.getElementById('lookup-error').textContent = '';"
                                   "document.getElementById('lookup-status').textContent = '';"
                                   "document.getElementById('block-section').hidden = true;")
        field = self.by_id('lookup-query')
        field.clear()
        field.send_keys(query)
        self.by_id('lookup-button').click()

    def page_text(self):
        return self.driver.execute_script('return document.body.innerText')


def public_metrics(url, ca_pems):
    context = ssl.create_default_context(cadata='\n'.join(ca_pems)) if url.startswith('https') else None
    with urllib.request.urlopen(url.rstrip('/') + '/metrics', context=context, timeout=10) as r:
        return r.read().decode()


def check_no_patient_data(page, what):
    text = page.page_text().lower()
    for p in PATIENTS:
        for field in ('name', 'id', 'diagnosis'):
            expect(p[field].lower() not in text, f"{what}: the page shows the patient's {field}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--bin', required=True, help='the build tree bin/ with hc and hc-node')
    parser.add_argument('--out', required=True, help='directory for the screenshots')
    parser.add_argument('--bench', type=int, default=0,
                        help='load the chain with hc bench for N seconds (20 records/s), then time the serial search in the page')
    parser.add_argument('--extra-records', type=int, default=0,
                        help='submit N more records (spread over the nodes) before the overview screenshot, for a fuller chart')
    args = parser.parse_args()
    hc, work = prepare(args, 'hc-explorer-test-')
    cluster = driver = None
    try:
        print('starting a 4-node cluster (single-manager mode)')
        cluster = Cluster(hc, os.path.join(work, 'cluster'))
        ca_pems = cluster.tls_ca_pems()
        viewer = cluster.nodes[2]  # the explorer is read on a node no record is submitted to
        driver = start_browser(ca_pems)
        page = Explorer(driver, viewer['api_url'].rstrip('/'), args.out)
        driver.get(page.base + '/explorer/')
        wait_for(lambda: 'height' in page.by_id('status').text, 10, 'the status of the node')
        wait_for(lambda: len(page.css('#peers tbody tr')) == 3, 10, 'the three peers')
        expect('What the chain hides' in page.by_id('hidden-note').text, 'the page does not say what the chain hides')

        print('records submitted with hc while the explorer is open')
        time.sleep(2.5)  # a first /metrics sample before the commits, so the charts see them
        submitted = []
        for i, patient in enumerate([PATIENTS[0], PATIENTS[1], PATIENTS[0]]):
            node = cluster.nodes[i % 2]
            submitted.append(submit_record(cluster, node, patient, f'2026-11-2{i + 1}T09:30:00Z'))
        patient_file = write_patient_file(os.path.join(work, 'grace.patient'), PATIENTS[0])
        serial = serial_of(cluster, patient_file)
        expect(re.fullmatch(r'[0-9a-f]{64}', serial), f'hc serial printed {serial!r}')
        history = manager_retrieve(cluster, patient_file, HOSTILE_PURPOSE)
        expect(len(history.get('visits', [])) == 2, f"hc manager retrieve found {len(history.get('visits', []))} visits")
        tip = max(h for _, h in submitted)
        print(f'  3 records committed (last at height {tip}), 1 access audit entry')

        for i in range(args.extra_records):
            submit_record(cluster, cluster.nodes[i % 4], {'name': f'Extra Patient {i}', 'id': f'XP-{i}', 'diagnosis': f'extra visit {i}'},
                          '2026-11-28T10:00:00Z')
            time.sleep(0.5)
        print('the latest blocks')
        wait_for(lambda: any(int(h) > tip for h in page.block_rows()), 20, 'the audit entry block in the latest blocks')
        rows = page.block_rows()
        expect(len(rows) == min(10, int(rows[0])) and rows == sorted(rows, key=int, reverse=True), f'blocks listed: {rows}')
        first = page.newest_block_row_text()
        expect(re.search(r'\(3 of 4\)|\(4 of 4\)', first), f'the newest block row shows no certificate signers: {first}')
        check_no_patient_data(page, 'the overview')
        wait_for(lambda: driver.execute_script(
            "const points = (id) => Number(document.querySelector(`#${id} svg`)?.getAttribute('data-points') || 0);"
            "return points('throughput-chart') > 1 && points('latency-chart') > 0"), 20, 'points in both charts')
        page.shot('explorer')

        print("a record's block")
        tx_id, height = submitted[0]
        if not page.open_listed_block(height):  # no longer among the latest blocks
            page.look_up(str(height))
        wait_for(lambda: page.by_id('block-section').is_displayed() and page.by_id('block-title').text == f'Block {height}', 10,
                 f'block {height}')
        card = page.by_id(f'tx-{tx_id}').text
        for needle in (serial, 'group signature (BBS04)', 'sealed to key id', 'the 1 KiB padding bucket', 'group epoch'):
            expect(needle in card, f'the record card lacks {needle!r}:\n{card}')
        expect(re.search(r'group signature \(BBS04\)\s+\d[\d,]* bytes: \S+\.\.\.\S+', card), f'no abbreviated signature:\n{card}')
        expect('commit certificate signers' in page.by_id('block-header').text, 'the block page shows no certificate')
        check_no_patient_data(page, 'the block page')
        page.shot('explorer-block')

        print('lookup by serial, by transaction id, and bad queries')
        page.look_up(serial)
        wait_for(lambda: page.by_id('lookup-results').is_displayed(), 30, 'the serial search results')
        kinds = page.serial_hits()
        expect(sorted(kinds) == ['access_audit', 'record', 'record'], f'serial lookup found {kinds}')
        page.shot('explorer-serial')
        page.look_up(submitted[1][0])
        wait_for(lambda: page.by_id('block-section').is_displayed() and page.css(f'#tx-{submitted[1][0]}.selected'), 10,
                 'the transaction opened by its id')
        for query, message in (('zz-not-a-query', 'enter a block height'), (str(10 ** 9), 'no block at height 1000000000 yet'),
                               ('ab' * 32, 'no transaction with this id, and none under this serial')):
            page.look_up(query)
            shown = lambda: page.by_id('lookup-error').text + page.by_id('lookup-status').text
            wait_for(lambda: message in shown(), 20, f'the refusal of {query!r} (shown: {shown()!r})')
        print('  serial: 2 records and the audit entry; id: its block; 3 bad queries refused')

        print('escaping')
        page.look_up(serial)
        wait_for(lambda: page.by_id('lookup-results').is_displayed(), 30, 'the serial search results again')
        driver.execute_script("[...document.querySelectorAll('#lookup-results tbody tr')]"
                              ".find((r) => r.cells[2].textContent === 'access_audit').querySelector('button').click()")
        wait_for(lambda: page.css('#transactions .tx.selected[data-kind="access_audit"]'), 10, 'the audit entry')
        audit = page.css('#transactions .tx.selected')[0]
        expect(HOSTILE_PURPOSE in audit.text, f'the purpose is not shown as text:\n{audit.text}')
        expect(not audit.find_elements('css selector', 'script, img, b'), 'the purpose was rendered as markup')
        expect(driver.execute_script('return window.__explorerXss === undefined'), 'the purpose ran as script')
        page.shot('explorer-audit')
        driver.set_script_timeout(20)
        forged = driver.execute_async_script(FORGED_CARD_SCRIPT)
        expect('error' not in forged, f"the page's module failed: {forged}")
        for escape in ('bell\\u{0007}', 'newline\\u{000a}', 'rtl\\u{202e}evil <b>bold</b>', 'esc\\u{001b}[31mred'):
            expect(escape in forged['text'], f'{escape!r} not shown in the forged card: {forged["text"]!r}')
        expect(not re.search('[\x00-\x1f\x7f-\x9f\u202e]', forged['text']), 'a control character reached the page')
        expect(forged['elements'] == 0, 'the forged card built markup from data')
        expect(forged['direct'] == 'a\\u{0000}b\\u{009f}c\\u{200b}d', f"visibleText gave {forged['direct']!r}")
        print('  markup in a purpose shown as text, nothing ran; control and bidi characters shown as escapes')

        print('the charts and the public metrics')
        metrics = public_metrics(viewer['api_url'], ca_pems)
        count = re.search(r'^hc_block_commit_latency_seconds_count (\d+)$', metrics, re.M)
        expect(count and int(count.group(1)) > 0, 'the public /metrics has no block commit latency')
        expect('hc_commit_latency_seconds' not in metrics, 'the operator-only commit latency is public')
        caption = page.by_id('throughput-last').text
        expect(re.match(r'\d+\.\d tx/min', caption), f'throughput caption: {caption!r}')
        expect(re.match(r'\d+\.\d ms', page.by_id('latency-last').text), f"latency caption: {page.by_id('latency-last').text!r}")
        print(f"  {caption}; latency {page.by_id('latency-last').text}; public hc_block_commit_latency_seconds_count {count.group(1)}")

        print('what the page asked the node')
        requests = requests_made(driver)
        expect(len(requests) > 10, f'only {len(requests)} requests captured: the capture is not working')
        for r in requests:
            path = urllib.parse.urlparse(r['url']).path
            expect(r['method'] == 'GET', f"the page sent {r['method']} {r['url']}")
            expect(PUBLIC_ROUTE.match(path), f'the page asked a non-public route: {path}')
            expect(not any(k.lower() in ('authorization', 'cookie') for k in r['headers']), f"a credential in {r['url']}")
        expect(driver.execute_script('return document.cookie') == '', 'the page set a cookie')
        expect_clean_console(driver)
        print(f'  {len(requests)} requests, all GETs of public routes without a credential')
        if args.bench:
            bench(args.bench, cluster, page, serial)
        print('PASS')
        return 0
    except Failure as e:
        print(f'FAIL: {e}')
        report_failure(driver, os.path.join(args.out, 'explorer-failure.png'))
        return 1
    finally:
        if driver is not None:
            driver.quit()
        if cluster is not None:
            cluster.down()
        shutil.rmtree(work, ignore_errors=True)


# The serial search of the page's own module, timed in the page (performance.now()); the app's
# cache then holds only the latest blocks it listed.
SEARCH_SCRIPT = r"""
const [serial, done] = arguments;
(async () => {
  const { lookUp } = await import('/explorer/lookup.js');
  const status = await (await fetch('/v1/status')).json();
  const t0 = performance.now();
  const result = await lookUp(serial, status.height);
  return { ms: performance.now() - t0, blocks: result.to - result.from + 1, hits: result.hits.length };
})().then(done, (e) => done({ error: e.message }));
"""


def bench(seconds, cluster, page, serial):
    print(f'benchmark: hc bench for {seconds} s at 20 records/s, then the serial search in the page (5 runs, each after a reload)')
    cluster.run('bench', '--dir', cluster.dir, '--rate', '20', '--duration', str(seconds), '--csv',
                os.path.join(cluster.dir, 'bench-records.csv'))
    runs = []
    for _ in range(5):
        page.driver.get(page.base + '/explorer/')
        wait_for(lambda: page.block_rows(), 20, 'the latest blocks after a reload')
        page.driver.set_script_timeout(300)
        r = page.driver.execute_async_script(SEARCH_SCRIPT, serial)
        expect('error' not in r, f'the search failed: {r}')
        runs.append(r)
    ms = sorted(r['ms'] for r in runs)
    print(f"  serial search over {runs[-1]['blocks']} blocks ({runs[-1]['hits']} hits): median {ms[2]:.0f} ms, "
          f'min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms')


if __name__ == '__main__':
    sys.exit(main())

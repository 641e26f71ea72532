// One transaction as anyone sees it (docs/ledger.md, the JSON view of GET /v1/blocks/{height}):
// its kind, id and every public field, named for a visitor. Sealed and signed bytes are shown
// by size with an abbreviated prefix (the whole value in the title); texts chosen by people
// (an access purpose, an accessor's or member's name) go through visibleText like everything.
import { abbreviated, base64Bytes, byteCount, element, fact, utcTime, visibleText } from './format.js';

const kMaxListedItems = 16;

// field -> [label, how it is shown]; fields not listed are shown as text under their own name.
const kFields = {
  serial: ['serial (patient pseudonym)', 'hex'],
  key_id: ['sealed to key id', 'hex'],
  envelope_version: ['envelope version', 'text'],
  epoch: ['group epoch', 'text'],
  group_signature: ['group signature (BBS04)', 'base64'],
  ciphertext: ['sealed visit', 'sealed'],
  wrapped_key: ['wrapped AES key (RSA-OAEP)', 'base64'],
  ephemeral_key: ['ephemeral P-256 key', 'base64'],
  nonce: ['AES-GCM nonce', 'base64'],
  manager_key_id: ['manager key id', 'hex'],
  timestamp_ms: ['time', 'time'],
  purpose: ['purpose', 'text'],
  accessor: ['accessor', 'text'],
  asks: ['asks', 'text'],
  chain_id: ['chain id', 'hexshort'],
  key_epoch: ['key epoch', 'text'],
  record_ids: ['record ids', 'hexlist'],
  requester_key: ["requester's one-time key", 'hexshort'],
  request_id: ['answers request', 'hex'],
  trustee: ['trustee', 'text'],
  share_boxes: ['decryption share boxes', 'base64list'],
  partial_openings: ['partial openings', 'openings'],
  dealer: ['dealer', 'text'],
  deal: ['deal', 'base64'],
  opener_deal: ['opener deal', 'base64'],
  complainer: ['complainer', 'text'],
  complaint: ['complaint', 'base64'],
  against: ['against', 'text'],
  spki_der: ['envelope public key (SPKI)', 'base64'],
  new_epoch: ['new group epoch', 'text'],
  record: ['revocation record', 'base64'],
  member_name: ['member', 'text'],
  registry_entry: ['registry entry', 'base64'],
  manager_signature: ['manager signature (Ed25519)', 'hexshort'],
  trustee_signature: ['trustee signature', 'hexshort'],
};

function mono(text, title = '') {
  return element('span', text, { cls: 'mono', title });
}

function shownValue(how, value) {
  if (how === 'hex') return mono(value);
  if (how === 'hexshort') return mono(abbreviated(value), value);
  if (how === 'base64') return mono(`${byteCount(base64Bytes(value))}: ${abbreviated(value)}`, value);
  if (how === 'sealed') {
    const n = base64Bytes(value);
    const bucket = n - 16;  // AES-GCM tag; the plaintext is a padding bucket (docs/record-format.md)
    const kib = bucket % 1024 === 0 ? `, the ${bucket / 1024} KiB padding bucket` : '';
    return mono(`${byteCount(n)} of ciphertext${kib}`, abbreviated(value, 32));
  }
  if (how === 'time') return element('span', utcTime(value));
  if (how === 'hexlist' || how === 'base64list' || how === 'openings') {
    if (!Array.isArray(value)) return element('span', JSON.stringify(value));
    const items = value.slice(0, kMaxListedItems).map((v) => {
      if (how === 'hexlist') return abbreviated(v);
      if (how === 'base64list') return `${byteCount(base64Bytes(v))}`;
      return `${abbreviated(v && v.record_id)}: ${byteCount(base64Bytes(v && v.partial_opening))}`;
    });
    const more = value.length > kMaxListedItems ? `, ${value.length - kMaxListedItems} more` : '';
    return mono(`${value.length}${value.length ? ': ' + items.join(', ') : ''}${more}`);
  }
  return element('span', typeof value === 'string' ? value : JSON.stringify(value));
}

// A card for transaction `index` of a block: <div class="tx"> with a heading and a <dl>.
export function transactionCard(tx, txId, index) {
  const card = element('div', '', { cls: 'tx' });
  card.id = `tx-${txId}`;
  card.dataset.txId = txId;
  card.dataset.kind = String(tx && tx.kind);
  card.appendChild(element('h4', `#${index}: ${tx && tx.kind}`));
  const dl = element('dl', '', { cls: 'facts' });
  fact(dl, 'transaction id', mono(txId));
  const object = tx && typeof tx === 'object' ? tx : {};
  const known = Object.keys(kFields).filter((k) => k in object);
  const others = Object.keys(object).filter((k) => !(k in kFields) && k !== 'kind' && k !== 'version');
  for (const key of known) {
    const [label, how] = kFields[key];
    fact(dl, label, shownValue(how, object[key]));
  }
  for (const key of others) fact(dl, visibleText(key), shownValue('text', object[key]));
  card.appendChild(dl);
  return card;
}

// A FHIR R4 resource shown readably (docs/web.md, "The access console"): its resourceType as a
// heading and each field as "name: value", where a CodeableConcept shows its text or its
// codings' displays, a Quantity its value and unit, a Reference its display or reference, a
// Period its bounds, and anything else its scalars, nested at most kMaxDepth deep. The
// narrative (text.div, XHTML) is never rendered. Built with createElement and textContent only:
// the resource is untrusted data (it came out of a record any hospital of the group could seal).
import { visible } from './format.js';

const kMaxDepth = 4;
const kMaxFields = 60;
const kFirst = ['id', 'status', 'clinicalStatus', 'verificationStatus', 'intent', 'category', 'type', 'criticality',
  'code', 'medicationCodeableConcept', 'valueQuantity', 'valueString', 'valueCodeableConcept', 'subject'];

const kCodingKeys = ['system', 'version', 'code', 'display', 'userSelected'];
function isCoding(v) {
  return Object.keys(v).every((k) => kCodingKeys.includes(k)) && ('code' in v || 'display' in v);
}
function isCodeable(v) { return v && typeof v === 'object' && (Array.isArray(v.coding) || typeof v.text === 'string'); }

function describe(value, depth) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (depth >= kMaxDepth) return '...';
  if (Array.isArray(value)) return value.map((v) => describe(v, depth + 1)).filter((t) => t !== '').join('; ');
  if (isCodeable(value)) {
    if (typeof value.text === 'string' && value.text !== '') return value.text;
    return value.coding.map((c) => describe(c, depth + 1)).join(', ');
  }
  if (isCoding(value)) return String(value.display || value.code);
  if ('value' in value && ('unit' in value || 'code' in value)) return `${value.value} ${value.unit || value.code}`;
  if (typeof value.reference === 'string' || typeof value.display === 'string') return String(value.display || value.reference);
  if ('start' in value || 'end' in value) return `${value.start || '?'} to ${value.end || '?'}`;
  return Object.keys(value).filter((k) => k !== 'div' && k !== 'extension')
    .map((k) => `${k}: ${describe(value[k], depth + 1)}`).join(', ');
}

// A <div class="fhir"> for `resource` (a parsed JSON value); a line saying so when it is not a
// resource object.
export function renderFhir(resource) {
  const box = document.createElement('div');
  box.className = 'fhir';
  const title = document.createElement('p');
  title.className = 'fhir-type';
  if (!resource || typeof resource !== 'object' || Array.isArray(resource) || typeof resource.resourceType !== 'string') {
    title.textContent = 'attached FHIR document: not a resource object';
    box.appendChild(title);
    return box;
  }
  title.textContent = visible(resource.resourceType);
  box.appendChild(title);
  const keys = Object.keys(resource).filter((k) => k !== 'resourceType' && k !== 'text' && k !== 'contained');
  keys.sort((a, b) => {
    const ia = kFirst.indexOf(a), ib = kFirst.indexOf(b);
    return (ia < 0 ? kFirst.length : ia) - (ib < 0 ? kFirst.length : ib);
  });
  const list = document.createElement('dl');
  for (const key of keys.slice(0, kMaxFields)) {
    const dt = document.createElement('dt');
    dt.textContent = visible(key);
    const dd = document.createElement('dd');
    dd.textContent = visible(describe(resource[key], 0));
    list.appendChild(dt);
    list.appendChild(dd);
  }
  box.appendChild(list);
  if (keys.length > kMaxFields) {
    const more = document.createElement('p');
    more.textContent = `${keys.length - kMaxFields} more field(s) not shown`;
    box.appendChild(more);
  }
  return box;
}

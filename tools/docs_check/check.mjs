// Checks the analyst docs against the code and the contracts:
//   node tools/docs_check/check.mjs [--jsonl FILE]
//
// 1. docs/asyncapi.yaml parses and is a valid AsyncAPI 2.6.0 document (the official JSON
//    schema, vendored from @asyncapi/specs 6.11.1, Apache-2.0, see asyncapi-specs.LICENSE),
//    plus Revisit's own rules: every channel has a Kafka topic binding, every message a
//    name, title, summary, contentType application/protobuf, CloudEvents headers, a Kafka
//    key and a payload; every $ref resolves.
// 2. Every ce_type the services emit (string literals passed to Emit/MakeEvent, or staged
//    with events.push_back({"name", ...}), under
//    services/<service>/, tests excluded) follows the naming rule TYPE_RULE
//    (revisit.<service>.<event_snake_case>.v<N>, docs/events.md "Event types"), is
//    documented in the AsyncAPI file and in docs/events.md, and nothing is documented
//    that the code does not emit. Every ce_type spelled out in C++ or shell sources
//    (services/, common/, tests/, tools/: consumers, tests, tools) or in docs/*.md
//    follows the rule too, so no old dotted spelling survives anywhere.
// 3. Every payload message of proto/revisit/*/v1/events.proto has its AsyncAPI message
//    (x-proto-message, ce_dataschema) and is named in docs/events.md; every payload and
//    shared schema lists exactly the proto's fields with the protobuf JSON mapping types.
// 4. With --jsonl FILE (revisit-tail output), every line's data validates against the
//    payload schema of its ce_type.
// 5. docs/rules.md lists every rule ID with at least one enforcing file and one test,
//    each citing the ID (rules.mjs); the README and docs link only inside the
//    repository, to files that exist.
// 6. Every service has the one shape (README, main.cc, config, domain/ store/ edge/) and
//    its domain/ files include only pure headers (shape.mjs).
// Exit 0 with a one-line summary, or 1 with the list of problems.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { readProtos, resolveType, INT64, INT32 } from './proto.mjs';
import { checkRules, checkLinks } from './rules.mjs';
import { checkShape } from './shape.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const require = createRequire(path.join(ROOT, 'tools/node/package.json'));
const yaml = require('js-yaml');
const problems = [];
const fail = (msg) => problems.push(msg);

// ---- 1. the AsyncAPI document ------------------------------------------------------
const ASYNCAPI = path.join(ROOT, 'docs/asyncapi.yaml');
const EVENTS_MD = path.join(ROOT, 'docs/events.md');
let doc = null;
try {
  doc = yaml.load(fs.readFileSync(ASYNCAPI, 'utf8'));
} catch (e) {
  console.error(`docs_check: FAILED\n  - docs/asyncapi.yaml: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
const md = fs.existsSync(EVENTS_MD) ? fs.readFileSync(EVENTS_MD, 'utf8') : (fail('docs/events.md is missing'), '');

let schemaValidated = false;
try {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(HERE, 'asyncapi-2.6.0.schema.json'), 'utf8'));
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors.slice(0, 20)) fail(`AsyncAPI 2.6.0 schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
  schemaValidated = true;
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;  // ajv missing: the checks below still run
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function deref(r) {
  if (!isObj(r) || typeof r.$ref !== 'string') return r;
  if (!r.$ref.startsWith('#/')) return (fail(`external $ref not allowed: ${r.$ref}`), null);
  let v = doc;
  for (const part of r.$ref.slice(2).split('/')) v = isObj(v) ? v[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  if (v === undefined) fail(`unresolved $ref ${r.$ref}`);
  return v ?? null;
}
(function walk(v) {  // every $ref resolves
  if (Array.isArray(v)) v.forEach(walk);
  else if (isObj(v)) { if (typeof v.$ref === 'string') deref(v); Object.values(v).forEach(walk); }
})(doc);

if (doc?.asyncapi !== '2.6.0') fail(`asyncapi: expected "2.6.0", got ${JSON.stringify(doc?.asyncapi)}`);
if (!isObj(doc?.info) || !doc.info.title || !doc.info.version) fail('info.title and info.version are required');
if (!isObj(doc?.servers) || !Object.keys(doc.servers).length) fail('servers: at least one');
for (const [n, s] of Object.entries(doc?.servers ?? {})) {
  if (!s?.url || s?.protocol !== 'kafka') fail(`servers.${n}: needs url and protocol kafka`);
}
const channels = isObj(doc?.channels) ? doc.channels : (fail('channels: missing'), {});
const messages = isObj(doc?.components?.messages) ? doc.components.messages : {};
const schemas = isObj(doc?.components?.schemas) ? doc.components.schemas : {};

const TYPE_RULE = /^revisit\.(order|complaint|loyalty|outreach)\.[a-z][a-z0-9_]*\.v[0-9]+$/;
const documented = new Map();  // ce_type -> {channel, message}
for (const [topic, ch] of Object.entries(channels)) {
  const m = topic.match(/^revisit\.([a-z]+)\.(v1|dlq\.v1)$/);
  if (!m) { fail(`channel ${topic}: not a Revisit topic name`); continue; }
  if (ch?.bindings?.kafka?.topic !== topic) fail(`channel ${topic}: bindings.kafka.topic must be ${topic}`);
  const op = ch.subscribe ?? ch.publish;
  if (!op?.message) { fail(`channel ${topic}: no subscribe/publish message`); continue; }
  const list = op.message.oneOf ?? [op.message];
  for (const ref of list) {
    const msg = deref(ref);
    if (!isObj(msg)) continue;
    const where = `channel ${topic} message ${msg.name ?? ref.$ref}`;
    for (const k of ['name', 'title', 'summary', 'headers', 'payload']) if (!msg[k]) fail(`${where}: ${k} is required`);
    if (msg.contentType !== 'application/protobuf') fail(`${where}: contentType must be application/protobuf`);
    if (!msg.bindings?.kafka?.key) fail(`${where}: bindings.kafka.key (customer ID) is required`);
    if (m[2] === 'dlq.v1') {
      const h = deref(msg.headers);
      for (const k of ['dlq_error', 'dlq_code', 'dlq_attempts', 'dlq_group', 'dlq_original_topic', 'dlq_original_partition', 'dlq_original_offset']) {
        if (!h?.required?.includes(k)) fail(`${where}: header ${k} must be required`);
      }
      continue;
    }
    const ceType = msg['x-ce-type'];
    if (!ceType?.startsWith(`revisit.${m[1]}.`)) fail(`${where}: x-ce-type ${ceType} does not belong to ${topic}`);
    if (msg.name !== ceType) fail(`${where}: name should be the ce_type ${ceType}`);
    const hdr = msg.headers?.allOf ?? [msg.headers];
    const base = deref(hdr[0]);
    for (const k of ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_sequence', 'content-type']) {
      if (!base?.required?.includes(k)) fail(`${where}: header ${k} must be required`);
    }
    const consts = Object.assign({}, ...hdr.map((h) => deref(h)?.properties ?? {}));
    if (consts.ce_type?.const !== ceType) fail(`${where}: headers ce_type const must be ${ceType}`);
    if (consts.ce_dataschema?.const !== `proto:${msg['x-proto-message']}`) fail(`${where}: headers ce_dataschema const must be proto:${msg['x-proto-message']}`);
    if (msg.payload?.$ref !== `#/components/schemas/${msg['x-proto-message']}`) fail(`${where}: payload must $ref the schema ${msg['x-proto-message']}`);
    if (documented.has(ceType)) fail(`${ceType} is documented twice`);
    documented.set(ceType, { topic, msg });
  }
}

// ---- 2. what the code emits --------------------------------------------------------
const emitted = new Map();  // ce_type -> "file:line"
for (const svc of fs.readdirSync(path.join(ROOT, 'services'))) {
  const dir = path.join(ROOT, 'services', svc);
  if (!fs.statSync(dir).isDirectory()) continue;
  // The service folder and its subfolders (domain/ holds the deciders that emit).
  const files = fs.readdirSync(dir, { recursive: true }).map(String);
  for (const f of files) {
    if (!/\.(cc|h)$/.test(f) || /_test\.cc$/.test(f)) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const call = /\b(Emit|MakeEvent)\s*\(/g;
    let c;
    while ((c = call.exec(text))) {
      let depth = 1, i = call.lastIndex;
      for (; i < text.length && depth > 0; ++i) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')') depth--;
      }
      const args = text.slice(call.lastIndex, i - 1);
      for (const lit of args.matchAll(/"([A-Za-z0-9_.\-]+)"/g)) {
        const line = text.slice(0, c.index).split('\n').length;
        const type = `revisit.${svc}.${lit[1]}.v1`;
        if (!emitted.has(type)) emitted.set(type, `services/${svc}/${f}:${line}`);
      }
    }
    // Deciders that stage an event whose payload has no `order` field push it directly.
    for (const m of text.matchAll(/\bevents\.push_back\(\s*\{\s*"([A-Za-z0-9_]+)"/g)) {
      const line = text.slice(0, m.index).split('\n').length;
      const type = `revisit.${svc}.${m[1]}.v1`;
      if (!emitted.has(type)) emitted.set(type, `services/${svc}/${f}:${line}`);
    }
  }
}
if (emitted.size === 0) fail('found no Emit/MakeEvent calls under services/: the scan is broken');
for (const [type, where] of emitted) {
  if (!TYPE_RULE.test(type)) fail(`${type} (emitted at ${where}) breaks the naming rule ${TYPE_RULE}`);
}
for (const type of documented.keys()) {
  if (!TYPE_RULE.test(type)) fail(`${type} (docs/asyncapi.yaml) breaks the naming rule ${TYPE_RULE}`);
}
// Type strings anywhere else: consumers, tests, tools, docs. Tests of the rule spell
// out bad types on purpose, on lines marked "naming-rule: negative".
const SPELLED = /revisit\.(?:order|complaint|loyalty|outreach)\.[A-Za-z0-9_.\-]*\.v[0-9]+\b/g;
let spelledChecked = 0;
function scanSpelled(rel) {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  for (const m of text.matchAll(SPELLED)) {
    spelledChecked++;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const line = text.slice(lineStart, text.indexOf('\n', m.index) >>> 0);
    if (line.includes('naming-rule: negative')) continue;
    if (!TYPE_RULE.test(m[0])) {
      fail(`${rel}:${text.slice(0, m.index).split('\n').length}: ${m[0]} breaks the naming rule ${TYPE_RULE}`);
    }
  }
}
function walkSources(rel) {
  for (const ent of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
    const child = path.join(rel, ent.name);
    if (ent.isDirectory()) {
      if (ent.name !== 'node_modules' && !ent.name.startsWith('.')) walkSources(child);
    } else if (/\.(cc|h|sh|mjs|proto)$/.test(ent.name) &&
               child !== path.join('tools', 'docs_check', 'check.mjs')) {
      scanSpelled(child);
    }
  }
}
for (const dir of ['services', 'common', 'tests', 'tools', 'proto', 'deploy']) walkSources(dir);
for (const f of fs.readdirSync(path.join(ROOT, 'docs'))) if (f.endsWith('.md')) scanSpelled(path.join('docs', f));
scanSpelled('README.md');
for (const [type, where] of emitted) {
  if (!documented.has(type)) fail(`${type} (emitted at ${where}) is missing from docs/asyncapi.yaml`);
  if (!md.includes(type)) fail(`${type} (emitted at ${where}) is missing from docs/events.md`);
}
for (const [type] of documented) {
  if (!emitted.has(type)) fail(`${type} is documented in docs/asyncapi.yaml but no service emits it`);
}

// ---- 3. the protos -----------------------------------------------------------------
const protos = readProtos(path.join(ROOT, 'proto'));
const eventFiles = [...protos.messages.values()].filter((m) => /^revisit\/[a-z]+\/v1\/events\.proto$/.test(m.file));
const usedAsField = new Set();
for (const m of eventFiles) for (const f of m.fields) usedAsField.add(resolveType(f.type, m.pkg, protos.messages, protos.enums));
const payloads = eventFiles.filter((m) => !usedAsField.has(m.name));
const byProto = new Map([...documented.values()].map((d) => [d.msg['x-proto-message'], d]));
for (const p of payloads) {
  const svc = p.pkg.split('.')[1];
  const d = byProto.get(p.name);
  if (!d) fail(`payload ${p.name} (${p.file}) has no message in docs/asyncapi.yaml`);
  else if (d.topic !== `revisit.${svc}.v1`) fail(`payload ${p.name} is documented on ${d.topic}, expected revisit.${svc}.v1`);
  const short = p.name.split('.').pop();
  if (!new RegExp(`\\b${short}\\b`).test(md)) fail(`payload ${short} (${p.file}) is not named in docs/events.md`);
}
for (const [proto] of byProto) {
  if (!payloads.some((p) => p.name === proto)) fail(`x-proto-message ${proto} is not a payload message of an events.proto`);
}

// Payload and shared schemas: exactly the proto's fields, with JSON-mapping types.
function expectedKind(f, pkg) {
  const t = resolveType(f.type, pkg, protos.messages, protos.enums);
  let k;
  if (t === 'string') k = 'string';
  else if (t === 'bool') k = 'boolean';
  else if (INT32.has(t)) k = 'integer';
  else if (INT64.has(t)) k = 'int64-string';
  else if (t === 'double' || t === 'float') k = 'number';
  else if (t === 'bytes') k = 'bytes';
  else if (t === 'google.protobuf.Timestamp') k = 'date-time';
  else k = `ref:${t}`;
  return f.repeated ? `array:${k}` : k;
}
function schemaKind(s) {
  if (!isObj(s)) return '?';
  if (s.type === 'array') return `array:${schemaKind(s.items)}`;
  if (s.$ref) return `ref:${s.$ref.replace('#/components/schemas/', '')}`;
  if (s.type === 'string' && s.format === 'date-time') return 'date-time';
  if (s.type === 'string' && s.pattern === '^-?[0-9]+$') return 'int64-string';
  if (s.type === 'string' && s.contentEncoding === 'base64') return 'bytes';
  return s.type ?? '?';
}
const checkedSchemas = new Set();
function checkSchema(name) {
  if (checkedSchemas.has(name)) return;
  checkedSchemas.add(name);
  const s = schemas[name];
  if (!s) return fail(`components.schemas.${name} is missing`);
  if (protos.enums.has(name)) {
    const want = protos.enums.get(name).values.join(',');
    if ((s.enum ?? []).join(',') !== want) fail(`schema ${name}: enum values differ from the proto (${want})`);
    return;
  }
  const m = protos.messages.get(name);
  if (!m) return fail(`schema ${name}: no such proto message`);
  const props = s.properties ?? {};
  for (const f of m.fields) {
    const want = expectedKind(f, m.pkg);
    const got = schemaKind(props[f.name]);
    if (!props[f.name]) fail(`schema ${name}: field ${f.name} missing`);
    else if (want !== got) fail(`schema ${name}.${f.name}: type ${got}, proto JSON mapping says ${want}`);
    const r = want.replace(/^array:/, '');
    if (r.startsWith('ref:')) checkSchema(r.slice(4));
  }
  for (const k of Object.keys(props)) if (!m.fields.some((f) => f.name === k)) fail(`schema ${name}: field ${k} is not in the proto`);
}
for (const p of payloads) if (byProto.has(p.name)) checkSchema(p.name);

// ---- 4. optional: validate revisit-tail output --------------------------------------
const ji = process.argv.indexOf('--jsonl');
let linesChecked = 0;
if (ji > 0) {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'revisit', components: { schemas } });
  const lines = fs.readFileSync(process.argv[ji + 1], 'utf8').split('\n').filter(Boolean);
  for (const [n, line] of lines.entries()) {
    const ev = JSON.parse(line);
    const d = documented.get(ev.ce_type);
    if (!d) { fail(`jsonl line ${n + 1}: undocumented ce_type ${ev.ce_type}`); continue; }
    const v = ajv.getSchema(`revisit#/components/schemas/${d.msg['x-proto-message']}`);
    if (!v(ev.data)) fail(`jsonl line ${n + 1} (${ev.ce_type}): ${ajv.errorsText(v.errors)}`);
    linesChecked++;
  }
}

// ---- 5. rule IDs and links ---------------------------------------------------------
const rulesChecked = checkRules(ROOT, fail);
const linksChecked = checkLinks(ROOT, fail);

// ---- 6. the one service shape and pure domains (shape.mjs) ----------------------------
const domainFilesChecked = checkShape(ROOT, fail);

// ---- report ------------------------------------------------------------------------
const dlq = Object.keys(channels).filter((t) => t.endsWith('.dlq.v1')).length;
const summary = `${Object.keys(channels).length} channels (${dlq} DLQ), ${documented.size} ce_types documented, ` +
  `${emitted.size} emitted by services/, ${spelledChecked} spelled-out ce_types checked against the naming rule, ${payloads.length} payload messages in events.proto, ` +
  `${checkedSchemas.size} schemas checked against the protos, ${rulesChecked} rule IDs traced to code and tests, ` +
  `${linksChecked} doc links inside the repository, ${domainFilesChecked} domain files include only pure headers, AsyncAPI 2.6.0 schema ${schemaValidated ? 'validated' : 'SKIPPED (no ajv)'}` +
  (ji > 0 ? `, ${linesChecked} jsonl lines validated` : '');
if (problems.length) {
  console.error(`docs_check: FAILED with ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  console.error(`docs_check: ${summary}`);
  process.exit(1);
}
console.log(`docs_check: OK: ${summary}`);

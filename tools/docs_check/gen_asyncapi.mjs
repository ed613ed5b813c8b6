// Writes docs/asyncapi.yaml from events_meta.mjs (what and when) and proto/ (payload
// schemas in the protobuf JSON mapping that revisit-tail prints).
//   node tools/docs_check/gen_asyncapi.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from '../node/node_modules/js-yaml/index.js';
import { readProtos, resolveType, INT64, INT32 } from './proto.mjs';
import { SERVICES, CONSUMERS } from './events_meta.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { messages, enums } = readProtos(path.join(ROOT, 'proto'));
const schemas = {};

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

function fieldSchema(f, pkg) {
  const t = resolveType(f.type, pkg, messages, enums);
  let s;
  if (t === 'string') s = { type: 'string' };
  else if (t === 'bool') s = { type: 'boolean' };
  else if (INT32.has(t)) s = { type: 'integer', format: 'int32' };
  else if (INT64.has(t)) s = { type: 'string', pattern: '^-?[0-9]+$', description: 'int64: a decimal string in the protobuf JSON mapping' };
  else if (t === 'double' || t === 'float') s = { type: 'number' };
  else if (t === 'bytes') s = { type: 'string', contentEncoding: 'base64' };
  else if (t === 'google.protobuf.Timestamp') s = { type: 'string', format: 'date-time' };
  else if (enums.has(t)) { addEnum(t); s = ref(t); }
  else if (messages.has(t)) { addMessage(t); s = ref(t); }
  else throw new Error(`unknown type ${f.type} in ${pkg}`);
  return f.repeated ? { type: 'array', items: s } : s;
}

function addEnum(name) {
  if (schemas[name]) return;
  const e = enums.get(name);
  schemas[name] = { type: 'string', description: `Enum ${name} by value name; the zero value (${e.values[0]}) is omitted from the JSON.`, enum: e.values };
}

function objectSchema(name, description) {
  const m = messages.get(name);
  if (!m) throw new Error(`no message ${name}`);
  const properties = {};
  for (const f of m.fields) properties[f.name] = fieldSchema(f, m.pkg);
  return { type: 'object', title: name, description, properties };
}

function addMessage(name) {
  if (schemas[name]) return;
  schemas[name] = {};  // placeholder against cycles
  schemas[name] = objectSchema(name, `Message ${name} (protobuf JSON mapping, proto field names; fields at their default value are omitted).`);
}

const headers = {
  type: 'object',
  description: 'CloudEvents 1.0 attributes as Kafka headers (binary content mode, common/event_envelope.h). Header values are UTF-8 strings.',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time', 'ce_subject', 'ce_sequence', 'ce_dataschema', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', description: 'Unique event ID, stable across producer retries and re-publication: deduplicate on it (at-least-once delivery).' },
    ce_source: { type: 'string', pattern: '^revisit/(order|complaint|loyalty|outreach)$', description: 'The producing service, e.g. revisit/order.' },
    ce_type: { type: 'string', pattern: '^revisit\\.(order|complaint|loyalty|outreach)\\.[a-z_.]+\\.v1$', description: 'revisit.<service>.<name>.v1' },
    ce_time: { type: 'string', format: 'date-time', description: 'When the state change was committed (domain clock), RFC 3339 UTC.' },
    ce_subject: { type: 'string', description: 'Aggregate ID: order, complaint, touch, customer or promise ID (see each message).' },
    ce_sequence: { type: 'string', pattern: '^[0-9]+$', description: 'Per-aggregate sequence number (decimal string), +1 per event of the aggregate: a gap means a lost event, a repeat a duplicate.' },
    ce_traceparent: { type: 'string', pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$', description: 'W3C trace context of the request that caused the event; absent when there was none.' },
    ce_dataschema: { type: 'string', pattern: '^proto:revisit\\.[a-z]+\\.v1\\.[A-Za-z]+$', description: 'proto:<full name of the payload message>.' },
    'content-type': { type: 'string', const: 'application/protobuf' },
  },
};
schemas.CloudEventHeaders = headers;
schemas.CustomerKey = { type: 'string', description: 'Kafka record key: the pseudonymous customer ID (e.g. cus-07-...). Never a name, phone or address.' };

const dlqHeaders = {
  type: 'object',
  description: 'The original record\'s headers (the ce_* attributes when it had them) followed by these, added by the consumer that gave up (common/event_envelope.h DeadLetterHeaders).',
  required: ['dlq_error', 'dlq_code', 'dlq_attempts', 'dlq_group', 'dlq_original_topic', 'dlq_original_partition', 'dlq_original_offset'],
  properties: {
    ...headers.properties,
    dlq_error: { type: 'string', description: 'The handler\'s error message.' },
    dlq_code: { type: 'string', description: 'The status code name, e.g. INVALID_ARGUMENT.' },
    dlq_attempts: { type: 'string', pattern: '^[0-9]+$', description: 'Attempts made before dead-lettering.' },
    dlq_group: { type: 'string', description: 'Consumer group that failed (complaint, loyalty, outreach).' },
    dlq_original_topic: { type: 'string', description: 'Topic the record was consumed from.' },
    dlq_original_partition: { type: 'string', pattern: '^[0-9]+$' },
    dlq_original_offset: { type: 'string', pattern: '^[0-9]+$' },
  },
};
schemas.DeadLetterHeaders = dlqHeaders;

const ruleText = (rules) => (rules.length ? `Rules: ${rules.join(', ')}.` : 'Rules: DOMAIN.md order states.');
const camel = (s) => s.replace(/[._](\w)/g, (_, c) => c.toUpperCase());
const titleOf = (svc, name) => `${svc[0].toUpperCase()}${svc.slice(1)} ${name.replace(/[._]/g, ' ')}`;

const componentsMessages = {};
const channels = {};
const byService = {};
for (const [svc, def] of Object.entries(SERVICES)) {
  const pkg = `revisit.${svc}.v1`;
  byService[svc] = [];
  for (const [name, msg, when, rules] of def.events) {
    const full = `${pkg}.${msg}`;
    const ceType = `revisit.${svc}.${name}.v1`;
    addMessage(full);
    schemas[full].description = `${msg}: payload of ${ceType}.`;
    const id = camel(`${svc}.${name}`);
    componentsMessages[id] = {
      name: ceType,
      title: titleOf(svc, name),
      summary: `${when} ${ruleText(rules)}`,
      contentType: 'application/protobuf',
      'x-ce-type': ceType,
      'x-proto-message': full,
      'x-rules': rules,
      headers: {
        allOf: [ref('CloudEventHeaders'), {
          properties: {
            ce_type: { const: ceType },
            ce_source: { const: `revisit/${svc}` },
            ce_dataschema: { const: `proto:${full}` },
          },
        }],
      },
      payload: ref(full),
      bindings: { kafka: { key: ref('CustomerKey'), bindingVersion: '0.4.0' } },
    };
    byService[svc].push(id);
  }
  channels[`revisit.${svc}.v1`] = {
    description: `${def.title} events. Key = customer ID (one customer's events stay in order on one partition); ce_subject = ${def.subject}. Value = the protobuf payload named by ce_dataschema. Read by the consumer groups ${def.consumers.join(', ')} and by analysts (revisit-tail). Partitions: 4 on the local broker, 12 in Kubernetes; retention 14 days in Kubernetes.`,
    subscribe: {
      operationId: camel(`receive.${svc}.events`),
      summary: `Events published by the ${svc} service (transactional outbox, idempotent producer, at-least-once).`,
      bindings: { kafka: { bindingVersion: '0.4.0' } },
      message: { oneOf: byService[svc].map((id) => ({ $ref: `#/components/messages/${id}` })) },
    },
    bindings: { kafka: { topic: `revisit.${svc}.v1`, partitions: 12, replicas: 3, topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': 1209600000 }, bindingVersion: '0.4.0' } },
  };
}

for (const [group, topics] of Object.entries(CONSUMERS)) {
  const id = camel(`dead.letter.${group}`);
  const payloads = [];
  for (const t of topics) for (const [, msg] of SERVICES[t].events) payloads.push(ref(`revisit.${t}.v1.${msg}`));
  componentsMessages[id] = {
    name: `revisit.${group}.dlq`,
    title: `Dead letter of consumer group ${group}`,
    summary: `A record from ${topics.map((t) => `revisit.${t}.v1`).join(', ')} that the ${group} service could not process after bounded retries, copied unchanged (key, value, headers) with the dlq_* headers added; the consumer then moved on. Replay it to its original topic after fixing the cause (docs/operations.md); consumers deduplicate on ce_id.`,
    contentType: 'application/protobuf',
    'x-ce-type': `any ce_type of ${topics.map((t) => `revisit.${t}.v1`).join(', ')}`,
    headers: ref('DeadLetterHeaders'),
    payload: { description: 'The original record value unchanged: the protobuf message named by ce_dataschema (poison records may be anything).', anyOf: payloads },
    bindings: { kafka: { key: { type: 'string', description: 'The original record key (customer ID).' }, bindingVersion: '0.4.0' } },
  };
  channels[`revisit.${group}.dlq.v1`] = {
    description: `Dead-letter topic of consumer group ${group} (reads ${topics.map((t) => `revisit.${t}.v1`).join(', ')}). Should stay empty; anything here is an event the ${group} service did not apply. Partitions: 1 on the local broker, 12 in Kubernetes; retention 30 days in Kubernetes.`,
    subscribe: {
      operationId: camel(`receive.${group}.dead.letters`),
      summary: `Records the ${group} consumer gave up on.`,
      bindings: { kafka: { bindingVersion: '0.4.0' } },
      message: { $ref: `#/components/messages/${id}` },
    },
    bindings: { kafka: { topic: `revisit.${group}.dlq.v1`, partitions: 12, replicas: 3, topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': 2592000000 }, bindingVersion: '0.4.0' } },
  };
}

const doc = {
  asyncapi: '2.6.0',
  id: 'urn:revisit:events',
  info: {
    title: 'Revisit events',
    version: '1.0.0',
    description: [
      'The event streams of the Revisit order-to-revisit loop: one topic per producing service and a dead-letter topic per consumer group.',
      '',
      '- Envelope: CloudEvents 1.0 in Kafka binary mode; attributes in ce_* headers, value = protobuf (content-type application/protobuf).',
      '- Key: the pseudonymous customer ID on every topic; ordering holds per customer (partition), never across customers.',
      '- Delivery: at-least-once; deduplicate on ce_id; ce_sequence per ce_subject reveals gaps.',
      '- Payload schemas below describe the protobuf JSON mapping with proto field names, as printed by revisit-tail: int64 as decimal strings, enums by name, timestamps RFC 3339, fields at their default value omitted.',
      '- Payloads carry no names, phone numbers or addresses.',
      '',
      'Guide for analysts: docs/events.md. Generated by tools/docs_check/gen_asyncapi.mjs, checked by tools/docs_check/check.mjs.',
    ].join('\n'),
    license: { name: 'Proprietary' },
  },
  servers: {
    local: {
      url: '127.0.0.1:{port}',
      protocol: 'kafka',
      description: 'The local broker started by tools/revisit (librdkafka mock cluster on loopback). The port is ephemeral: read it from .run/broker.addr (revisit-tail does that by default).',
      variables: { port: { description: 'Ephemeral port chosen at start-up, see .run/broker.addr.' } },
    },
    kubernetes: {
      url: 'revisit-kafka-kafka-bootstrap:9092',
      protocol: 'kafka',
      protocolVersion: '3.x',
      description: 'Kafka (Strimzi cluster revisit-kafka) inside the Kubernetes namespace, plain listener; topics are KafkaTopic resources (deploy/k8s/base/kafka/). Set REVISIT_KAFKA_BOOTSTRAP for revisit-tail.',
    },
  },
  defaultContentType: 'application/protobuf',
  channels,
  components: { messages: componentsMessages, schemas },
};

const out = `# Generated by tools/docs_check/gen_asyncapi.mjs from tools/docs_check/events_meta.mjs and
# proto/revisit/*/v1/*.proto. Edit those and regenerate; tools/docs_check/check.mjs verifies it.
${yaml.dump(doc, { lineWidth: 100, noRefs: true, sortKeys: false })}`;
fs.writeFileSync(path.join(ROOT, 'docs/asyncapi.yaml'), out);
console.log(`wrote docs/asyncapi.yaml: ${Object.keys(channels).length} channels, ${Object.keys(componentsMessages).length} messages, ${Object.keys(schemas).length} schemas`);

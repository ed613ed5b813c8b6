// Offline schema validation: built-in kinds with kubernetes-models (pinned npm), and
// Strimzi KafkaTopic and KafkaUser (CRDs kubernetes-models lacks) checked structurally here.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO } from "./render.mjs";

const MODELS = path.join(REPO, "tools/node/node_modules/kubernetes-models");

// validateObject(o) -> list of error strings (empty when valid).
export async function validateObject(o) {
  if (o.apiVersion?.startsWith("kafka.strimzi.io/")) {
    return o.kind === "KafkaUser" ? validateKafkaUser(o) : validateKafkaTopic(o);
  }
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  const file = path.join(MODELS, group ?? "", version, `${o.kind}.js`);
  let Model;
  try {
    Model = (await import(pathToFileURL(file)))[o.kind];
  } catch {
    return [`no schema for ${o.apiVersion} ${o.kind}`];
  }
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [`schema: ${e.message.split("\n").slice(0, 4).join("; ")}`];
  }
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const TOPIC_CONFIG = new Set([
  "retention.ms", "retention.bytes", "cleanup.policy", "min.insync.replicas",
  "max.message.bytes", "segment.bytes", "segment.ms", "compression.type",
]);

// Strimzi kafka.strimzi.io/v1beta2 KafkaTopic, the fields Revisit uses.
function validateKafkaTopic(o) {
  const errs = [];
  if (o.apiVersion !== "kafka.strimzi.io/v1beta2") errs.push(`apiVersion ${o.apiVersion}, want kafka.strimzi.io/v1beta2`);
  if (o.kind !== "KafkaTopic") errs.push(`unknown Strimzi kind ${o.kind}`);
  if (!o.metadata?.labels?.["strimzi.io/cluster"]) errs.push("missing label strimzi.io/cluster");
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata?.name ?? "")) errs.push("metadata.name is not a DNS subdomain");
  const s = o.spec ?? {};
  const known = new Set(["topicName", "partitions", "replicas", "config"]);
  for (const k of Object.keys(s)) if (!known.has(k)) errs.push(`spec.${k} is not a KafkaTopic field`);
  if (s.topicName !== undefined && !TOPIC_NAME.test(s.topicName)) errs.push(`spec.topicName "${s.topicName}" is not a legal topic name`);
  for (const k of ["partitions", "replicas"]) {
    if (!Number.isInteger(s[k]) || s[k] < 1) errs.push(`spec.${k} must be an integer >= 1`);
  }
  for (const [k, v] of Object.entries(s.config ?? {})) {
    if (!TOPIC_CONFIG.has(k)) errs.push(`spec.config.${k} is not a topic setting Revisit expects`);
    if (!["string", "number", "boolean"].includes(typeof v)) errs.push(`spec.config.${k} must be a scalar`);
  }
  const isr = s.config?.["min.insync.replicas"];
  if (isr !== undefined && isr > s.replicas) errs.push(`min.insync.replicas ${isr} > replicas ${s.replicas}: producers with acks=all would fail`);
  return errs;
}

const ACL_OPERATIONS = new Set([
  "Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction",
  "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "All",
]);

// Strimzi kafka.strimzi.io/v1beta2 KafkaUser: mTLS authentication, simple ACLs (the
// fields tools/kafka/user_specs.cc reads; it applies the same ACLs locally).
function validateKafkaUser(o) {
  const errs = [];
  if (o.apiVersion !== "kafka.strimzi.io/v1beta2") errs.push(`apiVersion ${o.apiVersion}, want kafka.strimzi.io/v1beta2`);
  if (!o.metadata?.labels?.["strimzi.io/cluster"]) errs.push("missing label strimzi.io/cluster");
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.metadata?.name ?? "")) errs.push("metadata.name is not a DNS subdomain");
  const s = o.spec ?? {};
  if (s.authentication?.type !== "tls") errs.push("spec.authentication.type must be tls");
  if (s.authorization?.type !== "simple") errs.push("spec.authorization.type must be simple");
  for (const [i, a] of (s.authorization?.acls ?? []).entries()) {
    const r = a.resource ?? {};
    if (!["topic", "group", "cluster"].includes(r.type)) errs.push(`acls[${i}].resource.type ${r.type}`);
    if (r.type !== "cluster" && !r.name) errs.push(`acls[${i}].resource.name is required`);
    if (!["literal", "prefix", undefined].includes(r.patternType)) errs.push(`acls[${i}].resource.patternType ${r.patternType}`);
    if (!Array.isArray(a.operations) || !a.operations.length) errs.push(`acls[${i}].operations must be a non-empty list`);
    for (const op of a.operations ?? []) if (!ACL_OPERATIONS.has(op)) errs.push(`acls[${i}]: unknown operation ${op}`);
  }
  return errs;
}

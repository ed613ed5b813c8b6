#!/usr/bin/env node
// Validates Revisit's Kubernetes manifests offline:
//   node tools/deploy/validate.mjs [--build-dir build] [--overlays dev,prod] [--k8s-dir deploy/k8s]
//                                  [--require-binaries]
// For every overlay: render with `kubectl kustomize`, validate each object's schema
// (kubernetes-models; KafkaTopic structurally), check the project's policies
// (lib/policies.mjs), and compare each Deployment's environment with the variables its
// binary accepts (`--print-env`; "skipped: binary not built" until it exists).
// Prints one line per violation and a summary; exits 1 on any violation.
import path from "node:path";
import { render, REPO, id } from "./lib/render.mjs";
import { validateObject } from "./lib/schema.mjs";
import { checkWorkload, checkCluster, isService, svcOf } from "./lib/policies.mjs";
import { acceptedVars, deploymentEnv } from "./lib/env.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const buildDir = path.resolve(opt("--build-dir", path.join(REPO, "build")));
const overlays = opt("--overlays", "dev,prod").split(",");
// --require-binaries: a missing service binary is a violation (the test command builds all).
const requireBinaries = args.includes("--require-binaries");

let violations = 0, objectsSeen = 0;
for (const overlay of overlays) {
  const dir = path.join(path.resolve(opt("--k8s-dir", path.join(REPO, "deploy/k8s"))), "overlays", overlay);
  const v = (msg) => { violations++; console.log(`FAIL ${overlay}: ${msg}`); };
  let objs;
  try { objs = render(dir); } catch (e) { v(`kubectl kustomize ${dir} failed: ${e.message}`); continue; }
  objectsSeen += objs.length;
  for (const o of objs) for (const err of await validateObject(o)) v(`${id(o)}: ${err}`);
  for (const w of objs.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind))) checkWorkload(w, overlay, v);
  checkCluster(objs, overlay, v);
  const notes = [];
  for (const d of objs.filter(isService)) {
    const svc = svcOf(d), c = d.spec.template.spec.containers[0];
    const env = deploymentEnv(c, objs);
    env.errors.forEach((e) => v(`${id(d)}: ${e}`));
    notes.push(...env.notes.map((n) => `${id(d)}: ${n}`));
    const acc = acceptedVars(buildDir, svc);
    if (acc.skipped) {
      if (requireBinaries) v(`${id(d)}: ${acc.skipped}`);
      else notes.push(`env of revisit-${svc}: ${acc.skipped}`);
      continue;
    }
    if (acc.error) { v(`${id(d)}: ${acc.error}`); continue; }
    const bad = env.vars.filter(({ name }) => !acc.names.has(name));
    for (const { name, from } of bad) v(`${id(d)}: sets ${name} (${from}), which \`revisit-${svc} --print-env\` does not accept`);
    if (!bad.length) notes.push(`env of revisit-${svc}: all ${env.vars.length} variables accepted by the binary`);
  }
  const kinds = {};
  objs.forEach((o) => { kinds[o.kind] = (kinds[o.kind] ?? 0) + 1; });
  console.log(`${overlay}: ${objs.length} objects (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);
  [...new Set(notes)].forEach((n) => console.log(`  ${n}`));
}
console.log(violations ? `validate: ${violations} violation(s) in ${overlays.join(", ")}` :
  `validate: ${objectsSeen} objects in ${overlays.join(", ")}: schemas and policies OK`);
process.exit(violations ? 1 : 0);

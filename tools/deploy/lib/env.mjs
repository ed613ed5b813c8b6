// Compares the environment a Deployment gives each service with the variables its
// binary accepts (`revisit-<svc> --print-env` -> [{"name","default","help"}]).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const cache = new Map();

// acceptedVars(buildDir, svc) -> {names:Set} | {skipped:string} | {error:string}
export function acceptedVars(buildDir, svc) {
  const bin = path.join(buildDir, "services", svc, `revisit-${svc}`);
  if (cache.has(bin)) return cache.get(bin);
  let r;
  if (!fs.existsSync(bin)) {
    r = { skipped: `skipped: binary not built (${bin})` };
  } else {
    try {
      const out = execFileSync(bin, ["--print-env"], { encoding: "utf8", timeout: 10000, stdio: ["ignore", "pipe", "pipe"] });
      const list = JSON.parse(out);
      if (!Array.isArray(list) || list.some((v) => typeof v?.name !== "string")) throw new Error("not an array of {name,default,help}");
      r = { names: new Set(list.map((v) => v.name)), list };
    } catch (e) {
      r = { error: `${bin} --print-env failed: ${e.message.split("\n")[0]}` };
    }
  }
  cache.set(bin, r);
  return r;
}

// deploymentEnv(container, objects) -> [{name, from}] for inline env, envFrom
// ConfigMaps/Secrets (their keys) and secretKeyRef; plus errors for missing refs.
export function deploymentEnv(c, objects) {
  const vars = [], errors = [], notes = [];
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef ? `Secret ${e.valueFrom.secretKeyRef.name}` :
      e.valueFrom?.configMapKeyRef ? `ConfigMap ${e.valueFrom.configMapKeyRef.name}` : "inline env";
    vars.push({ name: e.name, from: ref });
  }
  for (const f of c.envFrom ?? []) {
    const [kind, name] = f.configMapRef ? ["ConfigMap", f.configMapRef.name] : ["Secret", f.secretRef?.name];
    const o = find(kind, name);
    if (!o) { (kind === "Secret" ? notes : errors).push(`envFrom ${kind} ${name} is not in the rendered overlay`); continue; }
    for (const k of Object.keys({ ...o.data, ...o.stringData })) vars.push({ name: (f.prefix ?? "") + k, from: `${kind} ${name}` });
  }
  return { vars, errors, notes };
}

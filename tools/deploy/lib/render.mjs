// Renders a Kustomize overlay with `kubectl kustomize` and parses the YAML stream.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// npm packages are pinned in tools/node/package.json.
export const requireNode = createRequire(path.join(REPO, "tools/node/package.json"));
const yaml = requireNode("js-yaml");

// render(dir) -> array of Kubernetes objects (plain JSON).
export function render(dir) {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  return yaml.loadAll(out).filter((o) => o && typeof o === "object");
}

export const id = (o) => `${o.kind}/${o.metadata?.name}`;

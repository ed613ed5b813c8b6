// Renders the service-specific configuration table of docs/operations.md from each
// binary's --print-env, so the guide cannot drift from the code.
//   node tools/deploy/env_table.mjs BUILD_DIR            print the table
//   node tools/deploy/env_table.mjs BUILD_DIR --write    rewrite it in docs/operations.md
//   node tools/deploy/env_table.mjs BUILD_DIR --check    exit 1 if the doc is stale
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [buildDir = join(root, "build"), mode = ""] = process.argv.slice(2);
const services = ["order", "complaint", "loyalty", "outreach"];
const common = new Set(JSON.parse(execFileSync(join(buildDir, "services/order/revisit-order"), ["--print-env"]))
  .filter((v) => !v.name.startsWith("REVISIT_ORDER_") && v.name !== "REVISIT_LOYALTY_ADDR")
  .map((v) => v.name));

const rows = ["| service | variable | default | meaning |", "|---|---|---|---|"];
for (const s of services) {
  const vars = JSON.parse(execFileSync(join(buildDir, `services/${s}/revisit-${s}`), ["--print-env"]));
  for (const v of vars.filter((x) => !common.has(x.name))) {
    const def = v.default === "" ? "empty" : "`" + v.default + "`";
    rows.push(`| ${s} | \`${v.name}\` | ${def} | ${v.help.replace(/\|/g, "\\|")} |`);
  }
}
const table = rows.join("\n");
const docPath = join(root, "docs/operations.md");
const doc = readFileSync(docPath, "utf8");
const re = /(<!-- env-table:begin -->\n)[\s\S]*?(<!-- env-table:end -->)/;
if (!re.test(doc)) { console.error("docs/operations.md lacks env-table markers"); process.exit(1); }
const updated = doc.replace(re, `$1${table}\n$2`);
if (mode === "--write") writeFileSync(docPath, updated);
else if (mode === "--check") {
  if (updated !== doc) {
    console.error("docs/operations.md is stale: run node tools/deploy/env_table.mjs BUILD_DIR --write");
    process.exit(1);
  }
  console.log(`env table: ${rows.length - 2} service variables documented and current`);
} else console.log(table);

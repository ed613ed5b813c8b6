// The one service shape (docs/architecture.md "One shape for every service") against
// the tree:
//   - every services/<name>/ has README.md, main.cc, <name>_config.{h,cc}, CMakeLists.txt
//     and the folders domain/, store/ and edge/;
//   - every file under services/<name>/domain/ includes only what a pure domain may:
//     the C++ standard library, abseil, protobuf, generated contracts (*.pb.h), the
//     test frameworks, nlohmann/json, its own domain/ headers, build-generated headers
//     of its service (default_messages.h), and the common/ headers of revisit_rules.
// A common/ header counts as revisit_rules when its .cc is listed in COMMON_RULES_SRCS
// of common/CMakeLists.txt, or it is header-only, and everything it includes is
// allowed by the same rule. The link of <name>_domain already refuses I/O symbols; this
// check also refuses an I/O header included and not (yet) used.
import fs from 'node:fs';
import path from 'node:path';

const REQUIRED = (name) => ['README.md', 'main.cc', 'CMakeLists.txt', `${name}_config.h`,
  `${name}_config.cc`, 'domain', 'store', 'edge'];
const SYSTEM_OK = /^<(?!grpc|hiredis|librdkafka|rdkafka|spdlog|sw\/)[^>]+>$/;
const QUOTED_OK = /^"(absl\/|google\/protobuf\/|gtest\/|gmock\/|nlohmann\/|revisit\/.*\.pb\.h")/;

const includesOf = (file) => [...fs.readFileSync(file, 'utf8').matchAll(/^#include\s+(\S+)/gm)]
  .map((m) => m[1]);

function rulesSources(root) {
  const cmake = fs.readFileSync(path.join(root, 'common/CMakeLists.txt'), 'utf8');
  const m = cmake.match(/set\(COMMON_RULES_SRCS([^)]*)\)/);
  return new Set(m ? m[1].trim().split(/\s+/) : []);
}

// Whether common/<header> belongs to the pure rules (see the file comment).
function pureCommonHeader(root, header, rulesSrcs, seen = new Set()) {
  if (seen.has(header)) return true;
  seen.add(header);
  const file = path.join(root, 'common', header);
  if (!fs.existsSync(file)) return false;
  const cc = header.replace(/\.h$/, '.cc');
  if (fs.existsSync(path.join(root, 'common', cc)) && !rulesSrcs.has(cc)) return false;
  return includesOf(file).every((inc) => allowedInclude(root, inc, null, rulesSrcs, seen));
}

function allowedInclude(root, inc, service, rulesSrcs, seen) {
  if (SYSTEM_OK.test(inc) || QUOTED_OK.test(inc)) return true;
  const common = inc.match(/^"common\/([^"/]+\.h)"$/);
  if (common) return pureCommonHeader(root, common[1], rulesSrcs, seen);
  if (!service) return false;
  const own = new RegExp(`^"services/${service}/(domain/[^"]+|[a-z_]+\\.pb\\.h|store/[a-z_]+\\.pb\\.h|default_messages\\.h)"$`);
  return own.test(inc);
}

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

// Returns the number of domain files checked; calls fail(msg) for every problem.
export function checkShape(root, fail) {
  const servicesDir = path.join(root, 'services');
  const rulesSrcs = rulesSources(root);
  let checked = 0;
  for (const name of fs.readdirSync(servicesDir)) {
    const dir = path.join(servicesDir, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const entry of REQUIRED(name)) {
      if (!fs.existsSync(path.join(dir, entry))) fail(`services/${name}/${entry} is missing (one service shape)`);
    }
    const domain = path.join(dir, 'domain');
    if (!fs.existsSync(domain)) continue;
    for (const file of walk(domain).filter((f) => /\.(h|cc)$/.test(f))) {
      checked++;
      for (const inc of includesOf(file)) {
        if (!allowedInclude(root, inc, name, rulesSrcs, new Set())) {
          fail(`${path.relative(root, file)} includes ${inc}: a domain file may include only pure headers (tools/docs_check/shape.mjs)`);
        }
      }
    }
  }
  return checked;
}

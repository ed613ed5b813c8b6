// Minimal reader for the Revisit .proto files (proto3, no nested types): messages with
// their fields, enums with their values. Enough to derive the protobuf JSON mapping
// (preserve_proto_field_names) that revisit-tail prints, for the AsyncAPI payloads.
import fs from 'node:fs';
import path from 'node:path';

// Parses every .proto under `root` (proto/): returns {messages, enums} keyed by full name.
export function readProtos(root) {
  const messages = new Map();
  const enums = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.proto')) parseFile(p, path.relative(root, p), messages, enums);
    }
  };
  walk(root);
  return { messages, enums };
}

function parseFile(file, rel, messages, enums) {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\/[^\n]*/g, '');
  const pkg = (text.match(/^\s*package\s+([\w.]+)\s*;/m) || [])[1] || '';
  const block = /\b(message|enum)\s+(\w+)\s*\{/g;
  let m;
  while ((m = block.exec(text))) {
    // Find the matching close brace (oneof blocks nest one level).
    let depth = 1, i = block.lastIndex;
    for (; i < text.length && depth > 0; ++i) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    const body = text.slice(block.lastIndex, i - 1);
    const full = `${pkg}.${m[2]}`;
    if (m[1] === 'enum') {
      const values = [...body.matchAll(/(\w+)\s*=\s*(-?\d+)\s*;/g)].map((v) => v[1]);
      enums.set(full, { name: full, pkg, file: rel, values });
    } else {
      const fields = [];
      const flat = body.replace(/\boneof\s+\w+\s*\{/g, '').replace(/\}/g, '');
      const re = /(repeated\s+)?(map\s*<\s*[\w.]+\s*,\s*[\w.]+\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(\[[^\]]*\])?\s*;/g;
      let f;
      while ((f = re.exec(flat))) {
        if (f[2] === 'option' || f[2] === 'reserved') continue;
        fields.push({ name: f[3], type: f[2].replace(/\s+/g, ''), repeated: !!f[1], number: +f[4] });
      }
      messages.set(full, { name: full, pkg, file: rel, fields });
    }
    block.lastIndex = i;
  }
}

// Resolves a field type named in package `pkg` to a full name (or a scalar).
export function resolveType(type, pkg, messages, enums) {
  if (SCALARS.has(type) || type.startsWith('map<')) return type;
  if (type.startsWith('google.protobuf.')) return type;
  const parts = pkg.split('.');
  for (let n = parts.length; n >= 0; --n) {
    const cand = [...parts.slice(0, n), type].join('.');
    if (messages.has(cand) || enums.has(cand)) return cand;
  }
  return type;
}

export const SCALARS = new Set(['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32',
  'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes']);
export const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
export const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);

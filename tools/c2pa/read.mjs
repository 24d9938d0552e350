// read.mjs FILE [FORMAT]: reads FILE's C2PA manifest store with c2pa-rs
// (compiled to WebAssembly, @contentauth/c2pa-wasm) and prints it as JSON
// on one line: {"manifest_store": ..., "active": ...}. Exit 1 with a line on
// stderr when the file has no manifest c2pa-rs can read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';

const [file, format = 'audio/wav'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node read.mjs FILE [FORMAT]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
initSync({ module: readFileSync(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm')) });
try {
  const reader = await WasmReader.fromBytes(format, new Uint8Array(readFileSync(file)));
  process.stdout.write(JSON.stringify({ manifest_store: JSON.parse(reader.json()) }) + '\n');
} catch (e) {
  console.error(`${file}: ${e && e.message ? e.message : e}`);
  process.exit(1);
}

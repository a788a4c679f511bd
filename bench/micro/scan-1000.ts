/**
 * Times @ServiceScan's scanner on 1,000 generated service files (compiled CommonJS, as a built app ships them).
 * Target: a cold scan under 1 s. Run: `npx tsx bench/micro/scan-1000.ts [count]`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findScanFiles } from '../../decorators/scan-files';
import { scanServices } from '../../decorators/service-scanner';

const COUNT = Number(process.argv[2] ?? 1000);
const TARGET_MS = 1000;
const SERVICE_DECORATOR = path.resolve(__dirname, '../../decorators/service.decorator');

/** What tsc emits for a small @Service class with four methods. */
function serviceModule(index: number): string {
  const name = `Service${index}`;
  return `"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.${name} = void 0;
const service_decorator_1 = require(${JSON.stringify(SERVICE_DECORATOR)});
let ${name} = class ${name} {
    async get(id) { return { id, service: ${index} }; }
    async list(offset, limit) { return [offset, limit]; }
    async update(id, patch) { return { id, ...patch }; }
    async remove(id) { return id > 0; }
};
exports.${name} = ${name};
exports.${name} = ${name} = __decorate([
    (0, service_decorator_1.Service)({ interface: 'bench.scan.${name}', version: '1.0.0' })
], ${name});
`;
}

function generate(root: string): void {
  for (let i = 0; i < COUNT; i++) {
    // 10 folders of 10 sub-folders: a realistic nesting, not one huge directory.
    const folder = path.join(root, `domain-${i % 10}`, `module-${Math.floor(i / 10) % 10}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `service-${i}.service.js`), serviceModule(i));
  }
}

function main(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'courier-scan-bench-'));
  try {
    generate(root);
    // Warm the decorators' own modules so the figure is the scan, not the first load of Courier itself.
    require(SERVICE_DECORATOR);

    const globStart = performance.now();
    const files = findScanFiles({ root, patterns: ['**/*.{ts,js}'], preferTypeScript: false });
    const globMs = performance.now() - globStart;

    const coldStart = performance.now();
    const cold = scanServices({ root, patterns: ['**/*.{ts,js}'] });
    const coldMs = performance.now() - coldStart;

    const warmStart = performance.now();
    scanServices({ root, patterns: ['**/*.{ts,js}'] });
    const warmMs = performance.now() - warmStart;

    if (cold.services.length !== COUNT || files.length !== COUNT) {
      throw new Error(`expected ${COUNT} services, found ${cold.services.length} in ${files.length} files`);
    }
    const verdict = coldMs < TARGET_MS ? 'PASS' : 'OVER TARGET';
    console.log(`scan of ${COUNT} service files (${process.version}, ${os.cpus()[0]?.model ?? 'cpu'})`);
    console.log(`  glob only        ${globMs.toFixed(1)} ms`);
    console.log(
      `  cold scan        ${coldMs.toFixed(1)} ms  (glob + require + metadata; target < ${TARGET_MS} ms: ${verdict})`,
    );
    console.log(`  warm re-scan     ${warmMs.toFixed(1)} ms  (modules cached)`);
    console.log(`  per file (cold)  ${((coldMs / COUNT) * 1000).toFixed(0)} µs`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();

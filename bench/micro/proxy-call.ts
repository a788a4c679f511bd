/**
 * What a call through a Courier reference costs before any byte is sent: the consumer Proxy
 * (src/rpc/reference-proxy.ts) over a fake transport that answers at once, against calling the fake directly.
 *   npx tsx bench/micro/proxy-call.ts
 */
import { createReferenceProxy } from '../../src/rpc/reference-proxy';
import type { RemoteCall } from '../../src/rpc/reference-proxy';
import { measureAsync, printTable } from './harness';
import type { MicroResult } from './harness';

interface Echo {
  add(a: number, b: number): Promise<number>;
}

const fake: RemoteCall = (_method, args) => Promise.resolve((args[0] as number) + (args[1] as number));
const plain: Echo = { add: (a, b) => fake('add', [a, b]) as Promise<number> };
const proxy = createReferenceProxy<Echo>('bench.Echo', fake);

async function main(): Promise<void> {
  if ((await proxy.add(1, 2)) !== 3) throw new Error('proxy returned a wrong sum');
  const results: MicroResult[] = [];
  results.push(await measureAsync('fake transport called directly', () => fake('add', [1, 2])));
  results.push(await measureAsync('plain object method -> fake', () => plain.add(1, 2)));
  results.push(await measureAsync('Courier reference proxy -> fake', () => proxy.add(1, 2)));
  const add = proxy.add;
  results.push(await measureAsync('proxy method taken once, then called', () => add(1, 2)));
  printTable('Reference proxy overhead (fake transport, awaited one at a time)', results);
}

void main();

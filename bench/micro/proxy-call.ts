/**
 * What a call through a Courier reference costs before any byte is sent: the consumer Proxy
 * (src/rpc/reference-proxy.ts) over a fake transport that answers at once, against calling the fake directly; then
 * the rest of the consumer's per-call work before the cluster (src/rpc/reference.ts): the call's declaration, looked
 * up by argument types (src/rpc/method-declarations.ts), and its Invocation.
 *   npx tsx bench/micro/proxy-call.ts
 */
import { createReferenceProxy } from '../../src/rpc/reference-proxy';
import type { RemoteCall } from '../../src/rpc/reference-proxy';
import type { Invocation } from '../../src/rpc/invocation';
import { MethodDeclarations } from '../../src/rpc/method-declarations';
import { getSerializerByName } from '../../src/serialization/serializer-registry';
import { measure, measureAsync, printTable } from './harness';
import type { MicroResult } from './harness';

interface Echo {
  add(a: number, b: number): Promise<number>;
}

const fake: RemoteCall = (_method, args) => Promise.resolve((args[0] as number) + (args[1] as number));
const plain: Echo = { add: (a, b) => fake('add', [a, b]) as Promise<number> };
const proxy = createReferenceProxy<Echo>('bench.Echo', fake);

/** What Reference.call does per call before handing the invocation to the cluster, over the same fake. */
const declarations = new MethodDeclarations('bench.Echo', '', '1.0.0', 'add');
const serializer = getSerializerByName('msgpack');
const transport = (invocation: Invocation) => fake(invocation.method, invocation.args);
const declaring: RemoteCall = (method, args) => {
  const declared = declarations.for(args);
  return transport({
    service: 'bench.Echo',
    group: '',
    version: '1.0.0',
    method,
    args,
    parameterTypes: declared.parameterTypes,
    declared,
    callId: 0,
    deadline: Date.now() + 3000,
    oneWay: false,
    serializer,
    idempotent: false,
  });
};
const declaringProxy = createReferenceProxy<Echo>('bench.Echo', declaring);

async function main(): Promise<void> {
  if ((await proxy.add(1, 2)) !== 3) throw new Error('proxy returned a wrong sum');
  if ((await declaringProxy.add(1, 2)) !== 3) throw new Error('declaring proxy returned a wrong sum');
  if (declarations.for([1, 2]) !== declarations.for([3, 4])) throw new Error('same types, another declaration');
  const results: MicroResult[] = [];
  results.push(await measureAsync('fake transport called directly', () => fake('add', [1, 2])));
  results.push(await measureAsync('plain object method -> fake', () => plain.add(1, 2)));
  results.push(await measureAsync('Courier reference proxy -> fake', () => proxy.add(1, 2)));
  const add = proxy.add;
  results.push(await measureAsync('proxy method taken once, then called', () => add(1, 2)));
  results.push(
    await measureAsync('proxy -> declaration + Invocation -> fake', () => declaringProxy.add(1, 2), {
      note: 'the consumer path up to the cluster',
    }),
  );
  printTable('Reference proxy overhead (fake transport, awaited one at a time)', results);

  const args = [1, 2];
  const declarationCases: MicroResult[] = [
    measure('declaration, same types as last call', () => declarations.for(args)),
    measure(
      'declaration, alternating types',
      (() => {
        let i = 0;
        const other = ['1', 2];
        return () => declarations.for((i++ & 1) === 0 ? args : other);
      })(),
    ),
  ];
  printTable('MethodDeclarations.for (argument types -> DeclaredCall)', declarationCases);
}

void main();

/**
 * Courier's serializers (src/serialization) on the ~1 KiB object the end-to-end bench echoes: msgpack (default)
 * vs JSON, as a request body (the object as the one argument) and as a response body; next to plain JSON and
 * plain msgpackr as baselines. Sizes are printed too.
 *   npx tsx bench/micro/serializer.ts
 */
import { Packr } from 'msgpackr';
import type { RequestMessage } from '../../src/protocol/message';
import { jsonSerializer } from '../../src/serialization/json-serializer';
import { msgpackSerializer } from '../../src/serialization/msgpack-serializer';
import type { Serializer } from '../../src/serialization/serializer';
import { typeTagOf } from '../../src/serialization/type-tag';
import { measure, printTable } from './harness';
import type { MicroResult } from './harness';

const { makeObject } = require('../lib/workloads.cjs') as { makeObject: () => Record<string, unknown> };

const obj = makeObject();
const request: RequestMessage = {
  service: 'bench.Echo',
  group: '',
  version: '1.0.0',
  method: 'echo',
  args: [obj],
  parameterTypes: [typeTagOf(obj)],
  attachments: {},
};

const plainPackr = new Packr({ useRecords: false });
const results: MicroResult[] = [];
const sizes: string[] = [];

// Baselines: what the bytes cost without any RPC envelope.
const jsonText = JSON.stringify(obj);
results.push(measure('baseline JSON.stringify + Buffer.from', () => Buffer.from(JSON.stringify(obj))));
const jsonBuf = Buffer.from(jsonText);
results.push(measure('baseline JSON.parse(buf.toString())', () => JSON.parse(jsonBuf.toString())));
results.push(measure('baseline msgpackr plain pack', () => plainPackr.pack(obj)));
const plainBuf = plainPackr.pack(obj);
results.push(measure('baseline msgpackr plain unpack', () => plainPackr.unpack(plainBuf)));
sizes.push(`plain JSON ${jsonBuf.length} B`, `plain msgpackr ${plainBuf.length} B`);

function cases(s: Serializer): void {
  const reqBody = s.encodeRequest(request);
  const resBody = s.encodeResponse(obj);
  sizes.push(`${s.name} request ${reqBody.length} B`, `${s.name} response ${resBody.length} B`);
  results.push(measure(`${s.name} encodeRequest`, () => s.encodeRequest(request)));
  results.push(measure(`${s.name} decodeRequest`, () => s.decodeRequest(reqBody)));
  results.push(measure(`${s.name} encodeResponse`, () => s.encodeResponse(obj)));
  results.push(measure(`${s.name} decodeResponse`, () => s.decodeResponse(resBody)));
  results.push(
    measure(`${s.name} full call (4 steps above)`, () => {
      s.decodeRequest(s.encodeRequest(request));
      return s.decodeResponse(s.encodeResponse(obj));
    }),
  );
}
cases(msgpackSerializer);
cases(jsonSerializer);

const back = msgpackSerializer.decodeResponse(msgpackSerializer.encodeResponse(obj)) as { createdAt: unknown };
if (!(back.createdAt instanceof Date)) throw new Error('msgpack lost the Date');

printTable('Serializers on the 1 KiB object', results);
console.log(`Sizes: ${sizes.join(', ')}\n`);

/**
 * Courier's serializers (src/serialization) on the ~1 KiB object the end-to-end bench echoes: msgpack (default)
 * vs JSON, as request arguments (the object as the one argument, decoded from after the 8-byte request prefix as the
 * dispatcher does) and as a response body; next to plain JSON and plain msgpackr as baselines. Sizes are printed too.
 *   npx tsx bench/micro/serializer.ts
 */
import { Packr } from 'msgpackr';
import { REQUEST_PREFIX_SIZE } from '../../src/protocol/frame';
import { jsonSerializer } from '../../src/serialization/json-serializer';
import { msgpackSerializer } from '../../src/serialization/msgpack-serializer';
import type { Serializer } from '../../src/serialization/serializer';
import { typeTagOf } from '../../src/serialization/type-tag';
import { measure, printTable } from './harness';
import type { MicroResult } from './harness';

const { makeObject } = require('../lib/workloads.cjs') as { makeObject: () => Record<string, unknown> };

const obj = makeObject();
const args: unknown[] = [obj];
const parameterTypes = [typeTagOf(obj)];
const label = 'bench.Echo#echo';

/** A REQUEST body: the prefix (call reference 1, call id 0), then the serializer's arguments. */
function requestBody(payload: Buffer): Buffer {
  const body = Buffer.alloc(REQUEST_PREFIX_SIZE + payload.length);
  body.writeUInt32BE(1, 0);
  payload.copy(body, REQUEST_PREFIX_SIZE);
  return body;
}

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
  const argBody = s.encodeArguments(args, parameterTypes, label);
  const reqBody = requestBody(argBody);
  const resBody = s.encodeResponse(obj);
  sizes.push(`${s.name} arguments ${argBody.length} B`, `${s.name} response ${resBody.length} B`);
  results.push(measure(`${s.name} encodeArguments`, () => s.encodeArguments(args, parameterTypes, label)));
  results.push(
    measure(`${s.name} decodeArguments`, () => s.decodeArguments(reqBody, REQUEST_PREFIX_SIZE, parameterTypes, label)),
  );
  results.push(measure(`${s.name} encodeResponse`, () => s.encodeResponse(obj)));
  results.push(measure(`${s.name} decodeResponse`, () => s.decodeResponse(resBody)));
  results.push(
    measure(`${s.name} full call (4 steps above)`, () => {
      s.decodeArguments(s.encodeArguments(args, parameterTypes, label), 0, parameterTypes, label);
      return s.decodeResponse(s.encodeResponse(obj));
    }),
  );
}
cases(msgpackSerializer);
cases(jsonSerializer);

const [arg] = msgpackSerializer.decodeArguments(
  requestBody(msgpackSerializer.encodeArguments(args, parameterTypes, label)),
  REQUEST_PREFIX_SIZE,
  parameterTypes,
  label,
) as [{ createdAt: unknown }];
if (!(arg.createdAt instanceof Date)) throw new Error('msgpack lost the Date in the arguments');
const back = msgpackSerializer.decodeResponse(msgpackSerializer.encodeResponse(obj)) as { createdAt: unknown };
if (!(back.createdAt instanceof Date)) throw new Error('msgpack lost the Date');

printTable('Serializers on the 1 KiB object', results);
console.log(`Sizes: ${sizes.join(', ')}\n`);

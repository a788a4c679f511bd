import { CONSUMER_ID } from '../../../src/cluster/call-id';
import { DEFAULT_WARMUP_MS, DEFAULT_WEIGHT, type ProviderInfo } from '../../../src/common/provider-info';
import { declareCall } from '../../../src/protocol/call-declaration';
import type { Invocation } from '../../../src/rpc/invocation';
import { getSerializerByName } from '../../../src/serialization/serializer-registry';

/** A provider of com.acme.UserService at `address`, fully warmed up unless `timestamp` says otherwise. */
export function provider(address: string, overrides: Partial<ProviderInfo> = {}): ProviderInfo {
  const [host = '127.0.0.1', port = '20880'] = address.split(':');
  return {
    address,
    host,
    port: Number(port),
    service: 'com.acme.UserService',
    group: '',
    version: '1.0.0',
    weight: DEFAULT_WEIGHT,
    timestamp: 0,
    warmup: DEFAULT_WARMUP_MS,
    enabled: true,
    serialization: 'msgpack',
    parameters: {},
    url: `courier://${address}/com.acme.UserService?version=${overrides.version ?? '1.0.0'}&weight=${overrides.weight ?? DEFAULT_WEIGHT}`,
    ...overrides,
  };
}

/** `count` providers 10.0.0.1:20880, 10.0.0.2:20880, ... */
export function providers(count: number, overrides: Partial<ProviderInfo> = {}): ProviderInfo[] {
  return Array.from({ length: count }, (_, i) => provider(`10.0.${i >> 8}.${(i & 255) + 1}:20880`, overrides));
}

/**
 * A call of com.acme.UserService#getUser(42) as a reference makes it: no call id yet (the cluster sets one), its
 * declaration made from the final service, group, version, method and parameter types unless one is given.
 */
export function invocation(overrides: Partial<Invocation> = {}): Invocation {
  const service = overrides.service ?? 'com.acme.UserService';
  const group = overrides.group ?? '';
  const version = overrides.version ?? '1.0.0';
  const method = overrides.method ?? 'getUser';
  const parameterTypes = overrides.parameterTypes ?? ['number'];
  return {
    service,
    group,
    version,
    method,
    args: [42],
    parameterTypes,
    declared: declareCall({ service, group, version, method, parameterTypes, consumerId: CONSUMER_ID }),
    callId: 0,
    deadline: Date.now() + 3000,
    oneWay: false,
    serializer: getSerializerByName('msgpack'),
    idempotent: false,
    ...overrides,
  };
}

export { seededRandom } from '../../support/seeded-random';

/** How often each address was picked. */
export function tally(picks: Iterable<ProviderInfo>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of picks) counts.set(p.address, (counts.get(p.address) ?? 0) + 1);
  return counts;
}

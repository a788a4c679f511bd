import { SILENT_LOGGER } from '../../../src/common/logger';
import { ConnectionPool } from '../../../src/transport/connection-pool';
import { ConnectionState } from '../../../src/transport/connection-state';
import { freePort } from '../../support/free-port';

let pool: ConnectionPool;

beforeEach(() => {
  pool = new ConnectionPool({ logger: SILENT_LOGGER, heartbeatIntervalMs: 0 });
});

afterEach(() => pool.close());

describe('ConnectionPool', () => {
  it('creates one connection per address on first use, not connected yet', () => {
    const a = pool.get('127.0.0.1', 20880);
    expect(a.address).toBe('127.0.0.1:20880');
    expect(a.state).toBe(ConnectionState.IDLE);
    expect(pool.get('127.0.0.1', 20880)).toBe(a);
    expect(pool.get('127.0.0.1', 20881)).not.toBe(a);
    expect(pool.size).toBe(2);
  });

  it('keys by the address argument when given, and peek finds it without creating', () => {
    const viaAddress = pool.get('127.0.0.1', 20880, '127.0.0.1:20880');
    expect(pool.get('127.0.0.1', 20880)).toBe(viaAddress);
    const aliased = pool.get('localhost', 20880, 'provider-a');
    expect(aliased).not.toBe(viaAddress);
    expect(aliased.host).toBe('localhost');
    expect(pool.get('127.0.0.1', 9, 'provider-a')).toBe(aliased); // the address alone is the key
    expect(pool.peek('provider-a')).toBe(aliased);
    expect(pool.peek('localhost:20880')).toBeUndefined();
    expect(pool.size).toBe(2);
  });

  it("re-emits each connection's state changes as ('state', address, state)", async () => {
    const port = await freePort();
    const events: Array<[string, ConnectionState]> = [];
    pool.on('state', (address: string, state: ConnectionState) => events.push([address, state]));
    const address = `127.0.0.1:${port}`;
    await expect(pool.get('127.0.0.1', port).whenReady()).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
    expect(events).toEqual([
      [address, ConnectionState.CONNECTING],
      [address, ConnectionState.CLOSED],
    ]);
  });

  it('close() shuts every connection down, and a later get returns one already closed', async () => {
    const events: Array<[string, ConnectionState]> = [];
    pool.on('state', (address: string, state: ConnectionState) => events.push([address, state]));
    const a = pool.get('127.0.0.1', 20880);
    const b = pool.get('127.0.0.1', 20881);
    pool.close();
    expect([a.state, b.state]).toEqual([ConnectionState.SHUTDOWN, ConnectionState.SHUTDOWN]);
    expect(events).toEqual([
      ['127.0.0.1:20880', ConnectionState.SHUTDOWN],
      ['127.0.0.1:20881', ConnectionState.SHUTDOWN],
    ]);

    const late = pool.get('127.0.0.1', 20882);
    expect(late.state).toBe(ConnectionState.SHUTDOWN);
    expect(events).toContainEqual(['127.0.0.1:20882', ConnectionState.SHUTDOWN]);
    await expect(late.whenReady()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(pool.get('127.0.0.1', 20880)).toBe(a);
  });
});

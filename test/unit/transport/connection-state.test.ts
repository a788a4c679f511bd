import { ConnectionState, assertTransition } from '../../../src/transport/connection-state';

describe('connection state machine', () => {
  it.each([
    [ConnectionState.IDLE, ConnectionState.CONNECTING],
    [ConnectionState.CONNECTING, ConnectionState.READY],
    [ConnectionState.READY, ConnectionState.DRAINING],
    [ConnectionState.DRAINING, ConnectionState.CLOSED],
    [ConnectionState.CLOSED, ConnectionState.CONNECTING],
    [ConnectionState.READY, ConnectionState.SHUTDOWN],
  ])('allows %s → %s', (from, to) => {
    expect(() => assertTransition(from, to, 'h:1')).not.toThrow();
  });

  it.each([
    [ConnectionState.IDLE, ConnectionState.READY],
    [ConnectionState.DRAINING, ConnectionState.READY],
    [ConnectionState.SHUTDOWN, ConnectionState.CONNECTING],
    [ConnectionState.CLOSED, ConnectionState.READY],
  ])('refuses %s → %s', (from, to) => {
    expect(() => assertTransition(from, to, 'h:1')).toThrow(/Illegal connection state change/);
  });
});

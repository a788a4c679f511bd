import { StateMachine } from '../../../src/common/state-machine';
import { CONNECTION_TRANSITIONS, ConnectionState } from '../../../src/transport/connection-state';

const machine = new StateMachine(CONNECTION_TRANSITIONS, ConnectionState.IDLE);

describe('connection state machine', () => {
  it.each([
    [ConnectionState.IDLE, ConnectionState.CONNECTING],
    [ConnectionState.CONNECTING, ConnectionState.READY],
    [ConnectionState.READY, ConnectionState.DRAINING],
    [ConnectionState.DRAINING, ConnectionState.CLOSED],
    [ConnectionState.CLOSED, ConnectionState.CONNECTING],
    [ConnectionState.READY, ConnectionState.SHUTDOWN],
  ])('allows %s → %s', (from, to) => {
    expect(machine.canTransition(from, to)).toBe(true);
  });

  it.each([
    [ConnectionState.IDLE, ConnectionState.READY],
    [ConnectionState.DRAINING, ConnectionState.READY],
    [ConnectionState.SHUTDOWN, ConnectionState.CONNECTING],
    [ConnectionState.CLOSED, ConnectionState.READY],
    [ConnectionState.READY, ConnectionState.READY],
  ])('refuses %s → %s', (from, to) => {
    expect(machine.canTransition(from, to)).toBe(false);
  });
});

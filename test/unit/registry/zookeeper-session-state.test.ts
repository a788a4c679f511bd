import { canTransition, SessionState, SessionStateMachine } from '../../../registry/zookeeper-session-state';

const { CONNECTING, CONNECTED, DISCONNECTED, EXPIRED, CLOSED } = SessionState;

describe('SessionStateMachine', () => {
  it('starts CONNECTING', () => {
    expect(new SessionStateMachine().state).toBe(CONNECTING);
  });

  it('follows a session through disconnection, expiry, a new session and close, telling listeners each move', () => {
    const machine = new SessionStateMachine();
    const moves: string[] = [];
    machine.onChange((next, previous) => moves.push(`${previous}->${next}`));
    for (const next of [CONNECTED, DISCONNECTED, CONNECTED, DISCONNECTED, EXPIRED, CONNECTING, CONNECTED, CLOSED]) {
      expect(machine.transition(next)).toBe(true);
    }
    expect(moves).toEqual([
      'CONNECTING->CONNECTED',
      'CONNECTED->DISCONNECTED',
      'DISCONNECTED->CONNECTED',
      'CONNECTED->DISCONNECTED',
      'DISCONNECTED->EXPIRED',
      'EXPIRED->CONNECTING',
      'CONNECTING->CONNECTED',
      'CONNECTED->CLOSED',
    ]);
  });

  it.each([
    [CONNECTING, DISCONNECTED],
    [CONNECTED, CONNECTING],
    [DISCONNECTED, CONNECTING],
    [EXPIRED, CONNECTED],
    [EXPIRED, DISCONNECTED],
    [CLOSED, CONNECTING],
    [CLOSED, CONNECTED],
    [CONNECTED, CONNECTED],
  ])('refuses %s -> %s without telling anyone', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('refuses an illegal move and leaves the state alone', () => {
    const machine = new SessionStateMachine();
    const listener = jest.fn();
    machine.onChange(listener);
    expect(machine.transition(DISCONNECTED)).toBe(false);
    expect(machine.state).toBe(CONNECTING);
    expect(listener).not.toHaveBeenCalled();
  });

  it('honours an expected current state', () => {
    const machine = new SessionStateMachine();
    expect(machine.transition(CONNECTED, DISCONNECTED)).toBe(false);
    expect(machine.transition(CONNECTED, CONNECTING)).toBe(true);
  });

  it('is final once CLOSED, from every state', () => {
    for (const state of Object.values(SessionState)) {
      expect(canTransition(state, CLOSED)).toBe(state !== CLOSED);
      expect(canTransition(CLOSED, state)).toBe(false);
    }
  });

  it('stops telling a removed listener', () => {
    const machine = new SessionStateMachine();
    const listener = jest.fn();
    const remove = machine.onChange(listener);
    remove();
    machine.transition(CONNECTED);
    expect(listener).not.toHaveBeenCalled();
  });
});

/** Where the process's ZooKeeper session stands. */
export enum SessionState {
  /** A client is connecting and has no session yet (start-up, or a new session after expiry). */
  CONNECTING = 'CONNECTING',
  /** The session is live: reads are trustworthy, writes land. */
  CONNECTED = 'CONNECTED',
  /** The connection dropped; the session may still be alive on the servers. Serve from the last lists. */
  DISCONNECTED = 'DISCONNECTED',
  /** The servers ended the session: its ephemeral nodes and watches are gone; a new session must follow. */
  EXPIRED = 'EXPIRED',
  /** Closed by its owner; final. */
  CLOSED = 'CLOSED',
}

/** Every legal move; anything else is a bug and is refused in transition(). */
const TRANSITIONS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  [SessionState.CONNECTING]: [SessionState.CONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.CONNECTED]: [SessionState.DISCONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.DISCONNECTED]: [SessionState.CONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.EXPIRED]: [SessionState.CONNECTING, SessionState.CLOSED],
  [SessionState.CLOSED]: [],
};

/** Hears every state change. */
export type SessionStateListener = (next: SessionState, previous: SessionState) => void;

/** True when `from → to` is a legal move. */
export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The enum plus one guarded transition (grpc-js Subchannel style): every change goes through transition(),
 * which refuses illegal moves and tells every listener.
 */
export class SessionStateMachine {
  private current: SessionState = SessionState.CONNECTING;
  private readonly listeners = new Set<SessionStateListener>();

  get state(): SessionState {
    return this.current;
  }

  /**
   * Moves to `next` when `current → next` is legal (and `expected`, if given, is the current state).
   * Returns false, changing nothing, otherwise; a repeated state is not a change.
   */
  transition(next: SessionState, expected?: SessionState): boolean {
    const previous = this.current;
    if (expected !== undefined && previous !== expected) return false;
    if (!canTransition(previous, next)) return false;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next, previous);
    return true;
  }

  /** Adds a listener; returns its remover. */
  onChange(listener: SessionStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { StateMachine, type StateListener, type TransitionTable } from '../src/common/state-machine';

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
const TRANSITIONS: TransitionTable<SessionState> = {
  [SessionState.CONNECTING]: [SessionState.CONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.CONNECTED]: [SessionState.DISCONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.DISCONNECTED]: [SessionState.CONNECTED, SessionState.EXPIRED, SessionState.CLOSED],
  [SessionState.EXPIRED]: [SessionState.CONNECTING, SessionState.CLOSED],
  [SessionState.CLOSED]: [],
};

/** Hears every state change. */
export type SessionStateListener = StateListener<SessionState>;

/** True when `from → to` is a legal move. */
export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The session's state machine: starts CONNECTING; see StateMachine for the guarded transition. */
export class SessionStateMachine extends StateMachine<SessionState> {
  constructor() {
    super(TRANSITIONS, SessionState.CONNECTING);
  }
}

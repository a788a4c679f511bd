import type { TransitionTable } from '../common/state-machine';

/** The life of a client connection; its moves are guarded by a StateMachine over CONNECTION_TRANSITIONS. */
export enum ConnectionState {
  /** Not connected and not trying: before the first call, and after background reconnects gave up. A call connects. */
  IDLE = 'IDLE',
  CONNECTING = 'CONNECTING',
  READY = 'READY',
  /** The provider said GOAWAY: pending calls finish, new calls go elsewhere. */
  DRAINING = 'DRAINING',
  /** The socket is gone; a reconnect may be scheduled. */
  CLOSED = 'CLOSED',
  /** Closed by its owner; never reconnects. */
  SHUTDOWN = 'SHUTDOWN',
}

/** Every legal move of a client connection. */
export const CONNECTION_TRANSITIONS: TransitionTable<ConnectionState> = {
  [ConnectionState.IDLE]: [ConnectionState.CONNECTING, ConnectionState.SHUTDOWN],
  [ConnectionState.CONNECTING]: [ConnectionState.READY, ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.READY]: [ConnectionState.DRAINING, ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.DRAINING]: [ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.CLOSED]: [ConnectionState.CONNECTING, ConnectionState.IDLE, ConnectionState.SHUTDOWN],
  [ConnectionState.SHUTDOWN]: [],
};

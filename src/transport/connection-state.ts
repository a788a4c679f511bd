import { RpcError } from '../errors/rpc-error';

/** The life of a client connection: one guarded transition function refuses every illegal move. */
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

const ALLOWED: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  [ConnectionState.IDLE]: [ConnectionState.CONNECTING, ConnectionState.SHUTDOWN],
  [ConnectionState.CONNECTING]: [ConnectionState.READY, ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.READY]: [ConnectionState.DRAINING, ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.DRAINING]: [ConnectionState.CLOSED, ConnectionState.SHUTDOWN],
  [ConnectionState.CLOSED]: [ConnectionState.CONNECTING, ConnectionState.IDLE, ConnectionState.SHUTDOWN],
  [ConnectionState.SHUTDOWN]: [],
};

export function assertTransition(from: ConnectionState, to: ConnectionState, address: string): void {
  if (!ALLOWED[from].includes(to)) {
    throw new RpcError('INTERNAL', `Illegal connection state change ${from} → ${to} on ${address}`);
  }
}

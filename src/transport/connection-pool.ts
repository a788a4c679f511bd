import { EventEmitter } from 'node:events';

import type { Logger } from '../common/logger';
import { ClientConnection, DEFAULT_CLIENT_CONNECTION_OPTIONS, type ClientConnectionOptions } from './client-connection';
import type { ConnectionState } from './connection-state';

/**
 * One connection per provider address, shared by every reference of a client. Re-emits each connection's
 * state changes as ('state', address, state) so directories can react the moment a socket closes.
 */
export class ConnectionPool extends EventEmitter {
  private readonly connections = new Map<string, ClientConnection>();
  private readonly options: ClientConnectionOptions;
  private closed = false;

  constructor(options: Partial<ClientConnectionOptions> & { logger: Logger }) {
    super();
    this.options = { ...DEFAULT_CLIENT_CONNECTION_OPTIONS, ...options };
  }

  /** The connection to host:port (`address` when the caller already has it), created on first use, not connected. */
  get(host: string, port: number, address = `${host}:${port}`): ClientConnection {
    let connection = this.connections.get(address);
    if (connection === undefined) {
      connection = new ClientConnection(host, port, this.options);
      connection.on('state', (state: ConnectionState) => this.emit('state', address, state));
      this.connections.set(address, connection);
      if (this.closed) connection.close();
    }
    return connection;
  }

  peek(address: string): ClientConnection | undefined {
    return this.connections.get(address);
  }

  get size(): number {
    return this.connections.size;
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) connection.close();
  }
}

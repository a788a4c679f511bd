import { RpcError } from '../errors/rpc-error';
import {
  MAX_DECLARATION_BYTES,
  MAX_DECLARED_BYTES,
  MAX_DECLARED_CALLS,
  decodeDeclaration,
  type CallDeclaration,
} from '../protocol/call-declaration';
import type { ExportedService } from './service-map';

/** What a declared call runs, found once: the service, its method and the method's declared parameter types. */
export interface CallTarget {
  readonly service: ExportedService;
  readonly method: Function;
  readonly knownTypes: readonly Function[] | undefined;
}

/** One declared call of a connection; its target is looked up on first use and then kept. */
export class DeclaredEntry {
  /** Set once the service and method are found (a lookup that fails is repeated: the service may be exported later). */
  target: CallTarget | undefined = undefined;
  /** 'com.acme.UserService#getUser', for messages. */
  readonly label: string;

  constructor(readonly declaration: CallDeclaration) {
    this.label = `${declaration.service}#${declaration.method}`;
  }
}

/**
 * The calls one consumer connection declared (DECLARE frames), by call reference. A connection that declares a
 * reference twice, reference 0, more than MAX_DECLARED_CALLS references, a declaration over MAX_DECLARATION_BYTES,
 * more than MAX_DECLARED_BYTES in all, or a malformed declaration breaks the protocol: `declare` throws
 * PROTOCOL_ERROR and the connection is closed. So one connection can make a provider hold only so much.
 */
export class CallTable {
  private readonly entries = new Map<number, DeclaredEntry>();
  private declaredBytes = 0;

  get size(): number {
    return this.entries.size;
  }

  declare(callRef: number, body: Buffer): void {
    if (callRef === 0) throw new RpcError('PROTOCOL_ERROR', 'Call reference 0 cannot be declared');
    if (this.entries.has(callRef)) throw new RpcError('PROTOCOL_ERROR', `Call reference ${callRef} declared twice`);
    if (this.entries.size >= MAX_DECLARED_CALLS) {
      throw new RpcError(
        'PROTOCOL_ERROR',
        `More than ${MAX_DECLARED_CALLS} call references declared on one connection`,
      );
    }
    if (body.length > MAX_DECLARATION_BYTES) {
      throw new RpcError('PROTOCOL_ERROR', `Call declaration of ${body.length} bytes exceeds ${MAX_DECLARATION_BYTES}`);
    }
    this.declaredBytes += body.length;
    if (this.declaredBytes > MAX_DECLARED_BYTES) {
      throw new RpcError(
        'PROTOCOL_ERROR',
        `More than ${MAX_DECLARED_BYTES} bytes of call declarations on one connection`,
      );
    }
    this.entries.set(callRef, new DeclaredEntry(decodeDeclaration(body)));
  }

  get(callRef: number): DeclaredEntry | undefined {
    return this.entries.get(callRef);
  }
}

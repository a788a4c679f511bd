import { CONSUMER_ID } from '../cluster/call-id';
import { declareCall, type DeclaredCall } from '../protocol/call-declaration';
import { typeTagOf } from '../serialization/type-tag';

/**
 * Every declaration made in this process, by content: two references to the same method share one, so a shared
 * connection declares it once. Bounded by the program's distinct (service key, method, argument types).
 */
const declaredCalls = new Map<string, DeclaredCall>();

/**
 * The declarations of one method of a reference, one per combination of argument types seen. A method is nearly
 * always called with the same types, so the last declaration is checked first, tag by tag, without building a key.
 */
export class MethodDeclarations {
  private last: DeclaredCall | undefined;
  private readonly byTypes = new Map<string, DeclaredCall>();

  constructor(
    private readonly service: string,
    private readonly group: string,
    private readonly version: string,
    private readonly method: string,
  ) {}

  /** The declaration of a call with these arguments (their type tags are its parameter types). */
  for(args: readonly unknown[]): DeclaredCall {
    const last = this.last;
    if (last !== undefined && sameTags(last.parameterTypes, args)) return last;
    const parameterTypes = args.map(typeTagOf);
    // JSON: unambiguous whatever the tags hold (registered names may contain commas).
    const key = JSON.stringify(parameterTypes);
    let declared = this.byTypes.get(key);
    if (declared === undefined) {
      const { service, group, version, method } = this;
      const processKey = JSON.stringify([service, group, version, method, parameterTypes]);
      declared = declaredCalls.get(processKey);
      if (declared === undefined) {
        declared = declareCall({ service, group, version, method, parameterTypes, consumerId: CONSUMER_ID });
        declaredCalls.set(processKey, declared);
      }
      this.byTypes.set(key, declared);
    }
    this.last = declared;
    return declared;
  }
}

function sameTags(tags: readonly string[], args: readonly unknown[]): boolean {
  if (tags.length !== args.length) return false;
  for (let i = 0; i < args.length; i++) if (typeTagOf(args[i]) !== tags[i]) return false;
  return true;
}

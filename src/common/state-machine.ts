/** Every legal move of a state machine: from each state, the states it may go to. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

/** Hears every state change. */
export type StateListener<S extends string> = (next: S, previous: S) => void;

/**
 * An enum plus one guarded transition (grpc-js Subchannel style), shared by the client connection and the ZooKeeper
 * session: every change goes through transition(), which refuses illegal moves and tells every listener.
 */
export class StateMachine<S extends string> {
  private current: S;
  private readonly listeners = new Set<StateListener<S>>();

  constructor(
    private readonly table: TransitionTable<S>,
    initial: S,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  canTransition(from: S, to: S): boolean {
    return this.table[from].includes(to);
  }

  /**
   * Moves to `next` when `current → next` is legal (and `expected`, if given, is the current state).
   * Returns false, changing nothing, otherwise; a repeated state is not a change.
   */
  transition(next: S, expected?: S): boolean {
    const previous = this.current;
    if (expected !== undefined && previous !== expected) return false;
    if (!this.canTransition(previous, next)) return false;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next, previous);
    return true;
  }

  /** Adds a listener; returns its remover. */
  onChange(listener: StateListener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { StateMachine, type TransitionTable } from '../../../src/common/state-machine';

type Light = 'RED' | 'GREEN' | 'AMBER' | 'OFF';
const TABLE: TransitionTable<Light> = {
  RED: ['GREEN', 'OFF'],
  GREEN: ['AMBER', 'OFF'],
  AMBER: ['RED', 'OFF'],
  OFF: [],
};

describe('StateMachine', () => {
  it('moves only along the table and tells every listener, in order', () => {
    const machine = new StateMachine(TABLE, 'RED');
    const heard: string[] = [];
    machine.onChange((next, previous) => heard.push(`${previous}→${next}`));
    expect(machine.transition('GREEN')).toBe(true);
    expect(machine.transition('RED')).toBe(false);
    expect(machine.transition('GREEN')).toBe(false); // a repeated state is not a change
    expect(machine.transition('AMBER')).toBe(true);
    expect(machine.state).toBe('AMBER');
    expect(heard).toEqual(['RED→GREEN', 'GREEN→AMBER']);
  });

  it('refuses a move when the current state is not the expected one', () => {
    const machine = new StateMachine(TABLE, 'RED');
    expect(machine.transition('OFF', 'GREEN')).toBe(false);
    expect(machine.transition('OFF', 'RED')).toBe(true);
    expect(machine.transition('RED')).toBe(false); // OFF is final
  });

  it('stops telling a removed listener', () => {
    const machine = new StateMachine(TABLE, 'RED');
    let heard = 0;
    const remove = machine.onChange(() => heard++);
    machine.transition('GREEN');
    remove();
    machine.transition('AMBER');
    expect(heard).toBe(1);
  });
});

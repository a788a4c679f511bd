/** The contract both sides share: a TypeScript interface, its wire name, and the classes that travel. */
import { Serializable } from '../../src/index';

@Serializable('com.acme.User')
export class User {
  constructor(
    public id: number,
    public name: string,
    public born: Date,
  ) {}

  /** Methods survive the wire: the consumer gets a real User, not a plain object. */
  ageOn(day: Date): number {
    const years = day.getUTCFullYear() - this.born.getUTCFullYear();
    const hadBirthday =
      day.getUTCMonth() > this.born.getUTCMonth() ||
      (day.getUTCMonth() === this.born.getUTCMonth() && day.getUTCDate() >= this.born.getUTCDate());
    return hadBirthday ? years : years - 1;
  }
}

@Serializable('com.acme.UserNotFound')
export class UserNotFound extends Error {
  constructor(public readonly userId: number) {
    super(`no user ${userId}`);
    this.name = 'UserNotFound';
  }
}

export interface UserService {
  getUser(id: number): Promise<User>;
  rename(user: User, name: string): Promise<User>;
}
export const UserService = 'com.acme.UserService';

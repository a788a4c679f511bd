import { Service } from '../../../src/index';
import { User, UserNotFound, UserService } from '../contract';

const USERS = new Map<number, User>([
  [1, new User(1, 'Ada Lovelace', new Date('1815-12-10T00:00:00Z'))],
  [2, new User(2, 'Alan Turing', new Date('1912-06-23T00:00:00Z'))],
]);

@Service({ interface: UserService, version: '1.0.0' })
export class UserServiceImpl implements UserService {
  async getUser(id: number): Promise<User> {
    const user = USERS.get(id);
    if (user === undefined) throw new UserNotFound(id);
    return user;
  }

  async rename(user: User, name: string): Promise<User> {
    return new User(user.id, name, user.born);
  }
}

import { Service } from '../../../src/index';
import { KvStore } from '../contract';

/** One shard. `dedup` makes a put retried after a timeout (same call id) run once. */
@Service({ interface: KvStore, version: '1.0.0', dedup: true })
export class KvStoreShard implements KvStore {
  private readonly shard = process.env['SHARD_NAME'] ?? `shard-${process.pid}`;
  private readonly data = new Map<string, string>();

  async put(key: string, value: string): Promise<{ shard: string; previous: string | undefined }> {
    const previous = this.data.get(key);
    this.data.set(key, value);
    return { shard: this.shard, previous };
  }

  async get(key: string): Promise<{ shard: string; value: string | undefined }> {
    return { shard: this.shard, value: this.data.get(key) };
  }

  async size(): Promise<{ shard: string; keys: number }> {
    return { shard: this.shard, keys: this.data.size };
  }
}

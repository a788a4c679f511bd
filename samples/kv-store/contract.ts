/**
 * A sharded key-value store, as the seed's Raft KV store is called through RPC: every key lives on one shard
 * (provider), chosen by consistent hashing on the key, so a put and the gets that follow land on the same shard.
 */
export interface KvStore {
  put(key: string, value: string): Promise<{ shard: string; previous: string | undefined }>;
  get(key: string): Promise<{ shard: string; value: string | undefined }>;
  size(): Promise<{ shard: string; keys: number }>;
}
export const KvStore = 'com.acme.kv.KvStore';

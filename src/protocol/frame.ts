/**
 * The frame header: 16 bytes, big-endian, then `bodyLength` bytes of body. See docs/PROTOCOL.md.
 *
 *  0..1  magic 0xC0DE
 *  2     protocol version (2)
 *  3     message type (MessageType)
 *  4     flags (FrameFlag bits)
 *  5     serializer id (1 msgpack, 2 json)
 *  6     status (Status; 0 in requests)
 *  7     reserved, 0
 *  8..11 request id (uint32)
 * 12..15 body length (uint32)
 */
export const MAGIC = 0xc0de;
export const PROTOCOL_VERSION = 2;
export const HEADER_SIZE = 16;
/** Default cap on a frame's body, checked before anything is allocated. */
export const DEFAULT_MAX_FRAME_SIZE = 8 * 1024 * 1024;

export const MessageType = {
  REQUEST: 1,
  RESPONSE: 2,
  HEARTBEAT_PING: 3,
  HEARTBEAT_PONG: 4,
  /** Sent by a provider that is shutting down: send no new requests on this connection. */
  GOAWAY: 5,
  /** Sent by a consumer before the first request that uses a call reference on this connection (see call-declaration). */
  DECLARE: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const FrameFlag = {
  NONE: 0,
  /** A request that expects no response. */
  ONE_WAY: 0x01,
} as const;

export const Status = {
  OK: 0,
  /** The body is an encoded ErrorPayload. */
  ERROR: 1,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

export interface FrameHeader {
  type: MessageType;
  flags: number;
  serializerId: number;
  status: number;
  requestId: number;
  bodyLength: number;
}

/** One decoded frame. A FrameDecoder reuses this object for every frame: keep no reference past its callback. */
export interface Frame {
  header: FrameHeader;
  /**
   * The bytes the body lies in, from `bodyStart` to `bodyEnd`: a socket chunk holding several frames, or a buffer of
   * exactly the body. Hot paths decode by range from here, so no view is made per frame.
   */
  readonly source: Buffer;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /**
   * True when `source` holds this frame's body alone (collected over several chunks): decoded binary values may then
   * be views of it. False when it is a socket chunk that other frames share: views would pin the whole chunk.
   */
  readonly ownSource: boolean;
  /** The body as a view of its own, made on each access (for paths where a Buffer is simpler than a range). */
  readonly body: Buffer;
}

/**
 * A REQUEST body starts with this many bytes before the serializer's arguments: the call reference (uint32, declared
 * on this connection by a DECLARE frame) and the call id (uint32, 0 when none). See docs/PROTOCOL.md.
 */
export const REQUEST_PREFIX_SIZE = 8;

/**
 * WebSocket text frames built once and written as they are. `ws` frames every `send` anew (an
 * options object and a header per socket); a room event reaches a hundred sockets as the same
 * bytes, so its frame (RFC 6455 §5.2: final, text, unmasked as a server's frames are) is built once
 * per payload and each socket's transport is handed that one buffer.
 */

const frames = new WeakMap<Buffer, Buffer>();

/** The whole frame carrying `payload` (UTF-8 text), built once per payload buffer. */
export function textFrame(payload: Buffer): Buffer {
  let frame = frames.get(payload);
  if (frame === undefined) {
    frame = buildTextFrame(payload);
    frames.set(payload, frame);
  }
  return frame;
}

function buildTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  // The length takes 7 bits, or 16 after the marker 126, or 64 after the marker 127.
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, header);
  return frame;
}

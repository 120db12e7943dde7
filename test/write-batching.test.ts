/**
 * Frames written to a socket in one turn of the event loop leave together once the turn ends, in
 * order; a socket closed meanwhile is no trouble. Over real TCP sockets.
 */
import test from 'ava';
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { batchWrites, type BatchedTransport } from '../src/realtime/write-batching.js';

async function socketPair(): Promise<{ client: Socket; server: Socket; close: () => void }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection');
  const client = createConnection((listener.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = (await accepted) as [Socket];
  return {
    client,
    server,
    close: () => {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}

test('writes of one turn wait corked until it ends, then arrive together and in order', async t => {
  const { client, server, close } = await socketPair();
  try {
    const owner: BatchedTransport = { transport: server, corked: false };
    let received = '';
    client.on('data', chunk => (received += chunk.toString()));
    for (const frame of ['one;', 'two;', 'three;']) {
      batchWrites(owner);
      server.write(frame);
    }
    t.true(owner.corked);
    t.is(server.writableCorked, 1, 'corked once, however many writes');
    t.is(server.writableLength, 'one;two;three;'.length, 'nothing left during the turn');
    await new Promise(resolve => setImmediate(resolve));
    t.false(owner.corked);
    t.is(server.writableCorked, 0);
    while (received.length < 'one;two;three;'.length) await once(client, 'data');
    t.is(received, 'one;two;three;');

    // The next turn corks again.
    batchWrites(owner);
    t.is(server.writableCorked, 1);
  } finally {
    close();
  }
});

test('a socket destroyed while corked, or a connection without a transport, is no trouble', async t => {
  const { server, close } = await socketPair();
  try {
    const owner: BatchedTransport = { transport: server, corked: false };
    batchWrites(owner);
    server.write('lost');
    server.destroy();
    const bare: BatchedTransport = { transport: undefined, corked: false };
    batchWrites(bare);
    t.false(bare.corked);
    await new Promise(resolve => setImmediate(resolve));
    t.false(owner.corked);
  } finally {
    close();
  }
});

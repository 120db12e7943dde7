/**
 * Text frames built once (`textFrame`) and written to the transport as they are read, by a real
 * `ws` client over a real socket, as the frames `ws` builds: every length form (7, 16 and 64-bit),
 * multi-byte text, and in order with the frames `ws` itself writes on the same socket.
 */
import test from 'ava';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from '../src/realtime/text-frame.js';

/** A server that hands each upgraded socket and its transport to `onSocket`; a client connected to it. */
async function connected(onSocket: (socket: WebSocket, transport: Duplex) => void): Promise<{ client: WebSocket; close: () => void }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer();
  server.on('upgrade', (request, transport, head) => wss.handleUpgrade(request, transport, head, socket => onSocket(socket, transport)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: false, maxPayload: 1 << 22 });
  return {
    client,
    close: () => {
      client.terminate();
      wss.close();
      server.close();
    },
  };
}

function received(client: WebSocket, count: number): Promise<string[]> {
  const texts: string[] = [];
  return new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('message', (data, isBinary) => {
      if (isBinary) return reject(new Error('a binary frame'));
      texts.push(data.toString());
      if (texts.length === count) resolve(texts);
    });
  });
}

test('every payload length reads back as the text it framed, multi-byte text included', async t => {
  const lengths = [0, 1, 125, 126, 127, 1000, 65535, 65536, 65537, 300_000];
  const payloads = [...lengths.map(n => 'x'.repeat(n)), 'héllo 😀 – ünïcode'.repeat(5000)];
  const { client, close } = await connected((_socket, transport) => {
    for (const payload of payloads) transport.write(textFrame(Buffer.from(payload)));
  });
  t.teardown(close);
  t.deepEqual(await received(client, payloads.length), payloads);
});

test('one payload framed once serves every socket; its frames and ws own frames keep their order', async t => {
  const shared = Buffer.from(JSON.stringify({ eventType: 'message.dispatch', data: { content: 'to all' } }));
  t.is(textFrame(shared), textFrame(shared), 'built once per payload');
  const { client, close } = await connected((socket, transport) => {
    socket.send('first (ws)');
    transport.write(textFrame(shared));
    socket.ping();
    socket.send('third (ws)');
    transport.write(textFrame(Buffer.from('fourth')));
  });
  t.teardown(close);
  const pinged = once(client, 'ping');
  t.deepEqual(await received(client, 4), ['first (ws)', shared.toString(), 'third (ws)', 'fourth']);
  await pinged;
});

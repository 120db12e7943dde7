/** A WebSocket client for tests: a real socket that records every frame and waits for the ones asked for. */
import WebSocket from 'ws';

/** How a socket closed. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class TestSocket {
  /** Every frame received, parsed. */
  readonly frames: any[] = [];
  readonly closed: Promise<Closed>;
  private read = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', data => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        frame = { unparsed: data.toString() };
      }
      this.frames.push(frame);
      this.wake();
    });
    this.closed = new Promise(resolve =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      }),
    );
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', chunk => (body += chunk));
        response.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame not read yet. */
  next(timeoutMs = 5000): Promise<any> {
    return this.until(() => true, timeoutMs, 'any frame');
  }

  /** Reads frames until one matches (the ones before it count as read); rejects after `timeoutMs`. */
  async until(match: (frame: any) => boolean, timeoutMs = 5000, what = 'a matching frame'): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.read < this.frames.length) {
        const frame = this.frames[this.read++];
        if (match(frame)) return frame;
      }
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${what}; got ${JSON.stringify(this.frames.slice(-3))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame with this `eventType`. */
  event(eventType: string, timeoutMs = 5000): Promise<any> {
    return this.until(frame => frame.eventType === eventType, timeoutMs, eventType);
  }

  /** Sends a request with an `id` and returns the first frame that carries it back. */
  async request(eventType: string, data: unknown, id: unknown = `r${Math.random().toString(36).slice(2)}`, timeoutMs = 5000): Promise<any> {
    this.send({ event_type: eventType, data, id });
    return this.until(frame => frame.id === id, timeoutMs, `the reply to ${eventType}`);
  }

  /** Frames received and not read yet, after waiting `ms` for more. */
  async unread(ms = 200): Promise<any[]> {
    await new Promise(resolve => setTimeout(resolve, ms));
    const rest = this.frames.slice(this.read);
    this.read = this.frames.length;
    return rest;
  }

  /** Closes and waits until closed. */
  async close(): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

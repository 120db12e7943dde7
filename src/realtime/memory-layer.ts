/** The in-memory channel layer: one process, nothing to install. The default. */
import { randomUUID } from 'node:crypto';
import type { ChannelLayer, Envelope, LayerMessage } from './channel-layer.js';

export class MemoryChannelLayer implements ChannelLayer {
  readonly nodeId = randomUUID();
  private listener: ((message: Envelope) => void) | undefined;

  async start(listener: (message: Envelope) => void): Promise<void> {
    this.listener = listener;
  }

  publish(message: LayerMessage): void {
    this.listener?.({ ...message, node: this.nodeId });
  }

  onResync(): void {
    // Nothing is ever lost in memory.
  }

  async close(): Promise<void> {
    this.listener = undefined;
  }
}

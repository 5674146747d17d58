/** A tiny typed event bus for BridgeEvents: the transports subscribe, the service and engine publish. */
import type { BridgeEvent } from '../../preload/contract.js';

export type Listener = (event: BridgeEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: BridgeEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // A broken subscriber (a closed SSE stream) must not stop the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

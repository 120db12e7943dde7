/**
 * `ChatSignal`: a MikroORM event subscriber that acts only for the classes it is connected to
 * (the package's defaults at first). A custom class gets the behaviour only once connected, as
 * Django signals are bound to their sender.
 */
/** Base of every signal of the package. */
export abstract class ChatSignal {
  /** The name `connectSignal` knows this signal by. */
  abstract readonly name: string;
  /** What the signal does, for the README and error messages. */
  abstract readonly description: string;
  private readonly senders = new Set<Function>();

  constructor(defaultSenders: readonly Function[]) {
    for (const sender of defaultSenders) this.senders.add(sender);
  }

  /** Makes the signal act for `cls` too. */
  connect(cls: Function): void {
    this.senders.add(cls);
  }

  /** Stops the signal acting for `cls`. */
  disconnect(cls: Function): void {
    this.senders.delete(cls);
  }

  /** The classes the signal acts for, by name, sorted. */
  connectedClasses(): string[] {
    return [...this.senders].map(cls => cls.name).sort();
  }

  /** The classes the signal acts for. */
  protected connectedClassObjects(): Function[] {
    return [...this.senders];
  }

  /** Whether the signal acts for this entity (its exact class is connected). */
  protected handles(entity: object): boolean {
    return this.senders.has(entity.constructor);
  }
}

/** A failed bridge call as the window shows it: the handler's message for people, and its kind when known. */
export class BridgeError extends Error {
  readonly kind: string;
  constructor(message: string, kind = 'failed') {
    super(message);
    this.name = 'BridgeError';
    this.kind = kind;
  }
}

/** The message to show for anything a bridge call rejected with. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message)
    return err.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  if (typeof err === 'string' && err) return err;
  return 'Something went wrong — try again.';
}

export function errorKind(err: unknown): string | undefined {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}

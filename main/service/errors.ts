/** An error from a bridge handler that people can act on (bad input, wrong state). */
export class BridgeError extends Error {
  constructor(
    message: string,
    readonly kind: string = 'invalid',
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** A failure the user can act on: `message` says what happened, `hint` what to do. Never carries secrets. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

/** Thrown out of waits and requests when the run is stopping (max-runtime, cancel, a failure elsewhere). */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

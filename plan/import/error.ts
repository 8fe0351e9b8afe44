// The import's refusal: a message for the user and the exit code it ends with.
export class ImportError extends Error {
  readonly exit: number;
  constructor(message: string, exit: number) {
    super(message);
    this.exit = exit;
  }
}

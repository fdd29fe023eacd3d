/** A stack failure that says what happened, what to do next and, when known, the evidence. */
export class StackError extends Error {
  override name = "StackError";
  constructor(
    message: string,
    readonly hint: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

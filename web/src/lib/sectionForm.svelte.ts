// One form of a workspace section (/admin's roles, VCPs, members …): its request runs with
// the buttons off, and ends in one sentence beside the form, what went wrong or what was
// done; what was typed stays. Afterwards the page may refresh what depends on it.
import { failureSentence } from "./workspace";

export class SectionForm {
  error = $state("");
  done = $state("");
  busy = $state(false);

  constructor(
    /** The form's name: its sentences are `<name>-error` and `<name>-done`. */
    readonly name: string,
    private readonly unreachable: () => string,
    private readonly after?: () => Promise<void> | void,
  ) {}

  /** Show a sentence without a request (input refused before sending). */
  refuse(sentence: string) {
    this.done = "";
    this.error = sentence;
  }

  async run(work: () => Promise<unknown>, ok?: string): Promise<boolean> {
    this.busy = true;
    this.error = "";
    this.done = "";
    try {
      await work();
      if (ok) this.done = ok;
      await this.after?.();
      return true;
    } catch (failure) {
      this.error = failureSentence(failure, this.unreachable());
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** The section's data, read when it is opened: a failure is the form's sentence. */
  async load(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (failure) {
      this.error = failureSentence(failure, this.unreachable());
    }
  }

  /** aria-invalid for the form's fields. */
  get invalid(): "true" | undefined {
    return this.error ? "true" : undefined;
  }
}

// One person-started action at a time per panel: whether it runs, and the sentence of its
// last failure.
import { useState } from "preact/hooks";

export interface Action {
  busy: string | undefined;
  error: string | undefined;
  /** Runs `work`, showing `what` meanwhile; a failure's message becomes `error`. */
  run(what: string, work: () => Promise<void>): Promise<void>;
  clear(): void;
}

export const messageOf = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

export function useAction(): Action {
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  return {
    busy,
    error,
    async run(what, work) {
      setBusy(what);
      setError(undefined);
      try {
        await work();
      } catch (failure) {
        setError(messageOf(failure));
      } finally {
        setBusy(undefined);
      }
    },
    clear: () => setError(undefined),
  };
}

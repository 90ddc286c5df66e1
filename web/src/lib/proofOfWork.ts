// Proof of work (ALTCHA) when an organisation is under pressure: the platform answers an
// anonymous request with 428 and a challenge (docs/api.md, "Proof of work under pressure");
// lib/api.ts hands the challenge to whoever solves it here (components/ProofOfWork.svelte,
// with the `altcha` widget) and sends the request again with the solution.
import { writable } from "svelte/store";

export const PROOF_OF_WORK_STATUS = 428;
export const PROOF_OF_WORK_HEADER = "X-Altcha";
const REASONS = new Set(["proof_of_work_required", "proof_of_work_invalid"]);

export interface Challenge {
  parameters: Record<string, unknown>;
  signature?: string;
}

export interface PendingProof {
  challenge: Challenge;
  solved: (payload: string) => void;
  cancelled: () => void;
}

/** The challenge waiting to be solved, shown by the solver component while it is there. */
export const pendingProof = writable<PendingProof | null>(null);

let solvers = 0;

/** A solver component is mounted (the request would otherwise wait for nobody). */
export function registerSolver(): () => void {
  solvers += 1;
  return () => {
    solvers -= 1;
  };
}

/** The challenge in a 428 answer's body, or null when the answer is no such request. */
export function challengeIn(status: number, body: unknown): Challenge | null {
  if (status !== PROOF_OF_WORK_STATUS || !body || typeof body !== "object") return null;
  const { reason, challenge } = body as { reason?: unknown; challenge?: unknown };
  if (typeof reason !== "string" || !REASONS.has(reason)) return null;
  if (!challenge || typeof challenge !== "object") return null;
  const parameters = (challenge as { parameters?: unknown }).parameters;
  if (!parameters || typeof parameters !== "object") return null;
  return challenge as Challenge;
}

/** The solution (the X-Altcha header's value) once the solver has it; null when there is
 * no solver on the page or the person stopped it. */
export function solveProofOfWork(challenge: Challenge): Promise<string | null> {
  if (solvers === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    pendingProof.set({
      challenge,
      solved: (payload) => {
        pendingProof.set(null);
        resolve(payload);
      },
      cancelled: () => {
        pendingProof.set(null);
        resolve(null);
      },
    });
  });
}

// Every call goes to this origin's `/api/<service>/…`: the gateway routes it, and the
// Content-Security-Policy (`connect-src 'self'`) allows nothing else.
import { PROOF_OF_WORK_HEADER, challengeIn, solveProofOfWork } from "./proofOfWork";

export type Service = "intake" | "policy" | "reports" | "notify" | "identity";

/** The platform answered with an error: `detail` is its sentence, `status` the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly retryAfterSeconds: number | null = null,
    /** A 422's fields, by name (dotted when nested), in the order its sentence names them. */
    readonly fields: readonly string[] = [],
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

/** The platform could not be reached at all: the network, or the gateway found no service. */
export class NetworkError extends Error {
  constructor() {
    super("The platform cannot be reached.");
    this.name = "NetworkError";
  }
}

// The gateway answers these when the service behind it is down: for a person that is the
// same as no connection, and the request may be tried again.
const UNREACHABLE = new Set([502, 503, 504]);

/** The sentence of an error answer: FastAPI's `detail` is a string, or a list for 422. */
function fieldsOf(body: unknown): string[] {
  if (!body || typeof body !== "object" || !("fields" in body)) return [];
  const fields = (body as { fields: unknown }).fields;
  return Array.isArray(fields) ? fields.filter((field): field is string => typeof field === "string") : [];
}

export function detailOf(body: unknown, status: number): string {
  if (body && typeof body === "object" && "detail" in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail) && detail.length > 0) {
      const first = detail[0] as { msg?: unknown; loc?: unknown };
      const where = Array.isArray(first.loc) ? first.loc.slice(1).join(".") : "";
      const message = typeof first.msg === "string" ? first.msg : "The input is not valid.";
      return where ? `${where}: ${message}.` : `${message}.`;
    }
  }
  return `The platform answered ${status}.`;
}

function retryAfter(response: Response): number | null {
  const value = response.headers.get("retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : null;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// What a call to a service names; not the DOM's RequestInit, which `send` builds from it.
type ApiRequest = {
  method?: string;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
};

export async function request<T>(service: Service, path: string, init: ApiRequest = {}): Promise<T> {
  return (await exchange(service, path, init, true)).body as T;
}

/**
 * A request whose answer is bytes (an encrypted file), with everything `request` does:
 * proof of work when the organisation is under pressure, the same errors. A reporter's
 * download under pressure is solved and sent again like any other anonymous request,
 * rather than failing with the puzzle's 428.
 */
export async function requestBytes(service: Service, path: string, init: ApiRequest = {}): Promise<Uint8Array> {
  const { response } = await exchange(service, path, init, false);
  return new Uint8Array(await response.arrayBuffer());
}

async function exchange(
  service: Service,
  path: string,
  init: ApiRequest,
  json: boolean,
): Promise<{ response: Response; body: unknown }> {
  const headers: Record<string, string> = {
    ...init.headers,
    accept: json ? "application/json" : "application/octet-stream, application/json",
  };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let { response, body } = await send(service, path, init, headers, json);
  // An organisation under pressure asks for proof of work first: solve it and ask again,
  // twice at most (a solution may expire while it is being found).
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const challenge = challengeIn(response.status, body);
    if (challenge === null) break;
    const solution = await solveProofOfWork(challenge);
    if (solution === null) break;
    headers[PROOF_OF_WORK_HEADER] = solution;
    ({ response, body } = await send(service, path, init, headers, json));
  }
  if (!response.ok) {
    if (UNREACHABLE.has(response.status) && !(body && typeof body === "object")) {
      throw new NetworkError();
    }
    throw new ApiError(response.status, detailOf(body, response.status), retryAfter(response), fieldsOf(body));
  }
  return { response, body };
}

async function send(
  service: Service,
  path: string,
  init: { method?: string; body?: unknown },
  headers: Record<string, string>,
  json: boolean,
): Promise<{ response: Response; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(`/api/${service}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
  } catch {
    throw new NetworkError();
  }
  // Bytes are read by the caller; an error's body (a sentence, or a challenge) is JSON.
  if (!json && response.ok) return { response, body: null };
  return { response, body: parseJson(await response.text().catch(() => "")) };
}

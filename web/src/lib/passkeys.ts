// Passkeys and signed-in devices (identity's /v1/passkeys and /v1/sessions; docs/api.md
// "Passkeys and devices"). The browser's WebAuthn calls go through @simplewebauthn/browser;
// what it hands over is the signed answer to identity's one-time challenge, never a secret
// identity could reuse, and nothing of it is kept in this page or in browser storage.
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { request } from "./api";
import { accessToken, signedIn, type SignedInAnswer, type SignInResult } from "./session";

export interface Passkey {
  passkey_id: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
}

export interface Device {
  session_id: string;
  device: string;
  started_at: string;
  last_used_at: string;
  with_passkey: boolean;
  current: boolean;
}

// The cookie comes along by itself (same origin, identity's path); this header asks identity
// to read it, so that it can tell which device is this one.
const COOKIE_MODE = { "x-safehands-session": "cookie" };

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

async function signedInRequest<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  return request<T>("identity", path, {
    method,
    body,
    token: await accessToken(),
    headers: COOKIE_MODE,
  });
}

/** Make a passkey on this device (the browser asks the person) and register it. */
export async function addPasskey(label?: string): Promise<Passkey> {
  const optionsJSON = await signedInRequest<PublicKeyCredentialCreationOptionsJSON>(
    "/v1/passkeys/registration/options",
    "POST",
  );
  const credential: RegistrationResponseJSON = await startRegistration({ optionsJSON });
  return signedInRequest<Passkey>("/v1/passkeys", "POST", label ? { credential, label } : { credential });
}

export const loadPasskeys = () => signedInRequest<Passkey[]>("/v1/passkeys");

export const removePasskey = (id: string) =>
  signedInRequest<null>(`/v1/passkeys/${encodeURIComponent(id)}`, "DELETE");

export const loadDevices = () => signedInRequest<Device[]>("/v1/sessions");

export const signOutDevice = (id: string) =>
  signedInRequest<null>(`/v1/sessions/${encodeURIComponent(id)}`, "DELETE");

/** Sign in with a passkey this browser offers (no address typed, no mail): answered like a
 * sign-in link, and the session starts the same way. */
export async function signInWithPasskey(): Promise<SignInResult> {
  const optionsJSON = await request<PublicKeyCredentialRequestOptionsJSON>(
    "identity",
    "/v1/sign-in/passkey/options",
    { method: "POST", body: {}, headers: COOKIE_MODE },
  );
  const credential: AuthenticationResponseJSON = await startAuthentication({ optionsJSON });
  const answer = await request<SignedInAnswer>("identity", "/v1/sign-in/passkey", {
    body: { credential },
    headers: COOKIE_MODE,
  });
  return signedIn(answer);
}

/** Whether a failure is the person (or the browser) calling the passkey dialog off. */
export function cancelled(failure: unknown): boolean {
  return failure instanceof Error && (failure.name === "NotAllowedError" || failure.name === "AbortError");
}

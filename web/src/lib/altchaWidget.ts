// The ALTCHA widget, self-hosted and loaded only when a challenge is asked. `altcha/external`
// bundles no inline worker and no inline style: Vite emits its PBKDF2 worker and its CSS as
// files of this origin, which the Content-Security-Policy allows (worker-src, style-src
// 'self'). No request leaves the origin (the challenge is handed to it, not fetched; no
// verification server), and no cookie is set.
import "altcha/external";
import "altcha/altcha.css";
import Pbkdf2Worker from "altcha/workers/pbkdf2?worker";
import { LANGUAGES, translate } from "./i18n";

globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Pbkdf2Worker());

// The widget's own words, in the app's plain Dutch and English.
for (const language of LANGUAGES) {
  const say = (key: Parameters<typeof translate>[1]) => translate(language, key);
  globalThis.$altcha.i18n.set(language, {
    ariaLinkLabel: "ALTCHA",
    cancel: say("pow_cancel"),
    enterCode: "",
    enterCodeAria: "",
    error: say("pow_error"),
    expired: say("pow_expired"),
    footer: "",
    getAudioChallenge: "",
    label: say("pow_label"),
    loading: say("pow_verifying"),
    reload: say("pow_reload"),
    verify: say("pow_verify"),
    verificationRequired: say("pow_required"),
    verified: say("pow_verified"),
    verifying: say("pow_verifying"),
    waitAlert: say("pow_wait"),
  });
}

// The English of signin.nl.ts: exactly the same keys.
import type { messages as nl } from "./signin.nl";

export const messages: Record<keyof typeof nl, string> = {
  sign_in_intro:
    "Fill in your e-mail address. You then get an e-mail with a link. With that link you sign in. You do not need a password.",
  sign_in_email_label: "Your e-mail address",
  sign_in_submit: "Send me a link",
  sign_in_sent_title: "Check your mailbox",
  sign_in_sent_text:
    "Does {email} belong to an organisation on SafeHands? Then you will now get an e-mail with a link to sign in. The link works for 15 minutes, and only once.",
  sign_in_sent_spam: "No e-mail? Also look in your junk mail. Or ask for a new link.",
  sign_in_again: "Ask for a new link",
  error_sign_in_wait_one:
    "You asked for a link too often. Wait {count} minute and then try again.",
  error_sign_in_wait_other:
    "You asked for a link too often. Wait {count} minutes and then try again.",
  error_sign_in_wait_short: "You asked for a link too often. Wait a little and then try again.",
  signed_out_asked: "You have signed out.",
  signed_out_idle: "You were not active for 30 minutes. That is why you have been signed out.",
  callback_busy: "Signing you in…",
  callback_bad_title: "This link does not work any more",
  callback_bad_text:
    "A sign-in link works only once, and only for 15 minutes. Ask for a new link.",
  chooser_title: "What do you want to continue with?",
  chooser_text:
    "You belong to more than one organisation, or you have more than one task. Choose one.",
  passkey_failed: "That did not work with this passkey. Try again or ask for a link by mail.",
  passkey_sign_in_title: "Or with a passkey",
  passkey_sign_in_intro: "Do you have a passkey for SafeHands on this device? Then you type no address and get no mail.",
  passkey_sign_in: "Sign in with a passkey",
};

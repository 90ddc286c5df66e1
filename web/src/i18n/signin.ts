// Signing in (/sign-in) and the link's landing page (/sign-in/callback).
// Dutch is the reference; English has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one catalogue only).

export const nl = {
  sign_in_intro:
    "Vul je e-mailadres in. Je krijgt dan een e-mail met een link. Met die link log je in. Je hebt geen wachtwoord nodig.",
  sign_in_email_label: "Je e-mailadres",
  sign_in_submit: "Stuur mij een link",
  sign_in_sent_title: "Kijk in je mailbox",
  sign_in_sent_text:
    "Hoort {email} bij een organisatie op SafeHands? Dan krijg je nu een e-mail met een link om in te loggen. De link werkt 15 minuten, en maar één keer.",
  sign_in_sent_spam:
    "Geen e-mail gekregen? Kijk ook bij je ongewenste e-mail. Of vraag een nieuwe link.",
  sign_in_again: "Een nieuwe link vragen",
  error_sign_in_wait_one:
    "Je hebt te vaak een link gevraagd. Wacht {count} minuut en probeer het dan opnieuw.",
  error_sign_in_wait_other:
    "Je hebt te vaak een link gevraagd. Wacht {count} minuten en probeer het dan opnieuw.",
  error_sign_in_wait_short: "Je hebt te vaak een link gevraagd. Wacht even en probeer het dan opnieuw.",
  signed_out_asked: "Je bent uitgelogd.",
  signed_out_idle: "Je was 30 minuten niet actief. Daarom ben je uitgelogd.",
  callback_busy: "Je wordt ingelogd…",
  callback_bad_title: "Deze link werkt niet meer",
  callback_bad_text:
    "Een link om in te loggen werkt maar één keer, en maar 15 minuten. Vraag een nieuwe link aan.",
  chooser_title: "Waarmee wil je verder?",
  chooser_text: "Je hoort bij meer dan één organisatie, of je hebt er meer dan één taak. Kies er één.",
  passkey_failed: "Dat lukte niet met deze passkey. Probeer het opnieuw of vraag een link per mail.",
  passkey_sign_in_title: "Of met een passkey",
  passkey_sign_in_intro: "Heb je een passkey voor SafeHands op dit apparaat? Dan hoef je geen mailadres te typen en krijg je geen mail.",
  passkey_sign_in: "Inloggen met een passkey",
} as const;

export const en: Record<keyof typeof nl, string> = {
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

// Signing in (/sign-in) and the link's landing page (/sign-in/callback).
// Dutch is the reference: signin.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
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

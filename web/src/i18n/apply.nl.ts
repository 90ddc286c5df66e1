// Applying as a volunteer (/o/<org>/apply).
// Dutch is the reference: apply.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
  describe_apply: "Word vrijwilliger bij {name}: kies een rol en laat je gegevens achter.",
  apply_title: "Vrijwilliger worden bij {name}",
  apply_intro:
    "Kies een rol en vul je gegevens in. Bij elke rol staat wat er nodig is voordat je mag beginnen.",
  apply_role_legend: "Welke rol wil je doen?",
  apply_needs_intro: "Nodig voor deze rol:",
  apply_needs_interview: "een gesprek met de coördinator;",
  apply_needs_code: "je tekent de gedragscode;",
  apply_needs_vog_minors:
    "een VOG (Verklaring Omtrent het Gedrag), omdat je met kinderen werkt.",
  apply_needs_vog_vulnerable:
    "een VOG (Verklaring Omtrent het Gedrag), omdat je met kwetsbare mensen werkt.",
  apply_needs_vog_both:
    "een VOG (Verklaring Omtrent het Gedrag), omdat je met kinderen en kwetsbare mensen werkt.",
  apply_name_label: "Je naam",
  apply_email_label: "Je e-mailadres",
  apply_email_hint: "Met dit adres log je later in. We sturen je hier ook berichten.",
  apply_motivation_label: "Waarom wil je dit doen?",
  apply_motivation_hint: "Een paar zinnen is genoeg (hoogstens 1000 tekens).",
  apply_phone_label: "Telefoonnummer",
  apply_phone_hint: "Zodat de coördinator je kan bellen voor een kennismaking.",
  apply_error_phone: "Vul een telefoonnummer in met alleen cijfers, spaties en + - ( ) . / (minstens 6 cijfers), of laat het leeg.",
  apply_privacy_one: "Alleen de coördinatoren van {name} zien je telefoonnummer en motivatie. We wissen ze met je andere gegevens {count} dag nadat je aanmelding of je vrijwilligerswerk is afgelopen.",
  apply_privacy_other: "Alleen de coördinatoren van {name} zien je telefoonnummer en motivatie. We wissen ze met je andere gegevens {count} dagen nadat je aanmelding of je vrijwilligerswerk is afgelopen.",
  apply_submit: "Aanmelden",
  apply_error_role: "Kies een rol.",
  apply_error_name: "Vul je naam in.",
  apply_error_busy: "Er zijn nu te veel aanmeldingen. Wacht even en probeer het opnieuw.",
  apply_done_title: "Bedankt voor je aanmelding",
  apply_done_intro: "{name} heeft je aanmelding voor de rol {role} ontvangen.",
  apply_next_heading: "Wat gebeurt er nu?",
  apply_next_interview: "De coördinator van {name} nodigt je uit voor een gesprek.",
  apply_next_code: "Je leest de gedragscode en je tekent hem. Dat doe je op SafeHands.",
  apply_next_vog:
    "De coördinator vraagt een VOG voor je aan bij Justis. Je krijgt dan een e-mail van Justis. Als je de VOG hebt, laat je hem zien aan de coördinator.",
  apply_next_admitted: "Is alles klaar? Dan mag je beginnen.",
  apply_next_sign_in:
    "Je kunt inloggen met het e-mailadres dat je gaf: {email}. Daar zie je wat er nog moet gebeuren.",
} as const;

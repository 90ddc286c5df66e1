// Applying as a volunteer (/o/<org>/apply).
// Dutch is the reference; English has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one catalogue only).

export const nl = {
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

export const en: Record<keyof typeof nl, string> = {
  describe_apply: "Become a volunteer at {name}: choose a role and leave your details.",
  apply_title: "Volunteer at {name}",
  apply_intro:
    "Choose a role and fill in your details. Each role says what is needed before you can start.",
  apply_role_legend: "Which role do you want to do?",
  apply_needs_intro: "Needed for this role:",
  apply_needs_interview: "a conversation with the coordinator;",
  apply_needs_code: "you sign the code of conduct;",
  apply_needs_vog_minors:
    "a certificate of conduct (VOG), because you work with children.",
  apply_needs_vog_vulnerable:
    "a certificate of conduct (VOG), because you work with vulnerable people.",
  apply_needs_vog_both:
    "a certificate of conduct (VOG), because you work with children and vulnerable people.",
  apply_name_label: "Your name",
  apply_email_label: "Your e-mail address",
  apply_email_hint: "You sign in with this address later. We also send you messages here.",
  apply_motivation_label: "Why do you want to do this?",
  apply_motivation_hint: "A few sentences are enough (at most 1000 characters).",
  apply_phone_label: "Phone number",
  apply_phone_hint: "So that the coordinator can call you to get to know you.",
  apply_error_phone: "Enter a phone number with only digits, spaces and + - ( ) . / (at least 6 digits), or leave it empty.",
  apply_privacy_one: "Only the coordinators of {name} see your phone number and motivation. We erase them with your other details {count} day after your application or your volunteering has ended.",
  apply_privacy_other: "Only the coordinators of {name} see your phone number and motivation. We erase them with your other details {count} days after your application or your volunteering has ended.",
  apply_submit: "Apply",
  apply_error_role: "Choose a role.",
  apply_error_name: "Fill in your name.",
  apply_error_busy: "There are too many applications right now. Wait a moment and try again.",
  apply_done_title: "Thank you for applying",
  apply_done_intro: "{name} has received your application for the role {role}.",
  apply_next_heading: "What happens now?",
  apply_next_interview: "The coordinator of {name} invites you for a conversation.",
  apply_next_code: "You read the code of conduct and sign it. You do that on SafeHands.",
  apply_next_vog:
    "The coordinator requests a certificate of conduct (VOG) for you at Justis. You then get an e-mail from Justis. When you have the VOG, you show it to the coordinator.",
  apply_next_admitted: "Is everything done? Then you can start.",
  apply_next_sign_in:
    "You can sign in with the e-mail address you gave: {email}. There you see what still has to happen.",
};

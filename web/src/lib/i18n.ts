// Dutch and English, written at B1 level: short sentences, everyday words, one idea each.
// The Dutch catalogue is the reference: English must have exactly the same keys.
import { derived, get, writable } from "svelte/store";

export type Language = "nl" | "en";
export const LANGUAGES: readonly Language[] = ["nl", "en"];
export const DEFAULT_LANGUAGE: Language = "nl";
export const LANGUAGE_NAMES: Record<Language, string> = { nl: "Nederlands", en: "English" };

const nl = {
  skip_to_content: "Naar de inhoud",
  leave_quickly: "Snel weg",
  leave_quickly_hint: "Of druk twee keer op Esc.",
  language: "Taal",
  loading: "Even geduld…",
  retry: "Opnieuw proberen",
  unreachable_title: "SafeHands is nu niet bereikbaar",
  unreachable_text: "Controleer je internet en probeer het opnieuw.",
  unknown_org_title: "Deze organisatie kennen we niet",
  unknown_org_text:
    "Er is geen organisatie met het adres „{org}”. Kijk of het adres goed is. Of vraag het goede adres aan de organisatie zelf.",
  not_found_title: "Deze pagina bestaat niet",
  not_found_text: "Kijk of het adres goed is.",
  footer_privacy: "SafeHands bewaart je IP-adres niet en gebruikt geen cookies.",
  home_title: "SafeHands",
  home_text:
    "SafeHands helpt vrijwilligersorganisaties om veilig te werken. Wil je iets melden? Ga dan naar de pagina van je organisatie.",
  sign_in_link: "Inloggen",

  org_report_heading: "Is er iets gebeurd dat niet goed voelde?",
  org_report_text:
    "Vertel het aan de vertrouwenspersoon van {name}. Je hoeft je naam niet te geven.",
  org_report_link: "Iets melden",
  org_follow_up_heading: "Heb je al iets gemeld?",
  org_follow_up_text: "Lees het antwoord met je meldcode.",
  org_follow_up_link: "Antwoord lezen",
  org_roles_heading: "Vrijwilligerswerk bij {name}",
  org_roles_none: "Er zijn nu geen vrijwilligersrollen.",
  role_minors: "Werkt met kinderen",
  role_vulnerable: "Werkt met kwetsbare mensen",
  role_vog: "Een VOG is nodig",
  back_to_org: "Terug naar {name}",

  report_title: "Iets melden bij {name}",
  report_what_happens: "Wat gebeurt er met je melding?",
  report_goes_to_one: "Je melding gaat naar de vertrouwenspersoon van {name}: {vcps}.",
  report_goes_to_many: "Je melding gaat naar de vertrouwenspersonen van {name}: {vcps}.",
  report_locked:
    "Je melding gaat op slot op je eigen telefoon of computer, voordat hij wordt verstuurd. Alleen de vertrouwenspersoon heeft de sleutel. SafeHands en {name} kunnen je melding niet lezen.",
  report_anonymous: "Je hoeft je naam niet te geven.",
  report_receipt_only_way:
    "Na het versturen krijg je een meldcode. Alleen met die code kun je later het antwoord lezen. Wij kunnen de code niet opnieuw geven.",
  report_danger: "Is er nu gevaar? Bel 112.",
  report_no_vcp:
    "{name} heeft nog geen vertrouwenspersoon. Daarom kun je hier nu niets melden. Praat met iemand die je vertrouwt.",
  report_form_heading: "Je melding",
  report_and: "en",
  category_label: "Waar gaat het over?",
  category_choose: "Kies een onderwerp",
  category_bullying: "Pesten",
  category_discrimination: "Discriminatie: iemand wordt anders behandeld om wie hij of zij is",
  category_sexual_intimidation:
    "Seksuele intimidatie: aanraken, opmerkingen of berichten die je niet wilt",
  category_aggression: "Agressie of geweld",
  category_other: "Iets anders",
  description_label: "Wat is er gebeurd?",
  description_hint: "Schrijf het in je eigen woorden. Wie waren erbij? Wat zag of hoorde je?",
  occurred_on_label: "Wanneer was het?",
  location_label: "Waar was het?",
  optional: "(mag je leeg laten)",
  contact_legend: "Wil je dat de vertrouwenspersoon contact met je opneemt?",
  contact_no: "Nee, ik lees het antwoord met mijn meldcode",
  contact_yes: "Ja, neem contact met mij op",
  contact_how_label: "Hoe kan de vertrouwenspersoon je bereiken?",
  contact_how_hint:
    "Bijvoorbeeld je telefoonnummer of e-mailadres. Alleen de vertrouwenspersoon kan dit lezen.",
  report_submit: "Melding versturen",
  report_sending: "Je melding gaat op slot en wordt verstuurd…",
  error_category: "Kies waar het over gaat.",
  error_description: "Schrijf wat er is gebeurd.",
  error_date_future: "Die dag is nog niet geweest. Kies vandaag of een dag eerder.",
  error_contact: "Schrijf hoe de vertrouwenspersoon je kan bereiken. Of kies ‘Nee’.",
  error_not_sent_unreachable:
    "Je melding is niet verstuurd: we kunnen SafeHands nu niet bereiken. Je tekst staat er nog. Controleer je internet en probeer het opnieuw.",
  error_not_sent_busy:
    "Je melding is niet verstuurd: er komen nu te veel meldingen binnen. Je tekst staat er nog. Wacht een paar minuten en probeer het opnieuw.",
  error_not_sent: "Je melding is niet verstuurd. {detail} Je tekst staat er nog.",
  error_form_summary: "Er ontbreekt nog iets. Kijk naar de vragen hieronder.",

  receipt_title: "Je melding is verstuurd",
  receipt_label: "Je meldcode",
  receipt_once: "Dit is je meldcode. Je ziet hem maar één keer.",
  receipt_keep:
    "Bewaar de code goed: schrijf hem op, kopieer hem, download hem of print hem. Met deze code lees je later het antwoord van de vertrouwenspersoon.",
  receipt_lost: "Ben je de code kwijt? Dan kunnen wij hem niet opnieuw geven.",
  receipt_secret: "Laat de code aan niemand zien. Wie de code heeft, kan de antwoorden lezen.",
  receipt_where: "Het antwoord lees je op:",
  receipt_copy: "Kopiëren",
  receipt_copied: "De meldcode is gekopieerd.",
  receipt_copy_failed: "Kopiëren lukte niet. Schrijf de code over.",
  receipt_download: "Downloaden als tekstbestand",
  receipt_print: "Printen",
  receipt_done: "Ik heb mijn meldcode bewaard",
  receipt_file_name: "meldcode.txt",
  receipt_file_text:
    "Meldcode voor {name}\n\n{receipt}\n\nMet deze code lees je het antwoord van de vertrouwenspersoon op:\n{url}\n\nLaat deze code aan niemand zien.\n",

  follow_up_title: "Antwoord lezen",
  follow_up_intro:
    "Typ je meldcode. Die kreeg je toen je de melding verstuurde. Hoofdletters, spaties en streepjes maken niet uit.",
  receipt_input_label: "Je meldcode",
  follow_up_open: "Openen",
  follow_up_checking: "Even kijken…",
  error_receipt_length:
    "Een meldcode heeft 26 tekens. Jij typte er {count}. Kijk de code nog eens na.",
  error_receipt_characters:
    "Een meldcode heeft alleen letters en de cijfers 2 tot en met 7. Kijk de code nog eens na.",
  no_report_found:
    "We vonden geen melding bij deze meldcode. Kijk of je de code goed hebt getypt.",
  error_unreachable_retry:
    "We kunnen SafeHands nu niet bereiken. Controleer je internet en probeer het opnieuw.",
  status_heading: "Hoe staat je melding ervoor?",
  status_received: "Ontvangen: je melding is aangekomen.",
  status_acknowledged: "Gelezen: de vertrouwenspersoon heeft je melding gelezen.",
  status_in_progress: "Mee bezig: de vertrouwenspersoon werkt aan je melding.",
  status_closed: "Afgesloten: de vertrouwenspersoon heeft je melding afgerond.",
  deadline_acknowledge:
    "De vertrouwenspersoon laat uiterlijk {date} weten dat je melding is gelezen.",
  deadline_feedback: "Uiterlijk {date} hoor je wat er met je melding gebeurt.",
  messages_heading: "Berichten",
  messages_none: "Er zijn nog geen berichten.",
  message_from_vcp: "Van de vertrouwenspersoon, {date}",
  message_from_you: "Van jou, {date}",
  message_only_vcp: "Alleen de vertrouwenspersoon kan dit bericht lezen.",
  message_cannot_open: "Dit bericht kon niet worden geopend.",
  reply_heading: "Antwoord sturen",
  reply_label: "Je bericht aan de vertrouwenspersoon",
  reply_send: "Versturen",
  reply_sending: "Je bericht gaat op slot en wordt verstuurd…",
  reply_sent: "Je bericht is verstuurd.",
  error_reply_empty: "Schrijf eerst een bericht.",
  error_reply_not_sent_unreachable:
    "Je bericht is niet verstuurd: we kunnen SafeHands nu niet bereiken. Je tekst staat er nog. Probeer het opnieuw.",
  error_reply_not_sent: "Je bericht is niet verstuurd. {detail} Je tekst staat er nog.",
  closed_no_reply:
    "Deze melding is afgesloten. Je kunt geen bericht meer sturen. Wil je iets nieuws vertellen? Doe dan een nieuwe melding.",
  new_report_link: "Nieuwe melding doen",
  follow_up_close: "Klaar, sluiten",

  sign_in_title: "Inloggen",
  sign_in_intro:
    "Vul je e-mailadres in. Je krijgt dan een e-mail met een link. Met die link log je in. Je hebt geen wachtwoord nodig.",
  sign_in_email_label: "Je e-mailadres",
  sign_in_submit: "Stuur mij een link",
  sign_in_sending: "Even geduld…",
  sign_in_sent_title: "Kijk in je mailbox",
  sign_in_sent_text:
    "Hoort {email} bij een organisatie op SafeHands? Dan krijg je nu een e-mail met een link om in te loggen. De link werkt 15 minuten, en maar één keer.",
  sign_in_sent_spam:
    "Geen e-mail gekregen? Kijk ook bij je ongewenste e-mail. Of vraag een nieuwe link.",
  sign_in_again: "Een nieuwe link vragen",
  error_email: "Vul een goed e-mailadres in, zoals naam@voorbeeld.nl.",
  error_sign_in_wait:
    "Je hebt te vaak een link gevraagd. Wacht {minutes} minuten en probeer het dan opnieuw.",
  error_sign_in_wait_short: "Je hebt te vaak een link gevraagd. Wacht even en probeer het dan opnieuw.",
  signed_out_asked: "Je bent uitgelogd.",
  signed_out_idle: "Je was 30 minuten niet actief. Daarom ben je uitgelogd.",
  signed_out_ended: "Je sessie is afgelopen. Log opnieuw in.",
  callback_busy: "Je wordt ingelogd…",
  callback_bad_title: "Deze link werkt niet meer",
  callback_bad_text:
    "Een link om in te loggen werkt maar één keer, en maar 15 minuten. Vraag een nieuwe link aan.",
  chooser_title: "Waarmee wil je verder?",
  chooser_text: "Je hoort bij meer dan één organisatie, of je hebt er meer dan één taak. Kies er één.",
  operator_org: "Platformbeheer",
  role_admin: "beheerder",
  role_coordinator: "coördinator",
  role_vcp: "vertrouwenspersoon",
  role_volunteer: "vrijwilliger",
  role_operator: "platformbeheerder",
  me_title: "Jouw organisaties",
  me_intro: "Hier zie je bij welke organisaties je hoort, en wat je taak daar is.",
  me_current: "Nu bezig",
  me_use: "Hiermee verder",
  me_roles: "Taken: {roles}",
  me_not_signed_in: "Je bent niet ingelogd.",
  navigation: "Menu",
  nav_me: "Mijn organisaties",
  nav_admin: "Beheer",
  nav_coordinator: "Coördinatie",
  nav_vcp: "Meldingen (vertrouwenspersoon)",
  nav_operator: "Platformbeheer",
  sign_out: "Uitloggen",

  // /apply, /me volunteer, /coordinator
  org_apply_link: "Aanmelden als vrijwilliger",
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
  vol_heading: "Jouw aanmelding als vrijwilliger",
  vol_refresh: "Opnieuw bekijken",
  vol_status_admitted: "Je bent toegelaten. Je mag als vrijwilliger aan de slag.",
  vol_status_rejected: "Je bent niet toegelaten. Heb je vragen? Neem contact op met de coördinator.",
  vol_status_pending: "Je bent nog niet toegelaten.",
  vol_missing_intro: "Dit moet nog gebeuren:",
  vol_step_interview: "Het gesprek.",
  vol_step_code_signature: "De gedragscode tekenen.",
  vol_step_vog: "De VOG.",
  vol_next_interview: "De coördinator nodigt je uit voor een gesprek.",
  vol_next_code_signature: "Lees de gedragscode hieronder en teken hem met je volledige naam.",
  vol_next_vog:
    "De coördinator vraagt je VOG aan bij Justis. Je krijgt een e-mail van Justis. Vraag de VOG aan en laat de VOG daarna zien aan de coördinator.",
  vol_role: "Je rol: {role}.",
  vol_sign_again:
    "Er is een nieuwe gedragscode (versie {version}). Je tekende versie {old}. Lees de nieuwe tekst en teken opnieuw.",
  vol_vog_heading: "Je VOG",
  vol_vog_renew_by: "Je VOG is van {issued}. Je moet hem vernieuwen vóór {date}.",
  vol_vog_none_yet: "We hebben je VOG nog niet. Daarom is er nog geen datum om hem te vernieuwen.",
  vol_vog_not_needed: "Er is nu geen VOG die je moet vernieuwen.",
  vol_code_heading: "De gedragscode",
  vol_code_none: "Er is nog geen gedragscode. Je krijgt bericht als die er is.",
  vol_code_version: "Versie {version}.",
  vol_code_version_date: "Versie {version}, van {date}.",
  vol_code_signed: "Je hebt versie {version} getekend.",
  sign_full_name_label: "Je volledige naam",
  sign_full_name_hint:
    "Typ je voor- en achternaam. Zo teken je versie {version} van de gedragscode.",
  sign_error_full_name: "Typ je volledige naam: je voornaam en je achternaam.",
  sign_submit: "Teken versie {version}",
  signed_heading: "Je hebt de gedragscode getekend",
  signed_file_title: "Bewijs: gedragscode getekend bij {name}",
  signed_version: "Versie",
  signed_name: "Naam",
  signed_time: "Tijd",
  signed_download: "Bewijs opslaan",
  signed_print: "Afdrukken",
  coord_title: "Coördinatie: vrijwilligers",
  coord_refresh: "Lijsten bijwerken",
  coord_no_access_title: "Je hebt geen toegang tot deze pagina",
  coord_no_access_text:
    "Deze pagina is voor coördinatoren. Denk je dat je wel toegang moet hebben? Vraag het aan de beheerder van je organisatie.",
  coord_pipeline_heading: "Vrijwilligers per stap",
  coord_stage_label: "Toon vrijwilligers in stap",
  coord_stage_all: "Alle",
  stage_applied: "Aangemeld",
  stage_interviewed: "Gesprek gehad",
  stage_signed: "Code getekend",
  stage_vog: "VOG binnen",
  stage_admitted: "Toegelaten",
  stage_rejected: "Afgewezen",
  coord_role_label: "Rol",
  coord_role_all: "Alle rollen",
  coord_search_label: "Zoek op naam",
  coord_search_submit: "Zoeken",
  coord_count: "{count} vrijwilligers gevonden.",
  coord_none: "Geen vrijwilligers gevonden.",
  coord_pages_label: "Pagina's van de lijst",
  coord_prev: "Vorige",
  coord_next: "Volgende",
  coord_page: "Pagina {page} van {pages}",
  coord_no_name: "(naam gewist)",
  coord_missing: "Nog nodig: {steps}.",
  coord_step_interview: "gesprek",
  coord_step_code_signature: "gedragscode tekenen",
  coord_step_vog: "een VOG",
  coord_must_sign_again: "Moet versie {version} van de code nog tekenen.",
  coord_vog_renewal: "VOG vernieuwen vóór {date}.",
  coord_open: "Gegevens invullen voor {name}",
  coord_stage_now: "Stap nu: {stage}.",
  coord_interview_heading: "Het gesprek",
  coord_outcome_legend: "Wat is de uitkomst van het gesprek?",
  coord_doubt_rule: "Twijfel je? Laat de vrijwilliger dan niet toe. Kies dan „Ik twijfel”.",
  coord_outcome_proceed: "Goed: verder met de volgende stappen",
  coord_outcome_doubt: "Ik twijfel: niet toelaten",
  coord_outcome_reject: "Niet toelaten",
  coord_notes_label: "Aantekeningen",
  coord_interview_submit: "Uitkomst opslaan",
  coord_error_outcome: "Kies een uitkomst.",
  coord_interview_recorded: "De uitkomst van het gesprek met {name} is opgeslagen.",
  coord_vog_heading: "De VOG",
  coord_vog_intro:
    "Vul in wat je op de echte VOG zag. Bewaar geen kopie. Voor deze rol mag de VOG hoogstens {days} dagen oud zijn.",
  coord_vog_issued_on_label: "Datum van afgifte",
  coord_vog_aspects_legend: "Op welke punten is gescreend?",
  coord_aspect_84: "84: werken met kinderen",
  coord_aspect_85: "85: werken met kwetsbare mensen",
  coord_vog_checked_by_label: "Wie heeft de echte VOG gezien?",
  coord_vog_checked_by_hint: "Je eigen naam, of de naam van wie hem heeft bekeken.",
  coord_vog_submit: "VOG opslaan",
  coord_error_vog_missing: "Vul de datum van afgifte in.",
  coord_error_vog_future: "Deze datum ligt in de toekomst. Kijk nog eens op de VOG.",
  coord_error_vog_too_old:
    "Deze VOG is te oud. Voor deze rol mag hij hoogstens {days} dagen oud zijn. Vraag een nieuwe VOG aan.",
  coord_error_vog_aspects: "Voor deze rol moet de VOG deze punten hebben: {aspects}.",
  coord_error_checked_by: "Vul in wie de echte VOG heeft gezien.",
  coord_vog_recorded: "De VOG van {name} is opgeslagen.",
  coord_expiring_heading: "VOG's die binnen {days} dagen vernieuwd moeten worden",
  coord_expiring_none: "Er hoeft binnenkort geen VOG vernieuwd te worden.",
  coord_resign_heading: "Moeten de nieuwe gedragscode nog tekenen",
  coord_resign_none: "Iedereen heeft de huidige gedragscode getekend.",
  coord_export_heading: "Lijst voor het bestuur",
  coord_export_text:
    "Een bestand (CSV) met alle toegelaten vrijwilligers: naam, rol, datum van toelating, en de datums van de VOG.",
  coord_export_button: "Lijst opslaan (CSV)",
  csv_name: "Naam",
  csv_role: "Rol",
  csv_admitted_on: "Toegelaten op",
  csv_vog_issued_on: "VOG afgegeven op",
  csv_vog_renewal: "VOG vernieuwen voor",
} as const;

export type MessageKey = keyof typeof nl;

const en: Record<MessageKey, string> = {
  skip_to_content: "Skip to content",
  leave_quickly: "Leave quickly",
  leave_quickly_hint: "Or press Esc twice.",
  language: "Language",
  loading: "One moment…",
  retry: "Try again",
  unreachable_title: "We cannot reach SafeHands right now",
  unreachable_text: "Check your internet connection and try again.",
  unknown_org_title: "We do not know this organisation",
  unknown_org_text:
    "There is no organisation at the address “{org}”. Check that the address is right. Or ask the organisation for the right address.",
  not_found_title: "This page does not exist",
  not_found_text: "Check that the address is right.",
  footer_privacy: "SafeHands does not keep your IP address and uses no cookies.",
  home_title: "SafeHands",
  home_text:
    "SafeHands helps volunteer organisations to work safely. Do you want to report something? Go to your organisation's page.",
  sign_in_link: "Sign in",

  org_report_heading: "Did something happen that did not feel right?",
  org_report_text:
    "Tell the confidential contact person of {name}. You do not have to give your name.",
  org_report_link: "Report a concern",
  org_follow_up_heading: "Have you reported something already?",
  org_follow_up_text: "Read the answer with your receipt code.",
  org_follow_up_link: "Read the answer",
  org_roles_heading: "Volunteering at {name}",
  org_roles_none: "There are no volunteer roles right now.",
  role_minors: "Works with children",
  role_vulnerable: "Works with vulnerable people",
  role_vog: "A certificate of conduct (VOG) is needed",
  back_to_org: "Back to {name}",

  report_title: "Report a concern to {name}",
  report_what_happens: "What happens to your report?",
  report_goes_to_one: "Your report goes to the confidential contact person of {name}: {vcps}.",
  report_goes_to_many: "Your report goes to the confidential contact persons of {name}: {vcps}.",
  report_locked:
    "Your report is locked on your own phone or computer before it is sent. Only the confidential contact person has the key. SafeHands and {name} cannot read your report.",
  report_anonymous: "You do not have to give your name.",
  report_receipt_only_way:
    "After sending, you get a receipt code. Only with that code can you read the answer later. We cannot give you the code again.",
  report_danger: "Are you in danger right now? Call 112.",
  report_no_vcp:
    "{name} has no confidential contact person yet. That is why you cannot report anything here now. Talk to someone you trust.",
  report_form_heading: "Your report",
  report_and: "and",
  category_label: "What is it about?",
  category_choose: "Choose a subject",
  category_bullying: "Bullying",
  category_discrimination: "Discrimination: someone is treated differently for who they are",
  category_sexual_intimidation:
    "Sexual harassment: touching, comments or messages that you do not want",
  category_aggression: "Aggression or violence",
  category_other: "Something else",
  description_label: "What happened?",
  description_hint: "Write it in your own words. Who was there? What did you see or hear?",
  occurred_on_label: "When did it happen?",
  location_label: "Where did it happen?",
  optional: "(you may leave this empty)",
  contact_legend: "Do you want the confidential contact person to contact you?",
  contact_no: "No, I will read the answer with my receipt code",
  contact_yes: "Yes, please contact me",
  contact_how_label: "How can the confidential contact person reach you?",
  contact_how_hint:
    "For example your phone number or e-mail address. Only the confidential contact person can read this.",
  report_submit: "Send report",
  report_sending: "Your report is being locked and sent…",
  error_category: "Choose what it is about.",
  error_description: "Write what happened.",
  error_date_future: "That day has not come yet. Choose today or an earlier day.",
  error_contact: "Write how the confidential contact person can reach you. Or choose ‘No’.",
  error_not_sent_unreachable:
    "Your report was not sent: we cannot reach SafeHands right now. Your text is still here. Check your internet connection and try again.",
  error_not_sent_busy:
    "Your report was not sent: too many reports are coming in right now. Your text is still here. Wait a few minutes and try again.",
  error_not_sent: "Your report was not sent. {detail} Your text is still here.",
  error_form_summary: "Something is missing. Look at the questions below.",

  receipt_title: "Your report has been sent",
  receipt_label: "Your receipt code",
  receipt_once: "This is your receipt code. You will see it only once.",
  receipt_keep:
    "Keep the code safe: write it down, copy it, download it or print it. With this code you can read the answer of the confidential contact person later.",
  receipt_lost: "Have you lost the code? Then we cannot give it to you again.",
  receipt_secret: "Do not show the code to anyone. Whoever has the code can read the answers.",
  receipt_where: "Read the answer at:",
  receipt_copy: "Copy",
  receipt_copied: "The receipt code has been copied.",
  receipt_copy_failed: "Copying did not work. Please write the code down.",
  receipt_download: "Download as a text file",
  receipt_print: "Print",
  receipt_done: "I have kept my receipt code",
  receipt_file_name: "receipt-code.txt",
  receipt_file_text:
    "Receipt code for {name}\n\n{receipt}\n\nWith this code you can read the answer of the confidential contact person at:\n{url}\n\nDo not show this code to anyone.\n",

  follow_up_title: "Read the answer",
  follow_up_intro:
    "Type your receipt code. You got it when you sent your report. Capital letters, spaces and dashes do not matter.",
  receipt_input_label: "Your receipt code",
  follow_up_open: "Open",
  follow_up_checking: "Checking…",
  error_receipt_length:
    "A receipt code has 26 characters. You typed {count}. Please check the code.",
  error_receipt_characters:
    "A receipt code has only letters and the digits 2 to 7. Please check the code.",
  no_report_found: "No report found with this receipt code. Check that you typed it correctly.",
  error_unreachable_retry:
    "We cannot reach SafeHands right now. Check your internet connection and try again.",
  status_heading: "How is your report doing?",
  status_received: "Received: your report has arrived.",
  status_acknowledged: "Read: the confidential contact person has read your report.",
  status_in_progress: "Being handled: the confidential contact person is working on your report.",
  status_closed: "Closed: the confidential contact person has finished with your report.",
  deadline_acknowledge:
    "The confidential contact person will let you know by {date} that they have read your report.",
  deadline_feedback: "By {date} you will hear what happens with your report.",
  messages_heading: "Messages",
  messages_none: "There are no messages yet.",
  message_from_vcp: "From the confidential contact person, {date}",
  message_from_you: "From you, {date}",
  message_only_vcp: "Only the confidential contact person can read this message.",
  message_cannot_open: "This message could not be opened.",
  reply_heading: "Send an answer",
  reply_label: "Your message to the confidential contact person",
  reply_send: "Send",
  reply_sending: "Your message is being locked and sent…",
  reply_sent: "Your message has been sent.",
  error_reply_empty: "Write a message first.",
  error_reply_not_sent_unreachable:
    "Your message was not sent: we cannot reach SafeHands right now. Your text is still here. Please try again.",
  error_reply_not_sent: "Your message was not sent. {detail} Your text is still here.",
  closed_no_reply:
    "This report is closed. You cannot send a message any more. Do you want to tell something new? Then make a new report.",
  new_report_link: "Make a new report",
  follow_up_close: "Done, close",

  sign_in_title: "Sign in",
  sign_in_intro:
    "Fill in your e-mail address. You then get an e-mail with a link. With that link you sign in. You do not need a password.",
  sign_in_email_label: "Your e-mail address",
  sign_in_submit: "Send me a link",
  sign_in_sending: "One moment…",
  sign_in_sent_title: "Check your mailbox",
  sign_in_sent_text:
    "Does {email} belong to an organisation on SafeHands? Then you will now get an e-mail with a link to sign in. The link works for 15 minutes, and only once.",
  sign_in_sent_spam: "No e-mail? Also look in your junk mail. Or ask for a new link.",
  sign_in_again: "Ask for a new link",
  error_email: "Fill in a valid e-mail address, like name@example.org.",
  error_sign_in_wait:
    "You asked for a link too often. Wait {minutes} minutes and then try again.",
  error_sign_in_wait_short: "You asked for a link too often. Wait a little and then try again.",
  signed_out_asked: "You have signed out.",
  signed_out_idle: "You were not active for 30 minutes. That is why you have been signed out.",
  signed_out_ended: "Your session has ended. Please sign in again.",
  callback_busy: "Signing you in…",
  callback_bad_title: "This link does not work any more",
  callback_bad_text:
    "A sign-in link works only once, and only for 15 minutes. Ask for a new link.",
  chooser_title: "What do you want to continue with?",
  chooser_text:
    "You belong to more than one organisation, or you have more than one task. Choose one.",
  operator_org: "Platform management",
  role_admin: "admin",
  role_coordinator: "coordinator",
  role_vcp: "confidential contact person",
  role_volunteer: "volunteer",
  role_operator: "platform operator",
  me_title: "Your organisations",
  me_intro: "Here you see which organisations you belong to, and what your task is there.",
  me_current: "Current",
  me_use: "Continue with this",
  me_roles: "Tasks: {roles}",
  me_not_signed_in: "You are not signed in.",
  navigation: "Menu",
  nav_me: "My organisations",
  nav_admin: "Administration",
  nav_coordinator: "Coordination",
  nav_vcp: "Reports (confidential contact person)",
  nav_operator: "Platform management",
  sign_out: "Sign out",

  // /apply, /me volunteer, /coordinator
  org_apply_link: "Apply as a volunteer",
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
  vol_heading: "Your application as a volunteer",
  vol_refresh: "Check again",
  vol_status_admitted: "You are admitted. You can start as a volunteer.",
  vol_status_rejected: "You are not admitted. Do you have questions? Contact the coordinator.",
  vol_status_pending: "You are not admitted yet.",
  vol_missing_intro: "This still has to happen:",
  vol_step_interview: "The conversation.",
  vol_step_code_signature: "Signing the code of conduct.",
  vol_step_vog: "The certificate of conduct (VOG).",
  vol_next_interview: "The coordinator invites you for a conversation.",
  vol_next_code_signature: "Read the code of conduct below and sign it with your full name.",
  vol_next_vog:
    "The coordinator will request your VOG at Justis. You will get an e-mail from Justis. Request the VOG, then show it to the coordinator.",
  vol_role: "Your role: {role}.",
  vol_sign_again:
    "There is a new code of conduct (version {version}). You signed version {old}. Read the new text and sign again.",
  vol_vog_heading: "Your VOG",
  vol_vog_renew_by: "Your VOG is from {issued}. You must renew it before {date}.",
  vol_vog_none_yet: "We do not have your VOG yet. So there is no date to renew it yet.",
  vol_vog_not_needed: "There is no VOG for you to renew now.",
  vol_code_heading: "The code of conduct",
  vol_code_none: "There is no code of conduct yet. You will hear when there is one.",
  vol_code_version: "Version {version}.",
  vol_code_version_date: "Version {version}, of {date}.",
  vol_code_signed: "You have signed version {version}.",
  sign_full_name_label: "Your full name",
  sign_full_name_hint:
    "Type your first name and last name. This is how you sign version {version} of the code of conduct.",
  sign_error_full_name: "Type your full name: your first name and your last name.",
  sign_submit: "Sign version {version}",
  signed_heading: "You have signed the code of conduct",
  signed_file_title: "Proof: code of conduct signed at {name}",
  signed_version: "Version",
  signed_name: "Name",
  signed_time: "Time",
  signed_download: "Save the proof",
  signed_print: "Print",
  coord_title: "Coordination: volunteers",
  coord_refresh: "Update the lists",
  coord_no_access_title: "You have no access to this page",
  coord_no_access_text:
    "This page is for coordinators. Do you think you should have access? Ask the administrator of your organisation.",
  coord_pipeline_heading: "Volunteers by step",
  coord_stage_label: "Show volunteers in step",
  coord_stage_all: "All",
  stage_applied: "Applied",
  stage_interviewed: "Interviewed",
  stage_signed: "Code signed",
  stage_vog: "VOG in",
  stage_admitted: "Admitted",
  stage_rejected: "Rejected",
  coord_role_label: "Role",
  coord_role_all: "All roles",
  coord_search_label: "Search by name",
  coord_search_submit: "Search",
  coord_count: "{count} volunteers found.",
  coord_none: "No volunteers found.",
  coord_pages_label: "Pages of the list",
  coord_prev: "Previous",
  coord_next: "Next",
  coord_page: "Page {page} of {pages}",
  coord_no_name: "(name erased)",
  coord_missing: "Still needed: {steps}.",
  coord_step_interview: "conversation",
  coord_step_code_signature: "signing the code",
  coord_step_vog: "a VOG",
  coord_must_sign_again: "Must still sign version {version} of the code.",
  coord_vog_renewal: "Renew the VOG before {date}.",
  coord_open: "Fill in details for {name}",
  coord_stage_now: "Step now: {stage}.",
  coord_interview_heading: "The conversation",
  coord_outcome_legend: "What is the outcome of the conversation?",
  coord_doubt_rule: "In doubt? Then do not admit the volunteer. Choose “I am in doubt”.",
  coord_outcome_proceed: "Good: go on with the next steps",
  coord_outcome_doubt: "I am in doubt: do not admit",
  coord_outcome_reject: "Do not admit",
  coord_notes_label: "Notes",
  coord_interview_submit: "Save the outcome",
  coord_error_outcome: "Choose an outcome.",
  coord_interview_recorded: "The outcome of the conversation with {name} is saved.",
  coord_vog_heading: "The VOG",
  coord_vog_intro:
    "Fill in what you saw on the original VOG. Do not keep a copy. For this role the VOG may be at most {days} days old.",
  coord_vog_issued_on_label: "Date of issue",
  coord_vog_aspects_legend: "Which points were screened?",
  coord_aspect_84: "84: working with children",
  coord_aspect_85: "85: working with vulnerable people",
  coord_vog_checked_by_label: "Who saw the original VOG?",
  coord_vog_checked_by_hint: "Your own name, or the name of the person who checked it.",
  coord_vog_submit: "Save the VOG",
  coord_error_vog_missing: "Fill in the date of issue.",
  coord_error_vog_future: "This date is in the future. Look at the VOG again.",
  coord_error_vog_too_old:
    "This VOG is too old. For this role it may be at most {days} days old. Request a new VOG.",
  coord_error_vog_aspects: "For this role the VOG must have these points: {aspects}.",
  coord_error_checked_by: "Fill in who saw the original VOG.",
  coord_vog_recorded: "The VOG of {name} is saved.",
  coord_expiring_heading: "VOGs to renew within {days} days",
  coord_expiring_none: "No VOG has to be renewed soon.",
  coord_resign_heading: "Must still sign the new code of conduct",
  coord_resign_none: "Everyone has signed the current code of conduct.",
  coord_export_heading: "List for the board",
  coord_export_text:
    "A file (CSV) with all admitted volunteers: name, role, date of admission, and the VOG dates.",
  coord_export_button: "Save the list (CSV)",
  csv_name: "Name",
  csv_role: "Role",
  csv_admitted_on: "Admitted on",
  csv_vog_issued_on: "VOG issued on",
  csv_vog_renewal: "Renew VOG before",
};

export const CATALOGUES: Record<Language, Record<MessageKey, string>> = { nl, en };

export function isLanguage(value: unknown): value is Language {
  return value === "nl" || value === "en";
}

/** The language to show: `?lang=` first, then the organisation's language, then Dutch. */
export function chooseLanguage(search: string, organisationLanguage?: string | null): Language {
  const asked = new URLSearchParams(search).get("lang");
  if (isLanguage(asked)) return asked;
  if (isLanguage(organisationLanguage)) return organisationLanguage;
  return DEFAULT_LANGUAGE;
}

/** Whether the visitor chose a language in the URL (then the organisation's does not apply). */
export function languageAsked(search: string): boolean {
  return isLanguage(new URLSearchParams(search).get("lang"));
}

/** `{name}` placeholders filled in; a missing parameter stays visible rather than vanishing. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  // A key from outside the catalogue (say, a role the platform added later) shows as is.
  const template: string | undefined = CATALOGUES[language][key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The same path and query with `lang` set; everything else in the URL is kept. */
export function withLanguage(pathAndQuery: string, language: Language): string {
  const url = new URL(pathAndQuery, "http://x");
  url.searchParams.set("lang", language);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A list for a sentence: "Anna", "Anna en Bram", "Anna, Bram en Carla". */
export function joinNames(names: string[], and: string): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} ${and} ${names[names.length - 1]}`;
}

/** The language the visitor picked (`?lang=` or the switch); null until they pick one. */
export const chosenLanguage = writable<Language | null>(null);
/** The language of the organisation whose page is open; null on other pages. */
export const organisationLanguage = writable<string | null>(null);

export const language = derived(
  [chosenLanguage, organisationLanguage],
  ([chosen, organisation]): Language =>
    chosen ?? (isLanguage(organisation) ? organisation : DEFAULT_LANGUAGE),
);

/** `$href("/o/demo/report")`: a link of this app that keeps a language the visitor picked. */
export const href = derived(
  chosenLanguage,
  (chosen) =>
    (path: string): string =>
      chosen ? withLanguage(path, chosen) : path,
);

/** `$t("key", {…})` in components: re-renders when the language changes. */
export const t = derived(
  language,
  (current) =>
    (key: MessageKey, params?: Record<string, string | number>): string =>
      translate(current, key, params),
);

export function currentLanguage(): Language {
  return get(language);
}

/** A date (ISO string) as people read it in the current language: "14 maart 2026". */
export function formatDate(iso: string, lang: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "nl" ? "nl-NL" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(date);
}

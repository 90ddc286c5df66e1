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
  // /admin, /operator
  no_access_title: "Geen toegang",
  no_access_text: "Je hebt geen toegang tot deze pagina. Deze pagina is alleen voor mensen met een andere taak. Kies hieronder een organisatie of taak waarmee je verder wilt.",
  no_access_me: "Naar mijn organisaties",
  workspace_sign_in: "Log eerst in. Daarna kom je terug op deze pagina.",
  pager_previous: "Vorige",
  pager_next: "Volgende",
  pager_position: "Pagina {page} van {pages}",
  pillar_code_of_conduct: "Gedragscode",
  pillar_vcp: "Vertrouwenspersoon",
  pillar_admission_policy: "Aannamebeleid",
  pillar_done: "klaar",
  pillar_todo: "nog niet klaar",
  check_adopt_model_code: "Neem de voorbeeldcode over",
  check_publish_code: "Publiceer je gedragscode",
  check_appoint_vcp: "Stel een vertrouwenspersoon aan",
  check_appoint_second_vcp: "Stel een tweede vertrouwenspersoon aan",
  check_define_roles: "Beschrijf je vrijwilligersrollen en hun risico's",
  check_record_interview: "Houd een kennismakingsgesprek met een nieuwe vrijwilliger",
  kind_code_of_conduct: "Voorbeeld-gedragscode",
  kind_volunteer_agreement: "Voorbeeld-vrijwilligersovereenkomst",
  kind_vcp_profile: "Profiel van de vertrouwenspersoon",
  kind_admission_checklist: "Checklist aannamebeleid",
  topic_code_of_conduct: "Gedragscode",
  topic_vcp: "Vertrouwenspersoon",
  topic_admission: "Aannamebeleid",
  topic_incident: "Een voorval",
  topic_other: "Iets anders",
  adm_title: "Beheer",
  adm_checklist: "Jullie drie pijlers",
  adm_recommended: "aangeraden",
  adm_two_vcps: "Jullie hebben {count} vertrouwenspersoon of -personen met een sleutel. Wij raden er twee aan. Dan kan een melder kiezen, en is er altijd iemand.",
  adm_sections: "Onderdelen van deze pagina",
  adm_h_toolkit: "Startdocumenten",
  adm_h_codes: "Gedragscode",
  adm_h_roles: "Rollen",
  adm_h_vcps: "Vertrouwenspersonen",
  adm_h_members: "Beheerders en coördinatoren",
  adm_h_contacts: "Contactadressen",
  adm_h_webhooks: "Koppelingen (webhooks)",
  adm_h_gratis_vog: "Gratis VOG",
  adm_h_stats: "Cijfers",
  adm_h_advice: "Advies vragen",
  adm_toolkit_intro: "Deze documenten helpen je op weg. Je kunt de voorbeeldcode overnemen en aanpassen. De andere documenten download je, met de naam van je organisatie al ingevuld.",
  adm_adopt: "Overnemen als concept",
  adm_adopted: "De voorbeeldcode is nu jullie concept. Pas hem hieronder aan.",
  adm_download: "Downloaden",
  adm_has_draft: "Jullie hebben al een concept. Bewerk het bij Gedragscode.",
  adm_code_current: "Versie {version} is gepubliceerd.",
  adm_code_none: "Jullie hebben nog geen gedragscode gepubliceerd.",
  adm_code_label: "Tekst van de gedragscode",
  adm_code_draft_label: "Concept van de gedragscode",
  adm_code_hint: "Je begint met het concept, of met de laatste versie. Je kunt Markdown gebruiken.",
  adm_code_diff: "Wat is er veranderd?",
  adm_code_diff_hint: "Regels met + zijn nieuw. Regels met − zijn weg.",
  adm_code_resign: "Na het publiceren moeten alle vrijwilligers de nieuwe versie opnieuw ondertekenen.",
  adm_code_resign_count:
    "Na het publiceren moeten {count} vrijwilligers de nieuwe versie opnieuw ondertekenen. Zij krijgen daarover bericht.",
  adm_code_save: "Concept bewaren",
  adm_code_saved: "Het concept is bewaard. Het is nog niet gepubliceerd.",
  adm_code_publish: "Publiceren als versie {version}",
  adm_code_published: "Versie {version} is gepubliceerd.",
  adm_code_empty: "De gedragscode is leeg. Schrijf eerst een tekst.",
  adm_roles_none: "Er zijn nog geen rollen.",
  adm_role_title: "Naam van de rol",
  adm_role_profile: "Risico",
  adm_role_no_vog: "Geen VOG nodig",
  adm_role_vog_terms: "Een VOG is nodig: niet ouder dan {days} dagen, elke {years} jaar een nieuwe",
  adm_role_new: "Een rol toevoegen of wijzigen",
  adm_role_id: "Korte code van de rol",
  adm_role_id_hint: "Kleine letters, cijfers en streepjes, zoals jeugdtrainer. Met een bestaande code wijzig je die rol.",
  adm_role_id_invalid: "Begin met een letter of cijfer. Gebruik daarna alleen letters, cijfers, punten en streepjes.",
  adm_role_vog_age: "Hoe oud mag de VOG zijn? (dagen)",
  adm_role_renewal: "Na hoeveel jaar een nieuwe VOG?",
  adm_role_save: "Rol bewaren",
  adm_role_saved: "De rol {title} is bewaard.",
  adm_vcps_intro: "Een vertrouwenspersoon krijgt een e-mail. Daarmee maakt die een sleutel in de browser. Pas daarna kan iemand een melding sturen.",
  adm_vcps_none: "Er is nog geen vertrouwenspersoon.",
  adm_vcp_new: "Een vertrouwenspersoon aanstellen",
  adm_vcp_appoint: "Aanstellen",
  adm_vcp_appointed: "De vertrouwenspersoon is aangesteld en krijgt een e-mail.",
  adm_vcp_dismiss: "Ontslaan",
  adm_vcp_has_key: "heeft een sleutel",
  adm_vcp_no_key: "heeft nog geen sleutel gemaakt",
  adm_vcp_dismissed: "{name} is geen vertrouwenspersoon meer.",
  adm_name: "Naam",
  adm_email: "E-mailadres",
  adm_member_new: "Iemand uitnodigen",
  adm_member_role: "Taak",
  adm_member_invite: "Uitnodigen",
  adm_member_invited: "De uitnodiging is verstuurd.",
  adm_member_remove: "Verwijderen",
  adm_member_removed: "{name} is verwijderd.",
  adm_contacts_intro: "Naar deze adressen sturen we berichten, zoals een VOG die bijna verloopt. Eén adres per regel.",
  adm_contacts_coordinators: "Adressen van coördinatoren",
  adm_contacts_admins: "Adressen van beheerders",
  adm_contacts_saved: "De adressen zijn bewaard.",
  adm_save: "Bewaren",
  adm_webhook_new: "Een webhook toevoegen",
  adm_webhook_url: "Adres (URL)",
  adm_webhook_events: "Soorten berichten",
  adm_webhook_events_hint: "Eén soort per regel, zoals nl.safehands.code.published.v1.",
  adm_webhook_attempts: "{count} pogingen, laatste",
  adm_webhook_subscribe: "Toevoegen",
  adm_webhook_secret: "Bewaar dit geheim nu. Je ziet het maar één keer:",
  adm_webhook_deliveries: "Bezorgingen tonen",
  adm_webhook_no_deliveries: "Nog geen bezorgingen.",
  adm_webhook_remove: "Verwijderen",
  adm_gratis_yes: "Jullie voldoen aan de voorwaarden voor de gratis VOG.",
  adm_gratis_no: "Voor de gratis VOG mist nog:",
  adm_stats_none: "De vertrouwenspersonen hebben nog geen cijfers gedeeld.",
  adm_advice_intro: "Heb je een vraag? Het steunpunt helpt je. Als het nodig is, maken we een afspraak.",
  adm_advice_topic: "Onderwerp",
  adm_advice_incident: "Let op: schrijf geen namen en geen details van een melding. Die horen bij de vertrouwenspersoon.",
  adm_advice_question: "Je vraag",
  adm_advice_question_hint: "Hoogstens 5000 tekens.",
  adm_advice_times: "Wanneer kun je het best?",
  adm_optional: "niet verplicht",
  adm_advice_send: "Vraag versturen",
  adm_advice_sent: "Je vraag is verstuurd. Je krijgt een e-mail als er een antwoord is.",
  adm_advice_empty: "Schrijf eerst je vraag.",
  adm_advice_list: "Jullie vragen",
  adm_advice_answer: "Antwoord",
  adm_advice_appointment: "Voorstel voor een afspraak: {when}",
  adm_advice_waiting: "Nog geen antwoord.",
  op_title: "Platformbeheer",
  op_orgs: "Organisaties",
  op_orgs_intro: "Per organisatie zie je de drie pijlers.",
  op_orgs_none: "Er zijn nog geen organisaties.",
  op_org: "Organisatie",
  op_vcps_count: "{count} met sleutel",
  op_register: "Een organisatie aanmelden",
  op_org_name: "Naam van de organisatie",
  op_slug: "Adres op SafeHands",
  op_slug_hint: "Kleine letters, cijfers en streepjes, zoals vv-de-bal.",
  op_slug_invalid: "Gebruik alleen kleine letters, cijfers en streepjes. Begin en eindig met een letter of cijfer.",
  op_language: "Taal van de organisatie",
  op_admin_name: "Naam van de eerste beheerder",
  op_admin_email: "E-mailadres van de eerste beheerder",
  op_admin_hint: "Deze persoon krijgt een uitnodiging per e-mail.",
  op_register_submit: "Aanmelden en uitnodigen",
  op_registered: "{name} is aangemeld. {email} krijgt een uitnodiging.",
  op_queue: "Vragen om advies",
  op_queue_intro: "De oudste vraag staat bovenaan.",
  op_queue_empty: "Er zijn geen open vragen.",
  op_preferred: "Kan het best: {times}",
  op_answer: "Je antwoord",
  op_appointment: "Voorstel voor een afspraak",
  op_answer_send: "Antwoord versturen",
  op_answer_empty: "Schrijf eerst een antwoord.",
  op_answered: "Het antwoord aan {name} is verstuurd.",
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
  // /admin, /operator
  no_access_title: "No access",
  no_access_text: "You have no access to this page. It is for people with another task. Choose below which organisation or task you want to continue with.",
  no_access_me: "To my organisations",
  workspace_sign_in: "Sign in first. Then you come back to this page.",
  pager_previous: "Previous",
  pager_next: "Next",
  pager_position: "Page {page} of {pages}",
  pillar_code_of_conduct: "Code of conduct",
  pillar_vcp: "Confidential contact person",
  pillar_admission_policy: "Admission policy",
  pillar_done: "done",
  pillar_todo: "not done yet",
  check_adopt_model_code: "Adopt the model code",
  check_publish_code: "Publish your code of conduct",
  check_appoint_vcp: "Appoint a confidential contact person",
  check_appoint_second_vcp: "Appoint a second confidential contact person",
  check_define_roles: "Describe your volunteer roles and their risks",
  check_record_interview: "Have an interview with a new volunteer",
  kind_code_of_conduct: "Model code of conduct",
  kind_volunteer_agreement: "Model volunteer agreement",
  kind_vcp_profile: "Profile of the confidential contact person",
  kind_admission_checklist: "Admission policy checklist",
  topic_code_of_conduct: "Code of conduct",
  topic_vcp: "Confidential contact person",
  topic_admission: "Admission policy",
  topic_incident: "An incident",
  topic_other: "Something else",
  adm_title: "Administration",
  adm_checklist: "Your three pillars",
  adm_recommended: "recommended",
  adm_two_vcps: "You have {count} confidential contact person(s) with a key. We recommend two. Then a reporter can choose, and someone is always there.",
  adm_sections: "Parts of this page",
  adm_h_toolkit: "Starter documents",
  adm_h_codes: "Code of conduct",
  adm_h_roles: "Roles",
  adm_h_vcps: "Confidential contact persons",
  adm_h_members: "Admins and coordinators",
  adm_h_contacts: "Contact addresses",
  adm_h_webhooks: "Webhooks",
  adm_h_gratis_vog: "Free VOG",
  adm_h_stats: "Figures",
  adm_h_advice: "Ask for advice",
  adm_toolkit_intro: "These documents help you get started. You can adopt the model code and change it. You download the other documents with your organisation's name filled in.",
  adm_adopt: "Adopt as draft",
  adm_adopted: "The model code is now your draft. Change it below.",
  adm_download: "Download",
  adm_has_draft: "You already have a draft. Edit it under Code of conduct.",
  adm_code_current: "Version {version} is published.",
  adm_code_none: "You have not published a code of conduct yet.",
  adm_code_label: "Text of the code of conduct",
  adm_code_draft_label: "Draft of the code of conduct",
  adm_code_hint: "You start from the draft, or from the latest version. You can use Markdown.",
  adm_code_diff: "What has changed?",
  adm_code_diff_hint: "Lines with + are new. Lines with − are gone.",
  adm_code_resign: "After publishing, all volunteers must sign the new version again.",
  adm_code_resign_count:
    "After publishing, {count} volunteers must sign the new version again. They are told so.",
  adm_code_save: "Save draft",
  adm_code_saved: "The draft is saved. It is not published yet.",
  adm_code_publish: "Publish as version {version}",
  adm_code_published: "Version {version} is published.",
  adm_code_empty: "The code of conduct is empty. Write a text first.",
  adm_roles_none: "There are no roles yet.",
  adm_role_title: "Name of the role",
  adm_role_profile: "Risk",
  adm_role_no_vog: "No VOG needed",
  adm_role_vog_terms: "A VOG is needed: not older than {days} days, a new one every {years} years",
  adm_role_new: "Add or change a role",
  adm_role_id: "Short code of the role",
  adm_role_id_hint: "Lower-case letters, digits and dashes, like youth-coach. An existing code changes that role.",
  adm_role_id_invalid: "Start with a letter or digit. After that, use only letters, digits, dots and dashes.",
  adm_role_vog_age: "How old may the VOG be? (days)",
  adm_role_renewal: "After how many years a new VOG?",
  adm_role_save: "Save role",
  adm_role_saved: "The role {title} is saved.",
  adm_vcps_intro: "A confidential contact person gets an e-mail. With it they make a key in the browser. Only then can someone send a report.",
  adm_vcps_none: "There is no confidential contact person yet.",
  adm_vcp_new: "Appoint a confidential contact person",
  adm_vcp_appoint: "Appoint",
  adm_vcp_appointed: "The confidential contact person is appointed and gets an e-mail.",
  adm_vcp_dismiss: "Dismiss",
  adm_vcp_has_key: "has a key",
  adm_vcp_no_key: "has not made a key yet",
  adm_vcp_dismissed: "{name} is no longer a confidential contact person.",
  adm_name: "Name",
  adm_email: "E-mail address",
  adm_member_new: "Invite someone",
  adm_member_role: "Task",
  adm_member_invite: "Invite",
  adm_member_invited: "The invitation is sent.",
  adm_member_remove: "Remove",
  adm_member_removed: "{name} is removed.",
  adm_contacts_intro: "We send messages to these addresses, such as a VOG that ends soon. One address per line.",
  adm_contacts_coordinators: "Coordinators' addresses",
  adm_contacts_admins: "Admins' addresses",
  adm_contacts_saved: "The addresses are saved.",
  adm_save: "Save",
  adm_webhook_new: "Add a webhook",
  adm_webhook_url: "Address (URL)",
  adm_webhook_events: "Kinds of messages",
  adm_webhook_events_hint: "One kind per line, like nl.safehands.code.published.v1.",
  adm_webhook_attempts: "{count} attempts, last",
  adm_webhook_subscribe: "Add",
  adm_webhook_secret: "Keep this secret now. You see it only once:",
  adm_webhook_deliveries: "Show deliveries",
  adm_webhook_no_deliveries: "No deliveries yet.",
  adm_webhook_remove: "Remove",
  adm_gratis_yes: "You meet the conditions for the free VOG.",
  adm_gratis_no: "For the free VOG you still miss:",
  adm_stats_none: "The confidential contact persons have not shared figures yet.",
  adm_advice_intro: "Do you have a question? The volunteer centre helps you. If needed, we make an appointment.",
  adm_advice_topic: "Topic",
  adm_advice_incident: "Careful: write no names and no details of a report. Those belong with the confidential contact person.",
  adm_advice_question: "Your question",
  adm_advice_question_hint: "At most 5000 characters.",
  adm_advice_times: "When suits you best?",
  adm_optional: "optional",
  adm_advice_send: "Send question",
  adm_advice_sent: "Your question is sent. You get an e-mail when there is an answer.",
  adm_advice_empty: "Write your question first.",
  adm_advice_list: "Your questions",
  adm_advice_answer: "Answer",
  adm_advice_appointment: "Proposed appointment: {when}",
  adm_advice_waiting: "No answer yet.",
  op_title: "Platform management",
  op_orgs: "Organisations",
  op_orgs_intro: "For each organisation you see the three pillars.",
  op_orgs_none: "There are no organisations yet.",
  op_org: "Organisation",
  op_vcps_count: "{count} with a key",
  op_register: "Register an organisation",
  op_org_name: "Name of the organisation",
  op_slug: "Address on SafeHands",
  op_slug_hint: "Lower-case letters, digits and dashes, like fc-the-ball.",
  op_slug_invalid: "Use only lower-case letters, digits and dashes. Start and end with a letter or digit.",
  op_language: "Language of the organisation",
  op_admin_name: "Name of the first admin",
  op_admin_email: "E-mail address of the first admin",
  op_admin_hint: "This person gets an invitation by e-mail.",
  op_register_submit: "Register and invite",
  op_registered: "{name} is registered. {email} gets an invitation.",
  op_queue: "Requests for advice",
  op_queue_intro: "The oldest request is at the top.",
  op_queue_empty: "There are no open requests.",
  op_preferred: "Suits best: {times}",
  op_answer: "Your answer",
  op_appointment: "Proposed appointment",
  op_answer_send: "Send answer",
  op_answer_empty: "Write an answer first.",
  op_answered: "The answer to {name} is sent.",
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

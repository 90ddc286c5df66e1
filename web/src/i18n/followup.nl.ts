// Following a report up with its receipt (/o/<org>/follow-up): the status, the conversation
// with the contact person and the reply.
// Dutch is the reference: followup.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
  describe_follow_up: "Lees het antwoord op je melding met de code die je kreeg, en schrijf terug.",
  follow_up_title: "Antwoord lezen",
  follow_up_intro:
    "Typ je meldcode. Die kreeg je toen je de melding verstuurde. Hoofdletters, spaties en streepjes maken niet uit.",
  receipt_input_label: "Je meldcode",
  follow_up_open: "Openen",
  follow_up_checking: "Even kijken…",
  error_receipt_length_one:
    "Een meldcode heeft 26 tekens. Jij typte er {count}. Kijk de code nog eens na.",
  error_receipt_length_other:
    "Een meldcode heeft 26 tekens. Jij typte er {count}. Kijk de code nog eens na.",
  error_receipt_characters:
    "Een meldcode heeft alleen letters en de cijfers 2 tot en met 7. Kijk de code nog eens na.",
  no_report_found:
    "We vonden geen melding bij deze meldcode. Kijk of je de code goed hebt getypt.",
  status_heading: "Hoe staat je melding ervoor?",
  status_received: "Ontvangen: je melding is aangekomen.",
  status_acknowledged: "Gelezen: de vertrouwenscontactpersoon heeft je melding gelezen.",
  status_in_progress: "Mee bezig: de vertrouwenscontactpersoon werkt aan je melding.",
  status_closed: "Afgesloten: de vertrouwenscontactpersoon heeft je melding afgerond.",
  deadline_acknowledge:
    "De vertrouwenscontactpersoon laat uiterlijk {date} weten dat je melding is gelezen.",
  deadline_feedback: "Uiterlijk {date} hoor je wat er met je melding gebeurt.",
  messages_heading: "Berichten",
  messages_none: "Er zijn nog geen berichten.",
  message_from_vcp: "Van de vertrouwenscontactpersoon, {date}",
  message_from_you: "Van jou, {date}",
  message_only_vcp: "Alleen de vertrouwenscontactpersoon kan dit bericht lezen.",
  message_cannot_open: "Dit bericht kon niet worden geopend.",
  message_forged:
    "Waarschuwing: dit bericht draagt geen geldige handtekening van een vertrouwenscontactpersoon van deze organisatie. Het komt misschien niet van hen. We tonen het daarom niet. Geef in reactie hierop geen gegevens die laten zien wie u bent.",
  reply_heading: "Antwoord sturen",
  reply_label: "Je bericht aan de vertrouwenscontactpersoon",
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
  pdf_preview_failed: "{name} kan hier niet als pdf worden getoond. Sla het bestand op om het te openen.",
  pdf_preview_loading: "De pdf wordt klaargezet…",
  pdf_preview_first_pages: "Hier staan de eerste {shown} van {last} pagina's. Sla het bestand op voor de rest.",
  pdf_preview_page: "{name}, pagina {page} van {last}",
  mailbox_files_title: "Bestanden bij dit bericht:",
  vcp_attachment_failed: "{name} kon niet worden geopend: {detail}",
  vcp_attachment_open: "{name} bekijken",
  vcp_attachment_download: "{name} opslaan",
  vcp_attachment_preview_alt: "Bijlage {name}",
} as const;

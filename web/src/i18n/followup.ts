// Following a report up with its receipt (/o/<org>/follow-up): the status, the conversation
// with the contact person and the reply.
// Dutch is the reference; English has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one catalogue only).

export const nl = {
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
} as const;

export const en: Record<keyof typeof nl, string> = {
  describe_follow_up: "Read the answer to your report with the code you were given, and write back.",
  follow_up_title: "Read the answer",
  follow_up_intro:
    "Type your receipt code. You got it when you sent your report. Capital letters, spaces and dashes do not matter.",
  receipt_input_label: "Your receipt code",
  follow_up_open: "Open",
  follow_up_checking: "Checking…",
  error_receipt_length_one:
    "A receipt code has 26 characters. You typed {count}. Please check the code.",
  error_receipt_length_other:
    "A receipt code has 26 characters. You typed {count}. Please check the code.",
  error_receipt_characters:
    "A receipt code has only letters and the digits 2 to 7. Please check the code.",
  no_report_found: "No report found with this receipt code. Check that you typed it correctly.",
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
  message_forged:
    "Warning: this message does not carry a valid signature of a confidential contact person of this organisation. It may not come from them, so it is not shown. Do not give any details that show who you are in answer to it.",
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
};

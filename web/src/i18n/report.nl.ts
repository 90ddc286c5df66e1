// Making a report (/o/<org>/report): the form, the choice of contact persons and the receipt.
// Dutch is the reference: report.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
  describe_report: "Meld vertrouwelijk bij {name}: alleen de vertrouwenscontactpersoon leest wat je schrijft, en je naam is niet nodig.",
  report_title: "Iets melden bij {name}",
  report_what_happens: "Wat gebeurt er met je melding?",
  report_goes_to_one: "Je melding gaat naar de vertrouwenscontactpersoon van {name}: {vcps}.",
  report_goes_to_many: "Je melding gaat naar de vertrouwenscontactpersonen van {name}: {vcps}.",
  report_key_since: "De sleutel van {vcp} is in gebruik sinds {date}.",
  report_choose_legend: "Wie mag je melding lezen?",
  report_choose_hint:
    "Je melding gaat naar alle vertrouwenscontactpersonen hieronder. Wil je dat iemand hem niet leest, bijvoorbeeld omdat die dicht bij de persoon staat over wie je meldt? Zet dan het vinkje bij die persoon uit. Er blijft altijd minstens één over.",
  report_choose_last: "Er moet minstens één vertrouwenscontactpersoon gekozen blijven.",
  report_choice_gone:
    "De vertrouwenscontactpersonen die je koos, zijn er niet meer. Kies opnieuw wie je melding mag lezen en verstuur hem dan.",
  report_locked:
    "Je melding gaat op slot op je eigen telefoon of computer, voordat hij wordt verstuurd. Alleen de vertrouwenscontactpersoon heeft de sleutel. SafeHands en {name} kunnen je melding niet lezen.",
  report_anonymous: "Je hoeft je naam niet te geven.",
  report_receipt_only_way:
    "Na het versturen krijg je een meldcode. Alleen met die code kun je later het antwoord lezen. Wij kunnen de code niet opnieuw geven.",
  report_no_vcp:
    "{name} heeft nog geen vertrouwenscontactpersoon. Daarom kun je hier nu niets melden. Praat met iemand die je vertrouwt.",
  report_form_heading: "Je melding",
  description_label: "Wat is er gebeurd?",
  description_hint: "Schrijf het in je eigen woorden. Wie waren erbij? Wat zag of hoorde je?",
  occurred_on_label: "Wanneer was het?",
  location_label: "Waar was het?",
  contact_legend: "Wil je dat de vertrouwenscontactpersoon contact met je opneemt?",
  contact_no: "Nee, ik lees het antwoord met mijn meldcode",
  contact_yes: "Ja, neem contact met mij op",
  contact_how_label: "Hoe kan de vertrouwenscontactpersoon je bereiken?",
  contact_how_hint:
    "Bijvoorbeeld je telefoonnummer of e-mailadres. Alleen de vertrouwenscontactpersoon kan dit lezen.",
  report_submit: "Melding versturen",
  report_sending: "Je melding gaat op slot en wordt verstuurd…",
  error_category: "Kies waar het over gaat.",
  error_description: "Schrijf wat er is gebeurd.",
  error_date_future: "Die dag is nog niet geweest. Kies vandaag of een dag eerder.",
  error_contact: "Schrijf hoe de vertrouwenscontactpersoon je kan bereiken. Of kies ‘Nee’.",
  error_not_sent_unreachable:
    "Je melding is niet verstuurd: we kunnen SafeHands nu niet bereiken. Je tekst staat er nog. Controleer je internet en probeer het opnieuw.",
  error_not_sent_busy:
    "Je melding is niet verstuurd: er komen nu te veel meldingen binnen. Je tekst staat er nog. Wacht een paar minuten en probeer het opnieuw.",
  error_not_sent: "Je melding is niet verstuurd. {detail} Je tekst staat er nog.",
  receipt_title: "Je melding is verstuurd",
  receipt_label: "Je meldcode",
  receipt_once: "Dit is je meldcode. Je ziet hem maar één keer.",
  receipt_keep:
    "Bewaar de code goed: schrijf hem op, kopieer hem, download hem of print hem. Met deze code lees je later het antwoord van de vertrouwenscontactpersoon.",
  receipt_lost: "Ben je de code kwijt? Dan kunnen wij hem niet opnieuw geven.",
  receipt_secret: "Laat de code aan niemand zien. Wie de code heeft, kan de antwoorden lezen.",
  receipt_where: "Het antwoord lees je op:",
  receipt_copy: "Kopiëren",
  receipt_copied: "De meldcode is gekopieerd.",
  receipt_copy_failed: "Kopiëren lukte niet. Schrijf de code over.",
  receipt_download: "Downloaden als tekstbestand",
  receipt_print: "Printen",
  receipt_shared_title: "Op een gedeeld apparaat?",
  receipt_download_warning:
    "Een gedownload bestand blijft in de map Downloads van dit apparaat staan, en de browser zet het in zijn lijst met downloads. Wie dit apparaat ook gebruikt, kan je meldcode daar vinden. Verwijder het bestand en haal het uit die lijst als je klaar bent. Of schrijf de code liever over.",
  receipt_print_warning:
    "Een printer kan een kopie bewaren van wat je print, en een vergeten afdruk kan iemand anders vinden. Haal de afdruk meteen op. Op een gedeeld apparaat kun je de code beter overschrijven.",
  receipt_download_anyway: "Toch downloaden",
  receipt_print_anyway: "Toch printen",
  receipt_cancel: "Niet doen",
  receipt_done: "Ik heb mijn meldcode bewaard",
  receipt_file_name: "meldcode.txt",
  receipt_file_text:
    "Meldcode voor {name}\n\n{receipt}\n\nMet deze code lees je het antwoord van de vertrouwenscontactpersoon op:\n{url}\n\nLaat deze code aan niemand zien.\n",
  attach_label: "Bestanden toevoegen",
  attach_hint: "Foto's, pdf of tekst: hoogstens {most} bestanden, samen {size}. Ze worden op dit apparaat versleuteld; alleen de vertrouwenspersonen die je koos kunnen ze openen.",
  attach_photos_cleaned: "Foto's worden hier opnieuw opgeslagen: de plaats (gps), de camera en het tijdstip die erin staan gaan er eerst uit.",
  attach_what_is_sent: "Dit wordt meegestuurd:",
  attach_preview_alt: "Zo wordt {name} verstuurd",
  attach_too_many: "Hoogstens {most} bestanden per melding.",
} as const;

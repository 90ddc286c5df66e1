// The public pages without a form: the start page with its search, an organisation's page, the
// region's open roles (/vacatures) and the page for an unknown address.
// Dutch is the reference: public.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
  not_found_title: "Deze pagina bestaat niet",
  describe_home: "Zoek je vereniging of organisatie op SafeHands: meld vertrouwelijk wat je meemaakte, of word vrijwilliger.",
  describe_org: "{name} op SafeHands: meld vertrouwelijk grensoverschrijdend gedrag bij de vertrouwenscontactpersoon, of word vrijwilliger.",
  not_found_text: "Kijk of het adres goed is.",
  home_title: "SafeHands",
  home_text:
    "SafeHands helpt vrijwilligersorganisaties om veilig te werken. Wil je iets melden, of vrijwilliger worden? Zoek je organisatie en ga naar haar pagina.",
  home_search_label: "Naam van de organisatie",
  home_search_hint: "Een deel van de naam is genoeg, bijvoorbeeld „voetbal”.",
  home_search_submit: "Zoeken",
  home_search_too_short: "Typ minstens 2 letters van de naam.",
  home_search_results: "Gevonden",
  home_search_none:
    "We vinden geen organisatie met „{name}”. Probeer een ander deel van de naam. Staat je organisatie er niet bij? Vraag haar dan om het adres van haar pagina.",
  home_search_searching: "Even zoeken…",
  sign_in_link: "Inloggen",
  org_report_heading: "Is er iets gebeurd dat niet goed voelde?",
  org_report_text:
    "Vertel het aan de vertrouwenscontactpersoon van {name}. Je hoeft je naam niet te geven.",
  org_report_link: "Iets melden",
  org_follow_up_heading: "Heb je al iets gemeld?",
  org_follow_up_text: "Lees het antwoord met je meldcode.",
  org_follow_up_link: "Antwoord lezen",
  org_roles_heading: "Vrijwilligerswerk bij {name}",
  org_apply_link: "Aanmelden als vrijwilliger",
  vac_title: "Vacatures in de regio",
  describe_vacancies: "Vrijwilligerswerk in de regio: zoek open rollen bij verenigingen en organisaties op woorden en plaats, en meld je direct aan.",
  vac_intro: "Verenigingen en organisaties in de regio zoeken vrijwilligers. Zoek op woorden en plaats; aanmelden doe je bij de organisatie zelf.",
  vac_words_label: "Zoekwoorden",
  vac_words_hint: "Bijvoorbeeld 'trainer' of de naam van een vereniging.",
  vac_place_label: "Plaats",
  vac_submit: "Zoeken",
  vac_results: "Open rollen",
  vac_count_one: "{count} open rol gevonden.",
  vac_count_other: "{count} open rollen gevonden.",
  vac_none: "Geen open rollen gevonden. Probeer andere woorden of een andere plaats.",
  vac_place: "Plaats",
  vac_hours: "Tijd",
  vac_vog: "VOG nodig",
  vac_vog_yes: "Ja, een Verklaring Omtrent het Gedrag",
  vac_vog_no: "Nee",
  vac_apply: "Aanmelden als {title}",
  home_vacancies_link: "Vrijwilliger worden? Bekijk de vacatures in de regio",
} as const;

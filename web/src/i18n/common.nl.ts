// The texts every page needs, in the entry chunk: the shell (skip link, leave quickly, footer,
// language switch), the puzzle, loading and errors, and the few texts that both a reporter's page
// and another page show (categories, fallback contacts, the pager).
// Dutch is the reference: common.en.ts has exactly the same keys (lib/i18n.test.ts checks every
// catalogue, and that each key lives in one area only). One chunk per language, so a page
// loads only the language it shows.

export const messages = {
  skip_to_content: "Naar de inhoud",
  leave_quickly: "Snel weg",
  leave_quickly_hint: "Of druk twee keer op Esc.",
  pow_title: "Even geduld",
  pow_text:
    "Er komen nu heel veel verzoeken binnen voor deze organisatie. Daarom lost je apparaat eerst een kleine rekenpuzzel op. Daarna gaat je verzoek vanzelf verder. Er gaat niets naar een andere partij.",
  pow_label: "Mijn apparaat lost de puzzel op",
  pow_verifying: "Bezig met de puzzel…",
  pow_verified: "Klaar",
  pow_error: "Dat lukte niet. Probeer het opnieuw.",
  pow_expired: "De puzzel is verlopen. Probeer het opnieuw.",
  pow_required: "Eerst moet de puzzel klaar zijn.",
  pow_wait: "Bezig met de puzzel. Even geduld.",
  pow_reload: "Opnieuw",
  pow_verify: "Beginnen",
  pow_cancel: "Stoppen",
  language: "Taal",
  loading: "Even geduld…",
  retry: "Opnieuw proberen",
  unreachable_title: "SafeHands is nu niet bereikbaar",
  unreachable_text: "Controleer je internet en probeer het opnieuw.",
  unknown_org_title: "Deze organisatie kennen we niet",
  unknown_org_text:
    "Er is geen organisatie met het adres „{org}”. Kijk of het adres goed is. Of vraag het goede adres aan de organisatie zelf.",
  footer_privacy: "SafeHands bewaart je IP-adres niet en gebruikt geen cookies.",
  footer_session:
    "SafeHands bewaart je IP-adres niet. Wie inlogt, krijgt één cookie, {name}: die houdt je ingelogd, alleen op deze site en onleesbaar voor scripts, en verdwijnt als je uitlogt of 30 minuten niets doet. Pagina's voor melders en bezoekers zetten geen cookies.",
  org_roles_none: "Er zijn nu geen vrijwilligersrollen.",
  role_minors: "Werkt met kinderen",
  role_vulnerable: "Werkt met kwetsbare mensen",
  role_vog: "Een VOG is nodig",
  back_to_org: "Terug naar {name}",
  report_centre_vcp: "{name} (van het regionale steunpunt)",
  report_danger: "Is er nu gevaar? Bel 112.",
  category_label: "Waar gaat het over?",
  category_choose: "Kies een onderwerp",
  category_bullying: "Pesten",
  category_discrimination: "Discriminatie: iemand wordt anders behandeld om wie hij of zij is",
  category_sexual_intimidation:
    "Seksuele intimidatie: aanraken, opmerkingen of berichten die je niet wilt",
  category_aggression: "Agressie of geweld",
  category_other: "Iets anders",
  optional: "(mag je leeg laten)",
  error_form_summary: "Er ontbreekt nog iets. Kijk naar de vragen hieronder.",
  error_unreachable_retry:
    "We kunnen SafeHands nu niet bereiken. Controleer je internet en probeer het opnieuw.",
  sign_in_title: "Inloggen",
  sign_in_sending: "Even geduld…",
  error_email: "Vul een goed e-mailadres in, zoals naam@voorbeeld.nl.",
  fallback_heading: "Hier kun je terecht",
  fallback_intro: "{name} heeft nog geen vertrouwenscontactpersoon. Je kunt hier nu dus niets melden. Praat wel met iemand: dat kan bij deze mensen, ook anoniem.",
  fallback_national: "Landelijke hulplijn",
  fallback_centre: "Vertrouwenscontactpersoon van het vrijwilligerscentrum",
  fallback_hours: "Bereikbaar: {times}",
  pager_previous: "Vorige",
  pager_next: "Volgende",
  pager_position: "Pagina {page} van {pages}",
  fallback_centre_vcps_heading: "Vertrouwenscontactpersonen van het vrijwilligerscentrum",
  fallback_centre_vcps_text: "Het vrijwilligerscentrum heeft eigen vertrouwenscontactpersonen. {name} kan een van hen als vertrouwenscontactpersoon vragen; daarna kun je hier ook aan hen melden.",
} as const;

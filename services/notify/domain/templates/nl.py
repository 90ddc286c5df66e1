"""Dutch mail texts. Informal "je", as most volunteer organisations write to volunteers."""

from __future__ import annotations

from services.notify.domain.mail_kinds import AdviceTopic, Deadline, MailKind
from services.notify.domain.templates import LanguagePack, MailTemplate

_FROM_ORGANISATION = "\n\nMet vriendelijke groet,\n{organisation}\n"
_FROM_PLATFORM = "\n\nMet vriendelijke groet,\nSafeHands\n"

DUTCH = LanguagePack(
    templates={
        MailKind.APPLICATION_RECEIVED: MailTemplate(
            subject="We hebben je aanmelding ontvangen",
            text=(
                "Hallo {name},\n\n"
                "Bedankt voor je aanmelding als vrijwilliger bij {organisation} voor de rol"
                " {role_title}. We hebben je aanmelding goed ontvangen.\n\n"
                "Een coördinator neemt binnenkort contact met je op voor een"
                " kennismakingsgesprek." + _FROM_ORGANISATION
            ),
        ),
        MailKind.PLEASE_SIGN_CODE: MailTemplate(
            subject="Onderteken de gedragscode (versie {version})",
            text=(
                "Hallo {name},\n\n"
                "Bij {organisation} werken we met een gedragscode: afspraken over hoe we met"
                " elkaar en met deelnemers omgaan. We vragen je versie {version} te lezen en te"
                " ondertekenen.\n\n"
                "Je handtekening blijft geldig zolang de gedragscode niet verandert. Komt er een"
                " nieuwe versie, dan vragen we je opnieuw te tekenen.\n\n"
                "Log in en onderteken de gedragscode hier:\n{link}" + _FROM_ORGANISATION
            ),
        ),
        MailKind.PLEASE_SIGN_NEW_CODE: MailTemplate(
            subject="Onderteken de nieuwe gedragscode (versie {version}) uiterlijk {sign_by}",
            text=(
                "Hallo {name},\n\n"
                "{organisation} heeft een nieuwe versie van de gedragscode gepubliceerd: versie"
                " {version}. We vragen je die uiterlijk {sign_by} te lezen en te"
                " ondertekenen.\n\n"
                "Tot die dag blijft je handtekening onder de vorige versie geldig; voor je"
                " vrijwilligerswerk verandert er dus niets. Daarna kun je pas verder als je"
                " versie {version} hebt ondertekend.\n\n"
                "Log in en onderteken de gedragscode hier:\n{link}" + _FROM_ORGANISATION
            ),
        ),
        MailKind.VOG_NEEDED: MailTemplate(
            subject="Je hebt een VOG nodig voor de rol {role_title}",
            text=(
                "Hallo {name},\n\n"
                "Voor de rol {role_title} bij {organisation} is een Verklaring Omtrent het Gedrag"
                " (VOG) nodig, met screening op {screening_aspects}.\n\n"
                "{organisation} vraagt de VOG voor je aan bij Justis. Je krijgt daarna een e-mail"
                " van Justis om de aanvraag met DigiD af te ronden. Heb je de VOG ontvangen, laat"
                " hem dan zien aan de coördinator." + _FROM_ORGANISATION
            ),
        ),
        MailKind.VOG_RENEWAL_APPROACHING: MailTemplate(
            subject="Je VOG moet binnenkort worden vernieuwd",
            text=(
                "Hallo {name},\n\n"
                "Je VOG bij {organisation} moet uiterlijk op {renewal_date} vernieuwd zijn."
                " {organisation} vraagt een nieuwe VOG voor je aan bij Justis; je krijgt dan een"
                " e-mail van Justis om de aanvraag met DigiD af te ronden.\n\n"
                "Zo kun je je vrijwilligerswerk zonder onderbreking blijven doen."
                + _FROM_ORGANISATION
            ),
        ),
        MailKind.ADMITTED: MailTemplate(
            subject="Welkom bij {organisation}!",
            text=(
                "Hallo {name},\n\n"
                "Goed nieuws: je bent toegelaten als vrijwilliger bij {organisation} in de rol"
                " {role_title}. Alle stappen zijn afgerond.\n\n"
                "We zijn blij dat je meedoet!" + _FROM_ORGANISATION
            ),
        ),
        MailKind.REJECTED: MailTemplate(
            subject="Over je aanmelding bij {organisation}",
            text=(
                "Hallo {name},\n\n"
                "Bedankt voor je belangstelling voor de rol {role_title} bij {organisation}."
                " Na zorgvuldige afweging hebben we besloten je aanmelding niet door te"
                " zetten.\n\n"
                "Bedankt voor de tijd die je erin hebt gestoken. We wensen je veel succes."
                + _FROM_ORGANISATION
            ),
        ),
        MailKind.NEW_APPLICATION: MailTemplate(
            subject="Nieuwe aanmelding: {volunteer_name}",
            text=(
                "Hallo,\n\n"
                "{volunteer_name} heeft zich aangemeld voor de rol {role_title}. Je kunt nu een"
                " kennismakingsgesprek plannen. Contactgegevens en motivatie vind je"
                " hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VOG_RECEIVED: MailTemplate(
            subject="VOG vastgelegd: {volunteer_name}",
            text=(
                "Hallo,\n\n"
                "De VOG van {volunteer_name} is vastgelegd. Zodra ook de andere stappen zijn"
                " afgerond, wordt de vrijwilliger toegelaten.\n\n"
                "De gegevens van de vrijwilliger:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VOLUNTEER_BACK_TO_PENDING: MailTemplate(
            subject="Actie nodig: {volunteer_name} is niet meer toegelaten",
            text=(
                "Hallo,\n\n"
                "{volunteer_name} is niet langer toegelaten en staat weer op 'in afwachting'."
                " Nog nodig: {missing}.\n\n"
                "Zodra dat is afgerond, wordt {volunteer_name} weer toegelaten. De gegevens van"
                " de vrijwilliger:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.NEW_REPORT: MailTemplate(
            subject="Nieuwe melding in SafeHands",
            text=(
                "Hallo,\n\n"
                "Er is een nieuwe melding binnengekomen met kenmerk {report_id}.\n\n"
                "Open SafeHands op je eigen apparaat om de melding te lezen. Om de"
                " vertrouwelijkheid te beschermen staat de inhoud niet in deze e-mail:\n{link}"
                + _FROM_PLATFORM
            ),
        ),
        MailKind.REPORTER_MESSAGE: MailTemplate(
            subject="Nieuw bericht bij een melding in SafeHands",
            text=(
                "Hallo,\n\n"
                "De melder heeft een nieuw bericht gestuurd bij melding {report_id}.\n\n"
                "Open SafeHands op je eigen apparaat om het te lezen. Om de"
                " vertrouwelijkheid te beschermen staat de inhoud niet in deze e-mail:\n{link}"
                + _FROM_PLATFORM
            ),
        ),
        MailKind.DEADLINE_APPROACHING: MailTemplate(
            subject="Herinnering: een termijn voor een melding loopt bijna af",
            text=(
                "Hallo,\n\n"
                "Voor melding {report_id} loopt de termijn voor {deadline} af op {due_on}.\n\n"
                "Open SafeHands op je eigen apparaat om verder te gaan:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.DEADLINE_MISSED: MailTemplate(
            subject="Termijn verstreken voor een melding",
            text=(
                "Hallo,\n\n"
                "Voor melding {report_id} is de termijn voor {deadline} verstreken op"
                " {due_on}.\n\n"
                "Open SafeHands op je eigen apparaat en pak de melding zo snel mogelijk op:"
                "\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_APPOINTED: MailTemplate(
            subject="{organisation} heeft een nieuwe vertrouwenscontactpersoon aangesteld",
            text=(
                "Hallo,\n\n"
                "{organisation} heeft {vcp_name} aangesteld als vertrouwenscontactpersoon (VCP),"
                " met de sleutel met vingerafdruk {fingerprint}. Vanaf nu worden meldingen ook"
                " voor deze sleutel versleuteld.\n\n"
                "Je krijgt deze e-mail als collega-VCP, zodat niemand meldingen kan lezen zonder"
                " dat jij het weet. Herken je deze aanstelling niet, bespreek het dan met het"
                " bestuur of het steunpunt. Je werkplek:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_INVITED: MailTemplate(
            subject="{organisation} heeft een nieuwe vertrouwenscontactpersoon aangesteld",
            text=(
                "Hallo,\n\n"
                "{organisation} heeft {vcp_name} aangesteld als vertrouwenscontactpersoon (VCP)."
                " {vcp_name} is uitgenodigd om een sleutel te maken; tot dan wordt geen melding"
                " voor hem of haar versleuteld. Je krijgt nog een e-mail zodra de sleutel is"
                " ingesteld.\n\n"
                "Je krijgt deze e-mail als collega-VCP, zodat niemand meldingen kan lezen zonder"
                " dat jij het weet. Herken je deze aanstelling niet, bespreek het dan met het"
                " bestuur of het steunpunt. Je werkplek:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_KEY_SET: MailTemplate(
            subject="Een vertrouwenscontactpersoon van {organisation} heeft een sleutel ingesteld",
            text=(
                "Hallo,\n\n"
                "{vcp_name}, vertrouwenscontactpersoon (VCP) van {organisation}, heeft de sleutel"
                " met vingerafdruk {fingerprint} ingesteld. Vanaf nu worden meldingen ook voor"
                " deze sleutel versleuteld.\n\n"
                "Je krijgt deze e-mail als collega-VCP, zodat niemand meldingen kan lezen zonder"
                " dat jij het weet. Herken je dit niet, bespreek het dan met het bestuur of het"
                " steunpunt. Je werkplek:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.STAFF_MEMBER_ADDED: MailTemplate(
            subject="{member_name} is nu {staff_roles} van {organisation}",
            text=(
                "Hallo,\n\n"
                "{member_name} is op SafeHands {staff_roles} van {organisation} geworden.\n\n"
                "Je krijgt deze e-mail als beheerder of vertrouwenscontactpersoon van"
                " {organisation}, zodat niemand zonder dat jullie het weten de rechten van een"
                " beheerder of coördinator krijgt. Herken je dit niet, bespreek het dan met het"
                " bestuur of het steunpunt." + _FROM_PLATFORM
            ),
        ),
        MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: MailTemplate(
            subject="Webhook uitgeschakeld: {url_host}",
            text=(
                "Hallo,\n\n"
                "De webhook {webhook_id} naar {url_host} is uitgeschakeld, omdat"
                " {failed_deliveries} leveringen achter elkaar zijn mislukt.\n\n"
                "Controleer of het adres bereikbaar is en maak het abonnement daarna hier opnieuw"
                " aan:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CODE_PUBLISHED_WITHOUT_VCP: MailTemplate(
            subject="Gedragscode gepubliceerd; volgende stap: een vertrouwenscontactpersoon",
            text=(
                "Hallo,\n\n"
                "{organisation} heeft versie {version} van de gedragscode gepubliceerd.\n\n"
                "{organisation} heeft nog geen vertrouwenscontactpersoon (VCP). Bij een VCP"
                " kunnen vrijwilligers en deelnemers in vertrouwen terecht met zorgen over"
                " grensoverschrijdend gedrag. In de toolkit staat een functieprofiel dat helpt"
                " om er een te vinden en aan te stellen, het liefst twee:\n{link}" + _FROM_PLATFORM
            ),
        ),
        # De consultatie over de conceptcode: de organisatie en de data, nooit het concept.
        MailKind.CONSULTATION_INVITED: MailTemplate(
            subject="{organisation} vraagt je reactie op de gedragscode",
            text=(
                "Hallo,\n\n"
                "{organisation} schrijft de gedragscode samen met de vrijwilligers en vraagt"
                " tot en met {closes_on} je reactie op het concept. Je mag reageren met je"
                " naam of anoniem.\n\n"
                "Lees het concept en reageer hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CONSULTATION_CLOSING_SOON: MailTemplate(
            subject="Reageren op de gedragscode van {organisation} kan tot en met {closes_on}",
            text=(
                "Hallo,\n\n"
                "Je kunt tot en met {closes_on} reageren op de conceptgedragscode van"
                " {organisation}.\n\n"
                "Lees het concept en reageer hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CONSULTATION_CLOSED: MailTemplate(
            subject="De consultatie over de gedragscode van {organisation} is gesloten",
            text=(
                "Hallo,\n\n"
                "De consultatie over de conceptgedragscode van {organisation} is op"
                " {closes_on} gesloten: {people} mensen gaven {comments} reacties. De beheerder"
                " maakt de code nu af; je wordt gevraagd de nieuwe versie te tekenen zodra die"
                " gepubliceerd is.\n\n"
                "Lees de antwoorden op je reacties hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_REQUESTED: MailTemplate(
            subject="Nieuwe adviesvraag van {organisation}",
            text=(
                "Hallo,\n\n"
                "{organisation} vraagt het regionale centrum om advies over {advice_topic}.\n\n"
                "Lees en beantwoord de vraag in de lijst met adviesvragen:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_SEAT_GIVEN: MailTemplate(
            subject="Er is een plaats voor je vrijgekomen: {training_title}",
            text=(
                "Hallo,\n\n"
                "Er is een plaats vrijgekomen in de training {training_title} op {starts_at}."
                " Je stond als eerste op de wachtlijst, dus de plaats is nu van jou.\n\n"
                "Kun je toch niet? Meld je dan af, zodat de volgende de plaats krijgt:\n"
                "{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_REMINDER_WEEK: MailTemplate(
            subject="Over een week: {training_title}",
            text=(
                "Hallo,\n\n"
                "Ter herinnering: de training {training_title} begint op {starts_at}.\n\n"
                "Je aanmeldingen, het agendabestand en afmelden:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_CANCELLED: MailTemplate(
            subject="Gaat niet door: {training_title}",
            text=(
                "Hallo,\n\n"
                "Het regionale centrum heeft de training {training_title} op {starts_at}"
                " afgelast. Je aanmelding is daarmee vervallen; je hoeft niets te doen.\n\n"
                "De andere trainingen van het centrum en je aanmeldingen:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_CHANGED: MailTemplate(
            subject="Gewijzigd: {training_title}",
            text=(
                "Hallo,\n\n"
                "Het regionale centrum heeft {training_changes} van de training"
                " {training_title} gewijzigd. Zo is het nu:\n\n"
                "Begint: {starts_at}\n"
                "Eindigt: {ends_at}\n"
                "Waar: {training_where}\n\n"
                "Staat de training in je agenda? Download het agendabestand dan opnieuw: je"
                " agenda werkt de afspraak bij. Kun je nu niet meer? Meld je dan af, zodat een"
                " ander je plaats krijgt.\n\n"
                "Je aanmeldingen, het agendabestand en afmelden:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_REMINDER_DAY: MailTemplate(
            subject="Morgen: {training_title}",
            text=(
                "Hallo,\n\n"
                "Ter herinnering: de training {training_title} begint op {starts_at}.\n\n"
                "Je aanmeldingen, het agendabestand en afmelden:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_ANSWERED: MailTemplate(
            subject="Het regionale centrum heeft je adviesvraag beantwoord",
            text=(
                "Hallo,\n\n"
                "Het regionale centrum heeft de adviesvraag van {organisation} over"
                " {advice_topic} beantwoord.\n\n"
                "Lees het antwoord hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_APPOINTMENT_PROPOSED: MailTemplate(
            subject="Het regionale centrum stelt een afspraak voor: {appointment}",
            text=(
                "Hallo,\n\n"
                "Het regionale centrum heeft de adviesvraag van {organisation} over"
                " {advice_topic} beantwoord en stelt een afspraak voor op {appointment}.\n\n"
                "Lees het antwoord hier:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.NEWS_DIGEST: MailTemplate(
            subject="Nieuws van het regionale centrum voor {organisation}",
            text=(
                "Hallo,\n\n"
                "Het regionale centrum publiceerde vorige week dit nieuws voor {organisation}:\n"
                "{news_titles}\n\n"
                "Lees het na het inloggen:\n{link}" + _FROM_PLATFORM
            ),
        ),
    },
    advice_topic_names={
        AdviceTopic.CODE_OF_CONDUCT: "de gedragscode",
        AdviceTopic.VCP: "de vertrouwenscontactpersoon",
        AdviceTopic.ADMISSION: "het aannamebeleid",
        AdviceTopic.INCIDENT: "een incident",
        AdviceTopic.OTHER: "een ander onderwerp",
    },
    deadline_names={
        Deadline.ACKNOWLEDGE: "de ontvangstbevestiging",
        Deadline.FEEDBACK: "de terugkoppeling",
    },
    admission_step_names={
        "interview": "een kennismakingsgesprek",
        "code_signature": "een handtekening onder de huidige gedragscode",
        "vog": "een geldige VOG",
    },
    staff_role_names={"admin": "beheerder", "coordinator": "coördinator"},
    month_names=(
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    screening_aspect_names={
        84: "omgang met minderjarigen",
        85: "zorg voor hulpbehoevende personen",
    },
    final_conjunction="en",
    training_detail_names={
        "starts_at": "de begintijd",
        "ends_at": "de eindtijd",
        "place": "de plaats",
        "online_link": "de online link",
    },
)

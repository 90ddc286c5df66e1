"""English mail texts (British spelling, like the rest of the platform)."""

from __future__ import annotations

from services.notify.domain.mail_kinds import AdviceTopic, Deadline, MailKind
from services.notify.domain.templates import LanguagePack, MailTemplate

_FROM_ORGANISATION = "\n\nKind regards,\n{organisation}\n"
_FROM_PLATFORM = "\n\nKind regards,\nSafeHands\n"

ENGLISH = LanguagePack(
    templates={
        MailKind.APPLICATION_RECEIVED: MailTemplate(
            subject="We have received your application",
            text=(
                "Hello {name},\n\n"
                "Thank you for applying as a volunteer with {organisation} for the role of"
                " {role_title}. Your application has arrived safely.\n\n"
                "A coordinator will contact you soon to arrange an introductory interview."
                + _FROM_ORGANISATION
            ),
        ),
        MailKind.PLEASE_SIGN_CODE: MailTemplate(
            subject="Please sign the code of conduct (version {version})",
            text=(
                "Hello {name},\n\n"
                "{organisation} works with a code of conduct: agreements on how we treat each"
                " other and the people we work with. Please read and sign version {version}.\n\n"
                "Your signature stays valid as long as the code does not change. When a new"
                " version comes out, we will ask you to sign again.\n\n"
                "Sign in and sign the code here:\n{link}" + _FROM_ORGANISATION
            ),
        ),
        MailKind.PLEASE_SIGN_NEW_CODE: MailTemplate(
            subject="Please sign the new code of conduct (version {version}) by {sign_by}",
            text=(
                "Hello {name},\n\n"
                "{organisation} has published a new version of its code of conduct: version"
                " {version}. Please read and sign it by {sign_by}.\n\n"
                "Until then your signature of the previous version still counts, so nothing"
                " changes for your volunteering. After that date you can only continue once"
                " you have signed version {version}.\n\n"
                "Sign in and sign the code here:\n{link}" + _FROM_ORGANISATION
            ),
        ),
        MailKind.VOG_NEEDED: MailTemplate(
            subject="You need a VOG for the role of {role_title}",
            text=(
                "Hello {name},\n\n"
                "The role of {role_title} at {organisation} requires a Certificate of Conduct"
                " (VOG, Verklaring Omtrent het Gedrag), screened for"
                " {screening_aspects}.\n\n"
                "{organisation} will request the VOG for you from Justis. You will then receive"
                " an email from Justis asking you to complete the application with your DigiD."
                " Once you have received the VOG, please show it to the coordinator."
                + _FROM_ORGANISATION
            ),
        ),
        MailKind.VOG_RENEWAL_APPROACHING: MailTemplate(
            subject="Your VOG is due for renewal soon",
            text=(
                "Hello {name},\n\n"
                "Your VOG with {organisation} needs to be renewed by {renewal_date}."
                " {organisation} will request a new VOG for you from Justis; you will then"
                " receive an email from Justis asking you to complete the application with your"
                " DigiD.\n\n"
                "That way you can carry on volunteering without a break." + _FROM_ORGANISATION
            ),
        ),
        MailKind.ADMITTED: MailTemplate(
            subject="Welcome to {organisation}!",
            text=(
                "Hello {name},\n\n"
                "Good news: you have been admitted as a volunteer with {organisation} in the role"
                " of {role_title}. All steps are complete.\n\n"
                "We are glad to have you on board!" + _FROM_ORGANISATION
            ),
        ),
        MailKind.REJECTED: MailTemplate(
            subject="About your application to {organisation}",
            text=(
                "Hello {name},\n\n"
                "Thank you for your interest in the role of {role_title} at {organisation}."
                " After careful consideration, we have decided not to take your application"
                " further.\n\n"
                "Thank you for the time you have put in, and we wish you all the best."
                + _FROM_ORGANISATION
            ),
        ),
        MailKind.NEW_APPLICATION: MailTemplate(
            subject="New application: {volunteer_name}",
            text=(
                "Hello,\n\n"
                "{volunteer_name} has applied for the role of {role_title}. You can now arrange"
                " an introductory interview. Their contact details and motivation are"
                " here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VOG_RECEIVED: MailTemplate(
            subject="VOG recorded: {volunteer_name}",
            text=(
                "Hello,\n\n"
                "The VOG of {volunteer_name} has been recorded. Once the other steps are complete"
                " as well, the volunteer will be admitted.\n\n"
                "The volunteer's details:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VOLUNTEER_BACK_TO_PENDING: MailTemplate(
            subject="Action needed: {volunteer_name} is back to pending",
            text=(
                "Hello,\n\n"
                "{volunteer_name} is no longer admitted and is back to pending. Still needed:"
                " {missing}.\n\n"
                "Once that is done, {volunteer_name} will be admitted again. The volunteer's"
                " details:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.NEW_REPORT: MailTemplate(
            subject="New report in SafeHands",
            text=(
                "Hello,\n\n"
                "A new report has arrived with reference {report_id}.\n\n"
                "Open SafeHands on your own device to read it. To protect confidentiality, this"
                " email does not contain the report itself:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.REPORTER_MESSAGE: MailTemplate(
            subject="New message on a report in SafeHands",
            text=(
                "Hello,\n\n"
                "The reporter has sent a new message on report {report_id}.\n\n"
                "Open SafeHands on your own device to read it. To protect confidentiality, this"
                " email does not contain the message itself:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.DEADLINE_APPROACHING: MailTemplate(
            subject="Reminder: a deadline for a report is approaching",
            text=(
                "Hello,\n\n"
                "The deadline for {deadline} on report {report_id} is {due_on}.\n\n"
                "Open SafeHands on your own device to continue:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.DEADLINE_MISSED: MailTemplate(
            subject="Deadline passed for a report",
            text=(
                "Hello,\n\n"
                "The deadline for {deadline} on report {report_id} passed on {due_on}.\n\n"
                "Please open SafeHands on your own device and pick up the report as soon as"
                " possible:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_APPOINTED: MailTemplate(
            subject="{organisation} has appointed a new confidential contact person",
            text=(
                "Hello,\n\n"
                "{organisation} has appointed {vcp_name} as a confidential contact person (VCP),"
                " with the key whose fingerprint is {fingerprint}. From now on, reports are also"
                " sealed to this key.\n\n"
                "You receive this mail as a fellow VCP, so that nobody can read reports without"
                " you knowing. If you do not recognise this appointment, raise it with the"
                " board or the regional centre. Your workspace:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_INVITED: MailTemplate(
            subject="{organisation} has appointed a new confidential contact person",
            text=(
                "Hello,\n\n"
                "{organisation} has appointed {vcp_name} as a confidential contact person (VCP)."
                " {vcp_name} has been invited to make a key; until then, no report is sealed to"
                " them. You will get another mail when they set their key.\n\n"
                "You receive this mail as a fellow VCP, so that nobody can read reports without"
                " you knowing. If you do not recognise this appointment, raise it with the"
                " board or the regional centre. Your workspace:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.VCP_COLLEAGUE_KEY_SET: MailTemplate(
            subject="A confidential contact person of {organisation} has set a key",
            text=(
                "Hello,\n\n"
                "{vcp_name}, confidential contact person (VCP) of {organisation}, has set the key"
                " whose fingerprint is {fingerprint}. From now on, reports are also sealed to"
                " this key.\n\n"
                "You receive this mail as a fellow VCP, so that nobody can read reports without"
                " you knowing. If you do not recognise this, raise it with the board or the"
                " regional centre. Your workspace:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.STAFF_MEMBER_ADDED: MailTemplate(
            subject="{member_name} is now {staff_roles} of {organisation}",
            text=(
                "Hello,\n\n"
                "{member_name} has become {staff_roles} of {organisation} on SafeHands.\n\n"
                "You receive this mail as an administrator or a confidential contact person of"
                " {organisation}, so that nobody gains an administrator's or a coordinator's"
                " powers without you knowing. If you do not recognise this, raise it with the"
                " board or the regional centre." + _FROM_PLATFORM
            ),
        ),
        MailKind.WEBHOOK_SUBSCRIPTION_DISABLED: MailTemplate(
            subject="Webhook disabled: {url_host}",
            text=(
                "Hello,\n\n"
                "The webhook {webhook_id} to {url_host} has been disabled because"
                " {failed_deliveries} deliveries in a row failed.\n\n"
                "Please check that the address is reachable, then create the subscription again"
                " here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CODE_PUBLISHED_WITHOUT_VCP: MailTemplate(
            subject="Code of conduct published; next step: a confidential contact person",
            text=(
                "Hello,\n\n"
                "{organisation} has published version {version} of its code of conduct.\n\n"
                "{organisation} has no confidential contact person (VCP) yet. A VCP is where"
                " volunteers and participants can turn, in confidence, with worries about"
                " transgressive behaviour. The toolkit has a role profile that helps you find"
                " and appoint one, two if you can:\n{link}" + _FROM_PLATFORM
            ),
        ),
        # The consultation on the draft code: the organisation and the days, never the draft.
        MailKind.CONSULTATION_INVITED: MailTemplate(
            subject="{organisation} asks for your comments on its code of conduct",
            text=(
                "Hello,\n\n"
                "{organisation} is writing its code of conduct together with its volunteers,"
                " and asks for your comments on the draft until {closes_on}. You may comment"
                " with your name or anonymously.\n\n"
                "Read the draft and comment here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CONSULTATION_CLOSING_SOON: MailTemplate(
            subject="Comments on the code of conduct of {organisation} close on {closes_on}",
            text=(
                "Hello,\n\n"
                "You can comment on the draft code of conduct of {organisation} until"
                " {closes_on}.\n\n"
                "Read the draft and comment here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.CONSULTATION_CLOSED: MailTemplate(
            subject="The consultation on the code of conduct of {organisation} has closed",
            text=(
                "Hello,\n\n"
                "The consultation on the draft code of conduct of {organisation} closed on"
                " {closes_on}: {people} people left {comments} comments. The admin now"
                " finishes the code; you will be asked to sign the new version once it is"
                " published.\n\n"
                "Read the answers to your comments here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_REQUESTED: MailTemplate(
            subject="New advice request from {organisation}",
            text=(
                "Hello,\n\n"
                "{organisation} asks the regional centre for advice about {advice_topic}.\n\n"
                "Read the request and answer it in the advice queue:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_SEAT_GIVEN: MailTemplate(
            subject="A seat has come free for you: {training_title}",
            text=(
                "Hello,\n\n"
                "A seat has come free in the training {training_title} on {starts_at}, and"
                " as the first on its waiting list it is now yours.\n\n"
                "Can you no longer come? Please cancel, so that the next one gets the seat:\n"
                "{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_REMINDER_WEEK: MailTemplate(
            subject="In a week: {training_title}",
            text=(
                "Hello,\n\n"
                "A reminder: the training {training_title} starts on {starts_at}.\n\n"
                "Your registrations, the calendar file and cancelling:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_CANCELLED: MailTemplate(
            subject="Cancelled: {training_title}",
            text=(
                "Hello,\n\n"
                "The regional centre has cancelled the training {training_title} on"
                " {starts_at}. Your registration has ended with it; you need not do"
                " anything.\n\n"
                "The centre's other trainings and your registrations:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_CHANGED: MailTemplate(
            subject="Changed: {training_title}",
            text=(
                "Hello,\n\n"
                "The regional centre has changed {training_changes} of the training"
                " {training_title}. This is how it stands now:\n\n"
                "Starts: {starts_at}\n"
                "Ends: {ends_at}\n"
                "Where: {training_where}\n\n"
                "Is the training in your calendar? Then download its calendar file again: your"
                " calendar updates the appointment. Can you no longer come? Then cancel, so"
                " that someone else gets your place.\n\n"
                "Your registrations, the calendar file and cancelling:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.TRAINING_REMINDER_DAY: MailTemplate(
            subject="Tomorrow: {training_title}",
            text=(
                "Hello,\n\n"
                "A reminder: the training {training_title} starts on {starts_at}.\n\n"
                "Your registrations, the calendar file and cancelling:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_ANSWERED: MailTemplate(
            subject="The regional centre has answered your request for advice",
            text=(
                "Hello,\n\n"
                "The regional centre has answered the request of {organisation} for advice"
                " about {advice_topic}.\n\n"
                "Read the answer here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.ADVICE_APPOINTMENT_PROPOSED: MailTemplate(
            subject="The regional centre proposes an appointment: {appointment}",
            text=(
                "Hello,\n\n"
                "The regional centre has answered the request of {organisation} for advice"
                " about {advice_topic}, and proposes an appointment on {appointment}.\n\n"
                "Read the answer here:\n{link}" + _FROM_PLATFORM
            ),
        ),
        MailKind.NEWS_DIGEST: MailTemplate(
            subject="News from the regional centre for {organisation}",
            text=(
                "Hello,\n\n"
                "Last week the regional centre published this news for {organisation}:\n"
                "{news_titles}\n\n"
                "Read it after signing in:\n{link}" + _FROM_PLATFORM
            ),
        ),
    },
    deadline_names={
        Deadline.ACKNOWLEDGE: "acknowledging receipt",
        Deadline.FEEDBACK: "giving feedback",
    },
    admission_step_names={
        "interview": "an introductory interview",
        "code_signature": "a signature of the current code of conduct",
        "vog": "a valid VOG",
    },
    advice_topic_names={
        AdviceTopic.CODE_OF_CONDUCT: "the code of conduct",
        AdviceTopic.VCP: "the confidential contact person",
        AdviceTopic.ADMISSION: "the admission policy",
        AdviceTopic.INCIDENT: "an incident",
        AdviceTopic.OTHER: "another subject",
    },
    staff_role_names={"admin": "administrator", "coordinator": "coordinator"},
    month_names=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    screening_aspect_names={
        84: "dealing with minors",
        85: "care for people in need of help",
    },
    final_conjunction="and",
    training_detail_names={
        "starts_at": "the start",
        "ends_at": "the end",
        "place": "the place",
        "online_link": "the online link",
    },
)

// The English of report.nl.ts: exactly the same keys.
import type { messages as nl } from "./report.nl";

export const messages: Record<keyof typeof nl, string> = {
  describe_report: "Report in confidence to {name}: only the confidential contact person reads what you write, and your name is not needed.",
  report_title: "Report a concern to {name}",
  report_what_happens: "What happens to your report?",
  report_goes_to_one: "Your report goes to the confidential contact person of {name}: {vcps}.",
  report_goes_to_many: "Your report goes to the confidential contact persons of {name}: {vcps}.",
  report_key_since: "{vcp}'s key has been in use since {date}.",
  report_choose_legend: "Who may read your report?",
  report_choose_hint:
    "Your report goes to every confidential contact person below. Do you not want someone to read it, for instance because they are close to the person you report about? Then untick that person. At least one always stays.",
  report_choose_last: "At least one confidential contact person must stay chosen.",
  report_choice_gone:
    "The confidential contact persons you chose are no longer there. Choose again who may read your report, then send it.",
  report_locked:
    "Your report is locked on your own phone or computer before it is sent. Only the confidential contact person has the key. SafeHands and {name} cannot read your report.",
  report_anonymous: "You do not have to give your name.",
  report_receipt_only_way:
    "After sending, you get a receipt code. Only with that code can you read the answer later. We cannot give you the code again.",
  report_no_vcp:
    "{name} has no confidential contact person yet. That is why you cannot report anything here now. Talk to someone you trust.",
  report_form_heading: "Your report",
  description_label: "What happened?",
  description_hint: "Write it in your own words. Who was there? What did you see or hear?",
  occurred_on_label: "When did it happen?",
  location_label: "Where did it happen?",
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
  receipt_shared_title: "On a shared device?",
  receipt_download_warning:
    "A downloaded file stays in this device's Downloads folder, and the browser puts it in its list of downloads. Anyone else who uses this device can find your receipt code there. Delete the file and remove it from that list when you are done. Or write the code down instead.",
  receipt_print_warning:
    "A printer may keep a copy of what you print, and someone else may find a forgotten printout. Collect the printout at once. On a shared device, it is better to write the code down.",
  receipt_download_anyway: "Download anyway",
  receipt_print_anyway: "Print anyway",
  receipt_cancel: "Cancel",
  receipt_done: "I have kept my receipt code",
  receipt_file_name: "receipt-code.txt",
  receipt_file_text:
    "Receipt code for {name}\n\n{receipt}\n\nWith this code you can read the answer of the confidential contact person at:\n{url}\n\nDo not show this code to anyone.\n",
  attach_label: "Add files",
  attach_hint: "Photos, PDF or text: at most {most} files, {size} in all. They are encrypted on this device; only the confidential contact persons you chose can open them.",
  attach_photos_cleaned: "Photos are saved anew here first: the location (GPS), camera and time they hold are removed.",
  attach_what_is_sent: "This is what will be sent:",
  attach_preview_alt: "{name} as it will be sent",
  attach_too_many: "At most {most} files per report.",
};

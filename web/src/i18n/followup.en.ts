// The English of followup.nl.ts: exactly the same keys.
import type { messages as nl } from "./followup.nl";

export const messages: Record<keyof typeof nl, string> = {
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
  pdf_preview_failed: "{name} cannot be shown as a PDF here. Save the file to open it.",
  pdf_preview_loading: "Getting the PDF ready…",
  pdf_preview_first_pages: "These are the first {shown} of {last} pages. Save the file for the rest.",
  pdf_preview_page: "{name}, page {page} of {last}",
  mailbox_files_title: "Files with this message:",
  vcp_attachment_failed: "{name} could not be opened: {detail}",
  vcp_attachment_open: "View {name}",
  vcp_attachment_download: "Save {name}",
  vcp_attachment_preview_alt: "Attachment {name}",
};

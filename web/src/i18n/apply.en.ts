// The English of apply.nl.ts: exactly the same keys.
import type { messages as nl } from "./apply.nl";

export const messages: Record<keyof typeof nl, string> = {
  describe_apply: "Become a volunteer at {name}: choose a role and leave your details.",
  apply_title: "Volunteer at {name}",
  apply_intro:
    "Choose a role and fill in your details. Each role says what is needed before you can start.",
  apply_role_legend: "Which role do you want to do?",
  apply_needs_intro: "Needed for this role:",
  apply_needs_interview: "a conversation with the coordinator;",
  apply_needs_code: "you sign the code of conduct;",
  apply_needs_vog_minors:
    "a certificate of conduct (VOG), because you work with children.",
  apply_needs_vog_vulnerable:
    "a certificate of conduct (VOG), because you work with vulnerable people.",
  apply_needs_vog_both:
    "a certificate of conduct (VOG), because you work with children and vulnerable people.",
  apply_name_label: "Your name",
  apply_email_label: "Your e-mail address",
  apply_email_hint: "You sign in with this address later. We also send you messages here.",
  apply_motivation_label: "Why do you want to do this?",
  apply_motivation_hint: "A few sentences are enough (at most 1000 characters).",
  apply_phone_label: "Phone number",
  apply_phone_hint: "So that the coordinator can call you to get to know you.",
  apply_error_phone: "Enter a phone number with only digits, spaces and + - ( ) . / (at least 6 digits), or leave it empty.",
  apply_privacy_one: "Only the coordinators of {name} see your phone number and motivation. We erase them with your other details {count} day after your application or your volunteering has ended.",
  apply_privacy_other: "Only the coordinators of {name} see your phone number and motivation. We erase them with your other details {count} days after your application or your volunteering has ended.",
  apply_submit: "Apply",
  apply_error_role: "Choose a role.",
  apply_error_name: "Fill in your name.",
  apply_error_busy: "There are too many applications right now. Wait a moment and try again.",
  apply_done_title: "Thank you for applying",
  apply_done_intro: "{name} has received your application for the role {role}.",
  apply_next_heading: "What happens now?",
  apply_next_interview: "The coordinator of {name} invites you for a conversation.",
  apply_next_code: "You read the code of conduct and sign it. You do that on SafeHands.",
  apply_next_vog:
    "The coordinator requests a certificate of conduct (VOG) for you at Justis. You then get an e-mail from Justis. When you have the VOG, you show it to the coordinator.",
  apply_next_admitted: "Is everything done? Then you can start.",
  apply_next_sign_in:
    "You can sign in with the e-mail address you gave: {email}. There you see what still has to happen.",
};

"""The event types of the public contract (API.md, "Event types"), written out by hand so
that tests notice when the code drifts from the contract."""

API_MD_TYPES = {
    "nl.safehands.organisation.registered.v1",
    "nl.safehands.role.defined.v1",
    "nl.safehands.code.published.v1",
    "nl.safehands.volunteer.applied.v1",
    "nl.safehands.volunteer.interviewed.v1",
    "nl.safehands.volunteer.code_signed.v1",
    "nl.safehands.volunteer.vog_requested.v1",
    "nl.safehands.volunteer.vog_received.v1",
    "nl.safehands.volunteer.vog_expiring.v1",
    "nl.safehands.volunteer.resign_required.v1",
    "nl.safehands.volunteer.admitted.v1",
    "nl.safehands.volunteer.blocked.v1",
    "nl.safehands.volunteer.rejected.v1",
    "nl.safehands.volunteer.erased.v1",
    "nl.safehands.vcp.appointed.v1",
    "nl.safehands.report.received.v1",
    "nl.safehands.report.acknowledged.v1",
    "nl.safehands.report.message_posted.v1",
    "nl.safehands.report.status_changed.v1",
    "nl.safehands.report.closed.v1",
    "nl.safehands.report.key_shared.v1",
    "nl.safehands.report.deadline_approaching.v1",
    "nl.safehands.notification.sent.v1",
    "nl.safehands.webhook.delivered.v1",
    "nl.safehands.webhook.failed.v1",
    "nl.safehands.member.added.v1",
    "nl.safehands.member.removed.v1",
    "nl.safehands.advice.requested.v1",
    "nl.safehands.advice.answered.v1",
}

# Beyond API.md (additions are allowed; changes are not): dismissing a VCP who leaves, a VCP
# registering their own key (PUT …/vcps/{vcp_id}/public-key), the VCPs letting report
# events reach webhooks (PUT …/report-webhooks), and the audit chain's head.
ADDITIONS = {
    "nl.safehands.vcp.dismissed.v1",
    "nl.safehands.vcp.key_set.v1",
    "nl.safehands.report_webhooks.set.v1",
    "nl.safehands.audit.head.v1",
    # Operators added and removed without a restart (issue 20, item 6).
    "nl.safehands.operator.added.v1",
    "nl.safehands.operator.removed.v1",
    # The regional centre's trainings (issue 25, item 2).
    "nl.safehands.training.published.v1",
    "nl.safehands.training.registered.v1",
    "nl.safehands.training.registration_cancelled.v1",
    "nl.safehands.training.seat_given.v1",
    "nl.safehands.training.attendance_marked.v1",
    "nl.safehands.training.reminder_due.v1",
    "nl.safehands.training.cancelled.v1",
    "nl.safehands.training.cancelled_notice.v1",
    "nl.safehands.training.changed.v1",
    "nl.safehands.training.changed_notice.v1",
    # The consultation round on the draft code (issue 25, item 1).
    "nl.safehands.consultation.opened.v1",
    "nl.safehands.consultation.commented.v1",
    "nl.safehands.consultation.closing_soon.v1",
    "nl.safehands.consultation.closed.v1",
    # The region's open roles and the centre's news (issue 25, items 3 and 4).
    "nl.safehands.role.listing_changed.v1",
    "nl.safehands.news.published.v1",
    "nl.safehands.news.edited.v1",
    "nl.safehands.news.withdrawn.v1",
    "nl.safehands.news.digest_due.v1",
}

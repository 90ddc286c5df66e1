"""notify's collections."""

from shared.storage.database import IndexSpec

NOTIFICATIONS = "notifications"

INDEXES = (IndexSpec(NOTIFICATIONS, (("notification_id", 1),), unique=True),)

from apps.events.services import Published, event_publish


def announcement_publish(*, message: str, level: str, author: str) -> Published:
    """Show a banner on every screen watching the public group."""
    return event_publish(
        group="public", type="system.announcement", payload={"message": message, "level": level, "author": author}
    )

"""Live events: publish to a group from anywhere, deliver over websockets, replay on resume.

Writes go through :func:`apps.events.services.event_publish` (sync) or
:func:`apps.events.services.event_apublish` (async). See docs/events.md.
"""

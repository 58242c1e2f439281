from celery import shared_task

from .services import event_publish


@shared_task(name="events.publish", acks_late=True)
def event_publish_task(group: str, type: str, payload: dict) -> int:
    return event_publish(group=group, type=type, payload=payload).seq

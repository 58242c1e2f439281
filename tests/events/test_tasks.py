from apps.events import store
from apps.events.tasks import event_publish_task


def test_the_task_publishes_through_the_service():
    seq = event_publish_task.apply(args=("public.task", "system.ping", {"nonce": "t"})).get()
    assert seq == store.head("public.task").seq == 1

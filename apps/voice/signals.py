"""Catalogue changes reach the spoken grammar: a saved or deleted service or system drops the
cached grammar once the transaction commits, so the next utterance is decoded with the new
names. (Other processes notice through the planner's catalogue fingerprint.)"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.catalog.models import Service, System


def _catalogue_changed(sender, **kwargs) -> None:
    from .stt.grammar import grammar_forget

    transaction.on_commit(grammar_forget)


def connect() -> None:
    for model in (Service, System):
        post_save.connect(_catalogue_changed, sender=model, dispatch_uid=f"voice-grammar-save-{model.__name__}")
        post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=f"voice-grammar-delete-{model.__name__}")

"""The sections in the shell's navigation. A section whose app has not landed says so."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    key: str  # keyboard shortcut (Alt+key)
    ready: bool = False


SECTIONS = (
    Section("catalogue", "Catalogue", "The 22 services: status, containers, compliance, health.", "c", ready=True),
    Section("deployments", "Deployments", "Deploy, scale, roll back, split traffic: revisions and audit.", "d"),
    Section("stage", "Stage", "Say or type what you want to see; the video pops up here.", "s", ready=True),
    Section("rooms", "Rooms", "Daily.co rooms and the bot that shows videos in the call.", "r"),
    Section("keys", "Keys", "The Universal AI Key Manager: encrypted provider keys.", "k"),
)

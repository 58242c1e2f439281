"""Captions: WebVTT cues timed to each scene's narration, text exactly as spoken, never markup."""

import itertools

from apps.studio.captions import Cue, captions_cues, captions_webvtt

from .media import webvtt_cues


def test_it_captions_every_narration_in_order(rendered):
    output, scenes = rendered["output"], rendered["storyboard"].scenes
    cues = webvtt_cues(text=output.captions.read_text(encoding="utf-8"))
    assert [text for _, _, text in cues] == [scene.narration for scene in scenes]
    starts = [start for start, _, _ in cues]
    assert starts == sorted(starts)
    for (start, end, _), index in zip(cues, range(3)):
        assert index * 4 <= start < end <= (index + 1) * 4


def test_it_splits_a_long_narration_into_readable_cues():
    text = " ".join(["The compliance scan found fourteen rules passing and two failing."] * 4)
    cues = captions_cues(text=text, start_s=1.0, end_s=17.0)
    assert len(cues) > 2
    assert " ".join(cue.text for cue in cues) == text
    assert all(len(cue.text) <= 84 for cue in cues)
    assert cues[0].start_s == 1.0 and cues[-1].end_s == 17.0
    assert all(a.end_s == b.start_s for a, b in itertools.pairwise(cues))


def test_it_shows_markup_as_text():
    vtt = captions_webvtt(cues=[Cue(start_s=0, end_s=2, text="<script>alert('x')</script> & <b>bold</b> -->")])
    assert "<script>" not in vtt and "<b>" not in vtt
    assert webvtt_cues(text=vtt)[0][2] == "<script>alert('x')</script> & <b>bold</b> -->"


def test_it_writes_hours_minutes_seconds_and_milliseconds():
    vtt = captions_webvtt(cues=[Cue(start_s=3725.5, end_s=3726.25, text="late")])
    assert "01:02:05.500 --> 01:02:06.250" in vtt

"""The two outputs written from the same packets: HLS (fMP4 segments, a playlist updated as
each segment lands) for the pop-up to start early, and one MP4 with its index at the front
(faststart) for download and replay. Nothing is encoded twice.

FFmpeg's HLS muxer writes its own playlist; we publish a copy as ``index.m3u8`` by writing a
temporary file and renaming it, so a player never reads a half-written playlist, and only
then announce the new segment.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av

from .audio import RATE, AudioEncoder, audio_stream_configure
from .timeline import FPS
from .video import EncodedFrame, VideoEncoder, video_stream_configure

MP4_NAME = "video.mp4"
PLAYLIST_NAME = "index.m3u8"
WRITER_PLAYLIST_NAME = "writer.m3u8"  # FFmpeg's own copy, never served
SEGMENT_PATTERN = "seg_%03d.m4s"
INIT_NAME = "init.mp4"
SEGMENT_S = 2
AUDIO_LEAD_S = 0.1  # audio muxed this far ahead of video so the interleaver never holds a segment back
VIDEO_TIME_BASE = Fraction(1, FPS)
# What playback_start() inlines at most: a first playlist is ~300 characters, an init segment ~1 kB.
START_PLAYLIST_MAX = 4000
START_INIT_MAX = 8192


def playback_start(*, out_dir: Path) -> dict | None:
    """The playlist as published now and the init segment (base64), for the first-segment event:
    the player then fetches only the first media segment instead of three files one after another.
    None when either is missing or larger than an event should carry (the player fetches them)."""
    try:
        text = (out_dir / PLAYLIST_NAME).read_text()
        init = (out_dir / INIT_NAME).read_bytes()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if len(text) > START_PLAYLIST_MAX or len(init) > START_INIT_MAX:
        return None
    return {"playlist_text": text, "init_b64": base64.b64encode(init).decode("ascii")}


class RenderOutputs:
    def __init__(self, *, out_dir: Path, width: int, height: int, preset: str,
                 on_segment: Callable[[Path], None] | None = None):
        self.out_dir = out_dir
        self.on_segment = on_segment
        self.segments: list[Path] = []
        self._writer_state: tuple[int, int] | None = None

        self.mp4 = av.open(str(out_dir / MP4_NAME), "w", format="mp4", options={"movflags": "+faststart"})
        self.hls = None
        self.audio_encoder: AudioEncoder | None = None
        try:
            video = self.mp4.add_stream("libx264", rate=FPS)
            video_stream_configure(stream=video, width=width, height=height, preset=preset)
            audio = self.mp4.add_stream("aac", rate=RATE, layout="mono")
            audio_stream_configure(stream=audio)
            # Opens both encoders, so their headers (SPS/PPS, AudioSpecificConfig) exist for the HLS copy.
            self.mp4.start_encoding()
            self.video, self.audio = video, audio
            self.video_encoder = VideoEncoder(stream=video)

            self.hls = av.open(str(out_dir / WRITER_PLAYLIST_NAME), "w", format="hls", options={
                "hls_time": str(SEGMENT_S),
                "hls_list_size": "0",
                "hls_playlist_type": "event",
                "hls_segment_type": "fmp4",
                "hls_fmp4_init_filename": INIT_NAME,
                "hls_segment_filename": str(out_dir / SEGMENT_PATTERN),
                "hls_flags": "temp_file+independent_segments",
            })
            self.hls_video = self.hls.add_stream_from_template(video)
            self.hls_audio = self.hls.add_stream_from_template(audio)
        except BaseException:
            self.abort()
            raise

    def audio_start(self, *, pcm: bytearray) -> None:
        """Start encoding the soundtrack (once the narration is known); video can be encoded before."""
        self.audio_encoder = AudioEncoder(stream=self.audio, pcm=pcm)

    def _mux_both(self, *, data: bytes, pts: int, duration: int, time_base: Fraction, keyframe: bool,
                  streams: tuple) -> None:
        for container, stream in zip((self.mp4, self.hls), streams):
            packet = av.Packet(data)
            packet.pts = packet.dts = pts
            packet.duration = duration
            packet.time_base = time_base
            packet.is_keyframe = keyframe
            packet.stream = stream
            container.mux(packet)

    def _audio_mux(self, *, packets: list[av.Packet]) -> None:
        for packet in packets:
            self._mux_both(data=bytes(packet), pts=packet.pts, duration=packet.duration, time_base=packet.time_base,
                           keyframe=True, streams=(self.audio, self.hls_audio))

    def video_write(self, *, frame: EncodedFrame, tick: int, ticks: int) -> None:
        """Place ``frame`` at ``tick`` (1/FPS s), shown for ``ticks``; audio is kept just ahead."""
        if self.audio_encoder is None:
            raise RuntimeError("audio_start() comes before video_write(): segments carry both.")
        self._audio_mux(packets=self.audio_encoder.packets_until(seconds=tick / FPS + AUDIO_LEAD_S))
        self._mux_both(data=frame.data, pts=tick, duration=ticks, time_base=VIDEO_TIME_BASE, keyframe=frame.keyframe,
                       streams=(self.video, self.hls_video))
        if frame.keyframe:
            self._publish()

    def _publish(self) -> None:
        """Copy FFmpeg's playlist to index.m3u8 atomically when it changed; announce new segments."""
        writer = self.out_dir / WRITER_PLAYLIST_NAME
        try:
            stat = writer.stat()
        except FileNotFoundError:
            return
        state = (stat.st_mtime_ns, stat.st_size)
        if state == self._writer_state:
            return
        self._writer_state = state
        text = writer.read_text()
        temporary = self.out_dir / (PLAYLIST_NAME + ".tmp")
        temporary.write_text(text)
        os.replace(temporary, self.out_dir / PLAYLIST_NAME)
        listed = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
        for name in listed[len(self.segments):]:
            segment = self.out_dir / name
            self.segments.append(segment)
            if self.on_segment is not None:
                self.on_segment(segment)

    def close(self) -> None:
        if self.audio_encoder is None:
            raise RuntimeError("audio_start() comes before close().")
        self._audio_mux(packets=self.audio_encoder.finish())
        self.video_encoder.close()
        self.hls.close()
        self._writer_state = None
        self._publish()
        (self.out_dir / WRITER_PLAYLIST_NAME).unlink(missing_ok=True)
        self.mp4.close()

    def abort(self) -> None:
        if self.audio_encoder is not None:
            self.audio_encoder.stop()
        for container in (self.hls, self.mp4):
            # Already failing: the first error is the one to report.
            with contextlib.suppress(Exception):
                if container is not None:
                    container.close()

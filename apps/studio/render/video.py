"""H.264 with libx264 through PyAV: each still encoded once, crossfades frame by frame.

A still becomes two packets, a keyframe (IDR) and a P-frame of the same picture (a few
hundred bytes); the muxer repeats them along the scene's hold with new timestamps. Every
chunk of a hold opens with the keyframe and ends with the P-frame, so two IDRs never follow
each other (H.264 wants consecutive IDRs to differ in idr_pic_id) and every chunk, hence
every HLS segment, starts on a keyframe.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
from av.video.frame import PictureType
from PIL import Image

PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
CRF = 23


@dataclass(frozen=True)
class EncodedFrame:
    data: bytes
    keyframe: bool


@dataclass(frozen=True)
class StillPackets:
    key: EncodedFrame
    repeat: EncodedFrame


def video_stream_configure(*, stream: av.video.stream.VideoStream, width: int, height: int, preset: str) -> None:
    """Set up ``stream``'s encoder: Chromium-safe H.264 (High profile, yuv420p), keyframes only on request."""
    if preset not in PRESETS:
        raise ValueError(f"Unknown x264 preset {preset!r}: use one of {', '.join(PRESETS)}.")
    if width % 2 or height % 2:
        raise ValueError(f"H.264 yuv420p needs an even size, not {width}×{height}.")
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.codec_context.gop_size = 1 << 30  # keyframes come from PictureType.I, not a fixed interval
    stream.options = {
        "preset": preset,
        "crf": str(CRF),
        # zerolatency: one packet out per frame in, so a still's two packets come back at once.
        "tune": "zerolatency",
        "forced-idr": "1",
        # CABAC and 8x8 transforms make it High profile even at ultrafast (smaller keyframes; what
        # browsers expect); no scene-cut keyframes: this file decides where they go.
        "x264-params": "scenecut=0:cabac=1:8x8dct=1",
    }


def yuv_frame(*, image: Image.Image) -> av.VideoFrame:
    """The still as the encoder's yuv420p frame (converted once; crossfades blend these planes)."""
    return av.VideoFrame.from_image(image).reformat(format="yuv420p")


def _plane_images(*, frame: av.VideoFrame) -> list[Image.Image]:
    return [Image.frombuffer("L", (plane.width, plane.height), bytes(plane), "raw", "L", plane.line_size, 1)
            for plane in frame.planes]


def _frame_from_planes(*, planes: list[Image.Image], width: int, height: int) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane, image in zip(frame.planes, planes):
        data = image.tobytes()
        if plane.line_size != image.width:
            padding = bytes(plane.line_size - image.width)
            data = b"".join(data[row * image.width:(row + 1) * image.width] + padding for row in range(image.height))
        plane.update(data.ljust(plane.buffer_size, b"\0"))
    return frame


class VideoEncoder:
    """Feeds libx264 with frames at its own steady pace; timestamps are the muxer's business.

    Every group of frames it is given starts with a keyframe and refers to nothing before it,
    so the packets can be placed anywhere in the output, any number of times.
    """

    def __init__(self, *, stream: av.video.stream.VideoStream):
        self.stream = stream
        self._next_pts = 0

    def _encode(self, *, frame: av.VideoFrame, keyframe: bool) -> list[EncodedFrame]:
        frame.pts = self._next_pts
        self._next_pts += 1
        frame.pict_type = PictureType.I if keyframe else PictureType.NONE
        return [EncodedFrame(data=bytes(packet), keyframe=packet.is_keyframe) for packet in self.stream.encode(frame)]

    def still(self, *, frame: av.VideoFrame) -> StillPackets:
        packets = self._encode(frame=frame, keyframe=True) + self._encode(frame=frame, keyframe=False)
        if len(packets) != 2 or not packets[0].keyframe or packets[1].keyframe:
            raise RuntimeError(f"libx264 returned {len(packets)} packets for a still, expected a keyframe and a P-frame.")
        return StillPackets(key=packets[0], repeat=packets[1])

    def crossfade(self, *, before: av.VideoFrame, after: av.VideoFrame, frames: int) -> list[EncodedFrame]:
        """``frames`` blended frames from ``before`` towards ``after``, the first a keyframe.

        Blending Y, U and V planes equals blending RGB (the conversion is affine) at half the
        bytes, and skips an RGB→YUV conversion per frame.
        """
        first, second = _plane_images(frame=before), _plane_images(frame=after)
        packets: list[EncodedFrame] = []
        for index in range(frames):
            alpha = (index + 1) / (frames + 1)
            planes = [Image.blend(a, b, alpha) for a, b in zip(first, second)]
            frame = _frame_from_planes(planes=planes, width=after.width, height=after.height)
            packets += self._encode(frame=frame, keyframe=index == 0)
        if len(packets) != frames or not packets[0].keyframe:
            raise RuntimeError(f"libx264 returned {len(packets)} packets for a {frames}-frame crossfade.")
        return packets

    def close(self) -> None:
        # Nothing is held back (zerolatency); draining just releases the encoder.
        for _ in self.stream.encode(None):
            pass

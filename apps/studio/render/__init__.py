"""The renderer: storyboard → narrated H.264/AAC MP4 (faststart) + progressive HLS + WebVTT + poster."""

from .outputs import PLAYLIST_NAME, playback_start
from .pipeline import RenderOutput, video_render
from .retention import renders_prune

__all__ = ["PLAYLIST_NAME", "RenderOutput", "playback_start", "renders_prune", "video_render"]

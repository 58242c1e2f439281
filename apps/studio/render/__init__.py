"""The renderer: storyboard → narrated H.264/AAC MP4 (faststart) + progressive HLS + WebVTT + poster."""

from .pipeline import RenderOutput, video_render
from .retention import renders_prune

__all__ = ["RenderOutput", "renders_prune", "video_render"]

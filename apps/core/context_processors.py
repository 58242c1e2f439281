from .navigation import SECTIONS


def navigation(request):
    return {"nav_sections": SECTIONS}

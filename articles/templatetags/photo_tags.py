"""{% photo_rendition photo "list" as r %}: the rendition a <picture> needs."""

from django import template

register = template.Library()


@register.simple_tag
def photo_rendition(photo, size):
    """The `size` ('list', 'article', 'social') rendition of `photo`, or None."""
    if not photo:
        return None
    return photo.rendition(size)

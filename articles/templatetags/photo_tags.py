"""{% photo_rendition photo "list" as r %}: the rendition a <picture> needs, for the Django
templates that show photos (the editor's image browser); the public Jinja2 templates call
`photo.rendition(size)` themselves."""

from django import template

register = template.Library()


@register.simple_tag
def photo_rendition(photo, size):
    """The `size` ('list', 'article', 'social') rendition of `photo`, or None."""
    if not photo:
        return None
    return photo.rendition(size)
